"""The Makefile refuses misspelled variables, passes the selection on and checks the Python
that would create .venv (issue 20, items 2 and 5). Targets run with `make -n` where possible."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")


def make(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "-C", str(REPO), "--no-print-directory", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def dry(*args: str, venv: Path) -> subprocess.CompletedProcess[str]:
    """`make -n` with a .venv path of its own, so nothing here depends on the real one."""
    return make("-n", *args, f"VENV={venv}")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("deploy", "dryrun=1"), "unknown variable dryrun; did you mean dry-run?"),
        (
            ("deploy", "function=x", "dry-run=1"),
            "unknown variable function; did you mean functions?",
        ),
        (("status", "module=quadbin"), "unknown variable module; did you mean modules?"),
        (("deploy", "DRY_RUN=1"), "unknown variable DRY_RUN; did you mean dry-run?"),
        (("deploy", "Production=1"), "unknown variable Production; did you mean production?"),
        (("list", "colour=1"), "unknown variable colour."),
    ],
)
def test_unknown_command_line_variables_are_refused(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = dry(*args, venv=tmp_path / "venv")
    assert result.returncode != 0
    assert message in result.stderr
    assert "Valid: cloud, modules, functions, diff, production, dry-run, target" in result.stderr
    # Refused before anything runs: -n prints no command at all.
    assert "carto-gateway" not in result.stdout


def test_every_unknown_variable_is_named(tmp_path: Path) -> None:
    result = dry("deploy", "dryrun=1", "modul=x", venv=tmp_path / "venv")
    assert result.returncode != 0
    assert "unknown variable dryrun" in result.stderr
    assert "unknown variable modul" in result.stderr


def test_environment_variables_are_not_refused(tmp_path: Path) -> None:
    # Only the command line is checked: the environment holds unrelated names.
    result = make("-n", "list", f"VENV={tmp_path / 'venv'}", env={"dryrun": "1"})
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("target", "command"),
    [
        ("list", "carto-gateway list"),
        ("build", "carto-gateway build"),
        ("deploy", "carto-gateway deploy"),
        ("status", "carto-gateway status"),
        ("sql", "carto-gateway sql"),
        ("remove", "carto-gateway remove"),
        ("create-package", "carto-gateway package"),
        ("test", "pytest"),
        ("test-unit", "pytest"),
        ("test-integration", "pytest"),
    ],
)
def test_the_selection_reaches_every_target_that_takes_it(
    tmp_path: Path, target: str, command: str
) -> None:
    result = dry(target, "modules=quadbin", "functions=quadbin_center", venv=tmp_path / "venv")
    assert result.returncode == 0, result.stderr
    joined = result.stdout.replace("\\\n", " ")  # a recipe continued over lines
    lines = [line for line in joined.splitlines() if command in line]
    assert lines, result.stdout
    assert "--modules quadbin" in lines[-1]
    assert "--functions quadbin_center" in lines[-1]


def test_valid_variables_become_flags(tmp_path: Path) -> None:
    result = dry(
        "deploy", "dry-run=1", "production=1", "diff=1", "target=aws", venv=tmp_path / "venv"
    )
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if "carto-gateway deploy" in x)
    for flag in ("--dry-run", "--production", "--diff", "--target aws"):
        assert flag in line


def fake_python(path: Path, version: str, ok: bool) -> Path:
    """An interpreter stand-in answering the Makefile's version probe."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho {version}\nexit {0 if ok else 1}\n")
    path.chmod(0o755)
    return path


def test_an_old_python_is_refused_before_creating_the_venv(tmp_path: Path) -> None:
    python = fake_python(tmp_path / "bin" / "python3.9", "3.9", ok=False)
    venv = tmp_path / "venv"
    result = make("venv", f"PYTHON={python}", f"VENV={venv}")
    assert result.returncode != 0
    assert "needs Python 3.10+, found 3.9" in result.stderr
    assert not venv.exists()


def test_a_missing_python_is_named(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    result = make("venv", f"PYTHON={tmp_path / 'python3.99'}", f"VENV={venv}")
    assert result.returncode != 0
    assert "was not found or is not Python" in result.stderr
    assert not venv.exists()


def test_a_venv_made_by_an_old_python_is_rebuilt(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    fake_python(venv / "bin" / "python", "3.9", ok=False)
    # The rebuild uses PYTHON, here an old one too, so it stops right after removing the venv.
    python = fake_python(tmp_path / "bin" / "python3.9", "3.9", ok=False)
    result = make("venv", f"PYTHON={python}", f"VENV={venv}")
    assert f"{venv} was made by Python 3.9, which is unsupported: rebuilding it" in result.stdout
    assert not venv.exists()
    assert result.returncode != 0
    assert "needs Python 3.10+, found 3.9" in result.stderr
