"""QUADBIN_FROMQUADKEY: the quadbin cell of a quadkey."""

from __future__ import annotations

from quadbin_core import from_quadkey

from carto_runtime import redshift_handler

lambda_handler = redshift_handler(from_quadkey)
