"""A `--deploy` run is isolated: its own Lambda prefix and its own schema, whatever the
developer's configuration says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pytest_carto.live import LiveRun


class _Config:
    def __init__(self, root: Path) -> None:
        self.rootpath = root

    def getoption(self, name: str, default: Any = None) -> Any:
        return default


@pytest.mark.parametrize("production", ["0", "1"])
def test_run_prefix_and_schema_are_the_runs_own(monkeypatch, tmp_path, production) -> None:
    (tmp_path / "functions").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RS_PREFIX", "dev_")
    monkeypatch.setenv("RS_LAMBDA_PREFIX", "dev-at-")
    monkeypatch.setenv("PRODUCTION", production)
    live = LiveRun(_Config(tmp_path), "abc123", is_worker=False)
    assert live.settings.lambda_prefix == "ptabc123-"
    assert live.settings.schema == "ptabc123_carto"
    assert live.settings.schema not in ("dev_carto", "carto")
