"""Placekeys and H3 cell indexes in pure Python (standard library only, cheap to import).

Shared by the functions of the `placekey` module (listed in their `shared_libs`). The
encoding is the one the `placekey` library (0.0.36) defines; H3 validity is decided from the
index's bits exactly as `h3.is_valid_cell` (h3 4.x) decides it, without the h3 wheel.
"""

from placekey_core.codec import h3_to_placekey, is_valid_placekey, placekey_to_h3
from placekey_core.h3index import is_valid_cell, parse_h3

__all__ = [
    "h3_to_placekey",
    "is_valid_cell",
    "is_valid_placekey",
    "parse_h3",
    "placekey_to_h3",
]
