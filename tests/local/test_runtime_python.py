"""Deploying to the local target needs the runtime's Python: without it the deploy fails,
naming the fix, instead of the first invoke (issue 20, item 5)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from engine.build.interpreters import InterpreterNotFound, find_interpreter
from tests.package.conftest import write_catalog

REPO = Path(__file__).resolve().parents[2]
CLI = REPO / ".venv" / "bin" / "carto-gateway"
BARE_PATH = "/usr/bin:/bin"


def deploy(root: Path, extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {"PATH": BARE_PATH, "HOME": str(root / "home"), **extra}
    return subprocess.run(
        [str(CLI), "deploy", "--functions", "prod_double"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def no_python312_here(home: Path) -> bool:
    try:
        find_interpreter("python3.12", {"PATH": BARE_PATH, "HOME": str(home)})
    except InterpreterNotFound:
        return True
    return False


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    if not CLI.is_file():
        pytest.skip("needs the project's .venv")
    return write_catalog(tmp_path / "repo")


def test_deploy_without_the_runtime_python_fails_with_the_fix(catalog: Path) -> None:
    if not no_python312_here(catalog / "home"):
        pytest.skip("python3.12 is installed system-wide here")
    result = deploy(catalog, {})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "needs a Python 3.12 interpreter" in output
    assert "set CARTO_PYTHON_3_12 in the environment" in output
    # Nothing was recorded as deployed, so status and invoke do not meet a half deploy.
    assert not list((catalog / ".carto").rglob("metadata.json"))


def test_the_override_names_the_interpreter(catalog: Path) -> None:
    try:
        python = find_interpreter("python3.12")
    except InterpreterNotFound:
        pytest.skip("no python3.12 on this machine")
    result = deploy(catalog, {"CARTO_PYTHON_3_12": str(python)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert list((catalog / ".carto").rglob("metadata.json"))
