"""QUADBIN_FROMQUADKEY: the quadbin cell of a quadkey."""

from __future__ import annotations

from quadbin_core.batch import quadkeys_to_cells

from carto_runtime import batch_handler

# One loop over the whole batch (quadbin_core.from_quadkey inlined, see quadbin_core.batch).
lambda_handler = batch_handler(quadkeys_to_cells)
