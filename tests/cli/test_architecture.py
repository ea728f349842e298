"""The boundaries of the code: readers never import the build side, the simulator and the
ingest meet only in the delivery contract (import-linter, as `make lint` runs it), and
`dwh --help` loads no build code."""

import shutil
import subprocess
import sys
from pathlib import Path

from dwh.core import paths

LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))
HEAVY = ("dwh.build", "dwh.ingest", "dwh.simulate", "dwh.publish", "synthesis", "duckdb", "pandas")


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _copy(tmp_path: Path) -> Path:
    for part in ("dwh", "synthesis", "dashboards"):
        shutil.copytree(paths.PROJECT_DIR / part, tmp_path / part)
    shutil.copy(paths.PROJECT_DIR / "pyproject.toml", tmp_path)
    return tmp_path


def test_the_import_contracts_hold():
    result = _lint_imports(paths.PROJECT_DIR)
    assert result.returncode == 0, result.stdout
    assert "0 broken" in result.stdout


def _broken_by(tmp_path: Path, module: str, line: str) -> str:
    """The contracts lint-imports breaks on a copy of the code with ``line`` added to
    ``module``, its output on one line (it fails)."""
    root = _copy(tmp_path)
    with (root / module).open("a") as f:
        f.write(f"\n{line}  # noqa\n")
    result = _lint_imports(root)
    assert result.returncode == 1
    return " ".join(result.stdout.split())


def test_a_reader_importing_the_build_side_breaks_the_contract(tmp_path):
    broken = _broken_by(tmp_path, "dashboards/views/stewards.py", "from dwh.build import record")
    assert "never import the build side BROKEN" in broken


def test_the_ingest_importing_the_simulator_breaks_the_contract(tmp_path):
    broken = _broken_by(tmp_path, "dwh/ingest/run.py", "from dwh.simulate import population")
    assert "knows nothing of the simulator BROKEN" in broken
    assert "only through the delivery contract BROKEN" in broken


def test_dwh_help_loads_no_build_code():
    code = (
        "import sys\nfrom dwh.cli import app\ntry:\n    app(['--help'], prog_name='dwh')\n"
        "except SystemExit as e:\n    assert e.code == 0\n"
        f"print([m for m in sys.modules if m.startswith({HEAVY!r})])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "simulate" in result.stdout and "requests" in result.stdout  # the help was printed
    assert result.stdout.strip().splitlines()[-1] == "[]"
