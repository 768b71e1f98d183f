"""QUADINT_FROMQUADKEY: the quadint of a quadkey."""

from __future__ import annotations

from quadint_core import from_zxy, quadkey_to_zxy

from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(quadkey: str) -> int:
    return from_zxy(*quadkey_to_zxy(quadkey))
