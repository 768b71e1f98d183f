"""Size limits of one result, derived from what Redshift and Lambda accept.

A SUPER result leaves the Lambda as VARCHAR(MAX) JSON text, at most 65,535 bytes. Every
quadbin cell is a 19-digit number (they all lie between 0x48... and 0x4F... ~ 5.2e18-5.8e18),
so an array of n cells written as "[c,c,...]" takes 20n + 1 bytes: 3,276 cells fit.
"""

from __future__ import annotations

from collections.abc import Iterable

VARCHAR_MAX_BYTES = 65535
CELL_DIGITS = 19
MAX_CELLS = (VARCHAR_MAX_BYTES - 1) // (CELL_DIGITS + 1)  # 3,276


class TooManyCells(ValueError):
    """A request would produce more cells than one result can carry."""


def int_array(values: Iterable[int]) -> str:
    """JSON text of a list of integers, without the spaces json.dumps adds."""
    return "[" + ",".join(map(str, values)) + "]"
