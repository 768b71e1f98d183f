"""S2_TOPARENT: the parent of an S2 cell at a resolution (by default, one level up)."""

from __future__ import annotations

from s2_core.cells import parent

from carto_runtime import redshift_handler

lambda_handler = redshift_handler(parent)
