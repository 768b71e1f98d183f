"""QUADBIN_ISVALID: whether a BIGINT is a well-formed quadbin cell."""

from __future__ import annotations

from quadbin_core import is_valid_cell

from carto_runtime import redshift_handler


# NULL is answered (false), not propagated: CARTO's function has always said false for it.
@redshift_handler(nulls="pass")
def lambda_handler(quadbin: int | None) -> bool:
    return quadbin is not None and is_valid_cell(quadbin)
