"""Result comparison: one decoded result against a case (unordered, tolerance, geometry)."""

from __future__ import annotations

import json
import math
from typing import Any

from engine.catalog.cases import Case
from engine.catalog.geometry import parse_geometry


def decode_result(value: Any, output_type: str) -> Any:
    """SUPER and GEOMETRY results travel as JSON/GeoJSON text: compare them decoded."""
    if isinstance(value, str) and output_type in ("super", "geometry"):
        try:
            return json.loads(value)
        except ValueError:
            return value  # WKT or plain text: compared as given
    return value


def _close(a: float, b: float, tolerance: float) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if tolerance == 0:
        return a == b
    return math.isclose(a, b, rel_tol=0, abs_tol=tolerance)


def values_equal(actual: Any, expected: Any, tolerance: float = 0.0) -> bool:
    """Structural equality with an absolute tolerance for numbers (bools stay exact)."""
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return _close(actual, expected, tolerance)
    if isinstance(expected, list) and isinstance(actual, list):
        return len(actual) == len(expected) and all(
            values_equal(a, e, tolerance) for a, e in zip(actual, expected, strict=True)
        )
    if isinstance(expected, dict) and isinstance(actual, dict):
        return actual.keys() == expected.keys() and all(
            values_equal(actual[k], expected[k], tolerance) for k in expected
        )
    return actual == expected


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def compare(actual: Any, case: Case, output_type: str) -> str | None:
    """None when `actual` (one decoded result) matches the case; otherwise why not."""
    actual = decode_result(actual, output_type)
    expected = case.expected
    if case.compare == "geometry" and actual is not None and expected is not None:
        actual, expected = parse_geometry(actual), parse_geometry(expected)
    if case.unordered:
        if not isinstance(actual, list) or not isinstance(expected, list):
            return f"unordered comparison needs arrays, got {type(actual).__name__}"
        if case.tolerance:
            remaining = list(actual)
            for item in expected:
                match = next(
                    (i for i, a in enumerate(remaining) if values_equal(a, item, case.tolerance)),
                    None,
                )
                if match is None:
                    return f"expected item {item!r} not found in the result"
                remaining.pop(match)
            return None if not remaining else f"unexpected items {remaining!r}"
        if sorted(map(_canonical, actual)) != sorted(map(_canonical, expected)):
            missing = sorted(set(map(_canonical, expected)) - set(map(_canonical, actual)))
            extra = sorted(set(map(_canonical, actual)) - set(map(_canonical, expected)))
            return (
                f"as multisets they differ ({len(actual)} vs {len(expected)} items; "
                f"missing {missing[:5]}, unexpected {extra[:5]})"
            )
        return None
    if values_equal(actual, expected, case.tolerance):
        return None
    return "result differs from expected"
