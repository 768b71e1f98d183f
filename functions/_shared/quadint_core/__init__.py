"""Quadint tiles with integer arithmetic, identical to CARTO's quadint definition + mercantile.

Shared by the functions of the `quadkey` module (listed in their `shared_libs`). Only the
standard library is imported; mercantile's formulas are written out in `geo`.
"""

from quadint_core.tiles import (
    DIRECTIONS,
    MAX_ZOOM,
    check_quadint,
    check_zoom,
    from_zxy,
    kring,
    quadkey,
    quadkey_to_zxy,
    sibling,
    to_zxy,
)

__all__ = [
    "DIRECTIONS",
    "MAX_ZOOM",
    "check_quadint",
    "check_zoom",
    "from_zxy",
    "kring",
    "quadkey",
    "quadkey_to_zxy",
    "sibling",
    "to_zxy",
]
