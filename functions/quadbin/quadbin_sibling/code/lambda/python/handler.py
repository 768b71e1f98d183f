"""QUADBIN_SIBLING: the neighbouring cell in a direction, NULL past the grid's edge."""

from __future__ import annotations

from quadbin_core.batch import siblings

from carto_runtime import batch_handler

# One loop over the whole batch (check_cell then sibling inlined, see quadbin_core.batch).
lambda_handler = batch_handler(siblings)
