"""Quadbin helpers for function tests: random tiles and cells (from the `quadbin` reference
library), and the coordinates of a GeoJSON result."""

from __future__ import annotations

import json
from typing import Any

import quadbin
from hypothesis import strategies as st


@st.composite
def tiles(draw: st.DrawFn, max_z: int = 26) -> tuple[int, int, int]:
    """(x, y, z), any tile of zoom 0 to `max_z`."""
    z = draw(st.integers(0, max_z))
    return draw(st.integers(0, (1 << z) - 1)), draw(st.integers(0, (1 << z) - 1)), z


# any valid cell, as the reference encodes the tile
cells = tiles().map(quadbin.tile_to_cell)


def coordinates(result: Any) -> Any:
    """The coordinates of a GeoJSON result, as JSON text or already decoded."""
    return (json.loads(result) if isinstance(result, str) else result)["coordinates"]
