"""make: `yes=1` is the only way `make remove` passes --yes, and a selection makes the test
targets collect functions/ only (the selected functions' tests, not the engine's)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")


def last_command(target: str, *variables: str, venv: Path) -> str:
    """The command `make -n` would run last for `target` (a .venv of its own: never built)."""
    result = subprocess.run(
        ["make", "-C", str(REPO), "--no-print-directory", "-n", target, *variables, f"VENV={venv}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return " ".join(result.stdout.replace("\\\n", " ").split("\n")[-2].split())


def test_remove_passes_yes_only_when_asked(tmp_path: Path) -> None:
    assert "--yes" not in last_command("remove", venv=tmp_path / "venv").split()
    assert "--yes" in last_command("remove", "yes=1", venv=tmp_path / "venv").split()


@pytest.mark.parametrize("target", ["test", "test-unit", "test-integration"])
def test_a_selection_runs_only_the_functions_tests(tmp_path: Path, target: str) -> None:
    command = last_command(target, "functions=quadbin_center", venv=tmp_path / "venv").split()
    assert "--functions" in command and "quadbin_center" in command
    assert "functions" in command and "tests" not in command  # pytest's paths: functions/ only
    if target != "test-integration":  # it always names functions/
        everything = last_command(target, venv=tmp_path / "venv").split()
        assert "functions" not in everything  # no selection: testpaths (tests and functions)
