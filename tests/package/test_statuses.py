"""Released functions are `production`, new modules `development`, and a production package
can be built (issue 20, item 9)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from engine.catalog.loader import load_catalog
from engine.cli import main

REPO = Path(__file__).resolve().parents[2]
# CARTO's released quadbin and quadint/quadkey functions, every one matching its reference
# library and passing its cases in-process, through the contract and through the local target.
RELEASED_MODULES = {"quadbin", "quadkey"}


def test_released_modules_are_production_and_new_ones_development() -> None:
    catalog = load_catalog(REPO)
    by_status: dict[str, set[str]] = {}
    for f in catalog.functions:
        by_status.setdefault(f.status, set()).add(f.module)
    assert by_status["production"] == RELEASED_MODULES
    assert not (by_status.get("development", set()) & RELEASED_MODULES)
    assert by_status.get("development", set()) >= {"s2", "placekey", "clustering"}
    assert "deprecated" not in by_status


def test_a_production_package_holds_only_production_functions(tmp_path: Path, capsys) -> None:
    # One released and one new function selected: the new one is left out, the package built.
    argv = ["package", "--production", "--functions", "quadbin_center,s2_resolution"]
    assert main([*argv, "--out", str(tmp_path), "--version", "9.9.9"]) == 0
    out = capsys.readouterr().out
    assert "leaving out 1 development function(s)" in out
    (zip_path,) = tmp_path.glob("*.zip")
    with zipfile.ZipFile(zip_path) as zf:
        names = zf.namelist()
    assert any("quadbin/quadbin_center/function.yaml" in n for n in names)
    assert not any("s2_resolution" in n for n in names)
