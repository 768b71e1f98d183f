"""S2_TOTOKEN: the token of an S2 cell: its id in hex with the trailing zeros dropped."""

from __future__ import annotations

from s2_core.cells import to_token

from carto_runtime import redshift_handler

lambda_handler = redshift_handler(to_token)
