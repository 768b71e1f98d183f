"""QUADBIN_FROMZXY: the quadbin cell of tile z/x/y."""

from __future__ import annotations

from quadbin_core.batch import tiles_to_cells

from carto_runtime import batch_handler

# One loop over the whole batch (check_tile then tile_to_cell inlined, see quadbin_core.batch).
lambda_handler = batch_handler(tiles_to_cells)
