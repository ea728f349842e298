"""The dwh command line end to end, as a data steward uses it."""

import subprocess
import sys
from pathlib import Path

import pytest

DWH = str(Path(sys.executable).with_name("dwh"))


def _dwh(*args, env=None):
    return subprocess.run([DWH, *args], capture_output=True, text=True, env=env, timeout=900)


@pytest.mark.parametrize(
    "command",
    [[], ["simulate"], ["build"], ["review"], ["publish"], ["status"], ["synthesize"], ["serve"]],
)
def test_help_everywhere(command):
    result = _dwh(*command, "--help")
    assert result.returncode == 0 and "Usage" in result.stdout
    if command == ["publish"]:  # the publish of review.py, with its rollback and history
        assert "--rollback" in result.stdout and "--history" in result.stdout


def test_steward_session(tmp_path, monkeypatch):
    monkeypatch.setenv("DWH_HOME", str(tmp_path))
    monkeypatch.delenv("DWH_PSEUDONYM_KEY")
    assert "Nothing built yet" in _dwh("status").stdout
    assert _dwh("publish").returncode == 1
    simulated = _dwh("simulate", "--persons", "300", "--years", "2024", "--clean")
    assert simulated.returncode == 0, simulated.stderr
    (tmp_path / "deliveries" / "mi" / "2024" / "mi_2024.csv").write_text("")
    failed = _dwh("build", "--no-docs")
    assert failed.returncode == 1
    assert "Created a new pseudonymisation key" in failed.stderr
    assert "mi_2024.csv: the file is empty" in failed.stderr
    assert "served warehouse is unchanged" in failed.stderr
    refused = _dwh("publish")
    assert refused.returncode == 1 and "the last build failed" in refused.stderr
    _dwh("simulate", "--persons", "300", "--years", "2024", "--clean")
    assert _dwh("build", "--no-docs").returncode == 0
    published = _dwh("publish")
    assert published.returncode == 0, published.stderr
    status = _dwh("status").stdout
    assert "Served: publication" in status and "rr" in status
    assert "Output check (acro" in status and "Nothing disclosive" in status
