"""Numbers that reach a handler as VARCHAR text or as JSON numbers.

CARTO's externals take FLOAT8 arguments as VARCHAR(MAX) (the SQL wrapper casts them) so that
no digit is lost on the way to the Lambda; in-process callers may pass JSON numbers.
"""

from __future__ import annotations

import math


def real(value: object, name: str) -> float:
    """A finite float from a number or its text; ValueError naming the argument otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number, got {value!r}")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"{name} must be a number, got {value[:40]!r}") from None
    else:
        raise ValueError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return number


def integer(value: object, name: str, low: int, high: int) -> int:
    """An integer within [low, high]; ValueError naming the argument and the range."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be between {low:,} and {high:,}, got {value!r}")
    return value
