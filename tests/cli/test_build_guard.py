"""dwh build refuses to run without deliveries: a clear message, a non-zero exit, and the
home exactly as it was (no key, no build folder, the last build's files untouched)."""

import os
import subprocess
import sys
from pathlib import Path

DWH = str(Path(sys.executable).with_name("dwh"))


def _files(home: Path) -> dict[str, bytes]:
    return {str(p.relative_to(home)): p.read_bytes() for p in home.rglob("*") if p.is_file()}


def _folders(home: Path) -> set[str]:
    return {str(p.relative_to(home)) for p in home.rglob("*") if p.is_dir()}


def _build(home: Path):
    return subprocess.run(
        [DWH, "build", "--no-docs"], capture_output=True, text=True, timeout=300, env=_env(home)
    )


def _env(home: Path) -> dict:
    """The environment without the session's keys, so a key file made would show."""
    secrets = ("DWH_PSEUDONYM_KEY", "DWH_RECORD_KEY")
    env = {k: v for k, v in os.environ.items() if k not in secrets}
    return {**env, "DWH_HOME": str(home), "COLUMNS": "200"}


def test_build_refuses_a_new_home_without_deliveries(tmp_path):
    home = tmp_path / "home"
    refused = _build(home)
    assert refused.returncode == 1
    assert f"No deliveries in {home / 'deliveries'}: nothing to build." in refused.stderr
    assert "Built" not in refused.stderr + refused.stdout
    assert _files(home) == {}  # not even a pseudonymisation key
    assert not (home / "build").exists() and not (home / "secrets").exists()


def test_build_refuses_empty_delivery_folders_and_keeps_the_last_build(tmp_path):
    home = tmp_path / "home"
    (home / "deliveries" / "rr" / "2024").mkdir(parents=True)  # folders, but no file
    (home / "deliveries" / "onem").mkdir()
    (home / "build").mkdir()
    (home / "build" / "build.json").write_text('{"status": "success"}\n')
    (home / "build" / "warehouse.duckdb").write_bytes(b"the last build")
    (home / "secrets").mkdir()
    (home / "secrets" / "pseudonym.key").write_text("0" * 64)
    files, folders = _files(home), _folders(home)
    refused = _build(home)
    assert refused.returncode == 1
    assert "nothing to build" in refused.stderr and "unchanged" in refused.stderr
    assert _files(home) == files and _folders(home) == folders
