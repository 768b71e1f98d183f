"""S2_RESOLUTION: the resolution (level, 0-30) of an S2 cell."""

from __future__ import annotations

from s2_core.cells import check_cell

from carto_runtime import redshift_handler

lambda_handler = redshift_handler(check_cell)
