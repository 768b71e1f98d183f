"""`status` takes --modules/--functions like every catalog-wide command (issue 20, item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.cli import main
from tests.package.conftest import write_catalog


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_catalog(tmp_path / "repo")
    monkeypatch.chdir(root)
    for key in ("CARTO_TARGET", "RS_LAMBDA_PREFIX", "CARTO_RUNTIME", "PRODUCTION", "RS_PREFIX"):
        monkeypatch.delenv(key, raising=False)
    return root


def rows(out: str) -> set[str]:
    return {line.split()[1] for line in out.splitlines() if line.startswith("carto-at-")}


def test_status_narrows_to_the_selection(repo: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["status", "--target", "local"]) == 0
    assert rows(capsys.readouterr().out) == {"demo/dev_double", "demo/prod_double"}
    assert main(["status", "--target", "local", "--functions", "prod_double"]) == 0
    assert rows(capsys.readouterr().out) == {"demo/prod_double"}


def test_status_refuses_unknown_names(repo: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["status", "--target", "local", "--modules", "dem"]) == 2
    assert "unknown module(s): dem; known: demo" in capsys.readouterr().err
