"""QUADBIN_FROMLONGLAT: the quadbin cell containing a point."""

from __future__ import annotations

from quadbin_core.batch import points_to_cells

from carto_runtime import batch_handler

# One loop over the whole batch: the per-row arithmetic is a few microseconds, so per-row
# calls would double it (see quadbin_core.batch).
lambda_handler = batch_handler(points_to_cells)
