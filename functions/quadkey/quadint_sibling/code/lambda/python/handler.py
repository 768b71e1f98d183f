"""QUADINT_SIBLING: the neighbouring quadint in a direction (wrapping around)."""

from __future__ import annotations

from quadint_core import sibling

from carto_runtime import redshift_handler

lambda_handler = redshift_handler(sibling)
