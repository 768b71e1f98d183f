"""QUADINT_TOQUADKEY: the quadkey of a quadint."""

from __future__ import annotations

from quadint_core import check_quadint, quadkey

from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(quadint: int) -> str:
    return quadkey(*check_quadint(quadint))
