"""Quadbin cells with integer arithmetic, identical to the `quadbin` 0.2.2 reference library.

Shared by the functions of the `quadbin` module (listed in their `shared_libs`). Importing it
costs almost nothing: only `math` is imported, and only by the modules that need it.
"""

from quadbin_core.cells import (
    CELL_BASE,
    FOOTER,
    MAX_RESOLUTION,
    RESOLUTION_ERROR,
    base4,
    cell_to_tile,
    check_cell,
    check_resolution,
    check_tile,
    children_count,
    from_quadkey,
    is_valid_cell,
    kring,
    quadkey,
    resolution,
    sibling,
    spread,
    tile_to_cell,
    to_children,
    to_parent,
)
from quadbin_core.limits import MAX_CELLS, int_array

__all__ = [
    "CELL_BASE",
    "FOOTER",
    "MAX_CELLS",
    "MAX_RESOLUTION",
    "RESOLUTION_ERROR",
    "base4",
    "cell_to_tile",
    "check_cell",
    "check_resolution",
    "check_tile",
    "children_count",
    "from_quadkey",
    "int_array",
    "is_valid_cell",
    "kring",
    "quadkey",
    "resolution",
    "sibling",
    "spread",
    "tile_to_cell",
    "to_children",
    "to_parent",
]
