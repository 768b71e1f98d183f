"""__QUADBIN_FROMQUADINT: the quadbin cell of the tile a quadint names."""

from __future__ import annotations

from quadbin_core.batch import quadints_to_cells

from carto_runtime import batch_handler

# A quadint is ((y << z | x) << 5) | z: the zoom in the low 5 bits, then x, then y. One loop
# over the whole batch (see quadbin_core.batch).
lambda_handler = batch_handler(quadints_to_cells)
