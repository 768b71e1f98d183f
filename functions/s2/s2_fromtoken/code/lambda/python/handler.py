"""S2_FROMTOKEN: the cell id (signed INT8) of a token."""

from __future__ import annotations

from s2_core.cells import from_token

from carto_runtime import redshift_handler

lambda_handler = redshift_handler(from_token)
