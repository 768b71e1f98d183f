"""Test cases from `tests/unit/cases.yaml`: loading, validation and result comparison."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from engine import yamlsrc
from engine.model import Function
from engine.yamlsrc import Locator, Problem

_MISSING = object()
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?$")


@dataclass(frozen=True)
class Case:
    name: str
    row: list[Any] | None  # positional arguments, or None for a null row
    expected: Any
    expected_error: str | None
    unordered: bool
    tolerance: float
    compare: str
    sql_inputs: tuple[str, ...] | None
    line: int
    description: str = ""


def _value_problem(value: Any, type_name: str) -> str | None:
    """Why `value` cannot be what Redshift sends for `type_name`, or None when it can."""
    if value is None:
        return None
    if type_name in ("smallint", "int", "bigint"):
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else f"{value!r} is not an integer ({type_name} travels as one)"
    if type_name in ("float", "double", "decimal"):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if ok else f"{value!r} is not a number ({type_name} travels as one)"
    if type_name == "boolean":
        return None if isinstance(value, bool) else f"{value!r} is not true/false"
    if type_name == "date":
        ok = isinstance(value, str) and _DATE_RE.match(value)
        return None if ok else f"{value!r} is not a 'YYYY-MM-DD' string"
    if type_name == "timestamp":
        ok = isinstance(value, str) and _TIMESTAMP_RE.match(value)
        return None if ok else f"{value!r} is not a 'YYYY-MM-DD HH:MM:SS[.ffffff]' string"
    if type_name == "geometry":
        return None if isinstance(value, str) else f"{value!r} is not GeoJSON text"
    if type_name in ("string", "char"):
        return None if isinstance(value, str) else f"{value!r} is not a string"
    return None


def _row(raw: dict[str, Any], function: Function, index: int, loc: Locator):
    """The positional row of one case, and its problems."""
    keys = ("test_cases", index, "inputs")
    inputs = raw.get("inputs")
    args = function.arguments
    problems = []
    if inputs is None:
        return None, problems
    if isinstance(inputs, dict):
        names = [a.name for a in args]
        for unknown in sorted(set(inputs) - set(names)):
            problems.append(
                loc.problem(
                    (*keys, unknown),
                    f"unknown argument; {function.name} takes {', '.join(names) or 'none'}",
                    of_key=True,
                )
            )
        for missing in [n for n in names if n not in inputs]:
            problems.append(loc.problem(keys, f"missing argument {missing!r}"))
        row = [inputs.get(n) for n in names]
        value_keys = [(*keys, n) for n in names]
    else:
        if len(inputs) != len(args):
            problems.append(
                loc.problem(keys, f"{len(inputs)} inputs given, {function.name} takes {len(args)}")
            )
        row = list(inputs)
        value_keys = [(*keys, i) for i in range(len(inputs))]
    for value, arg, vkey in zip(row, args, value_keys, strict=False):
        why = _value_problem(value, arg.type)
        if why:
            problems.append(loc.problem(vkey, why))
    return row, problems


def load_cases(function: Function) -> tuple[list[Case], list[Problem]]:
    """The function's cases (none when the file is absent) and every problem in the file."""
    path = function.cases_file
    if not path.exists():
        return [], []
    from engine.catalog import schema_problems

    data, loc, problems = yamlsrc.load(path)
    if data is None:
        return [], problems
    problems += schema_problems(data, loc, "cases")
    raw_cases = data.get("test_cases") if isinstance(data, dict) else None
    if not isinstance(raw_cases, list):
        return [], sorted(set(problems))
    cases, seen = [], set()
    # Keep checking what can be checked after a schema problem: all problems at once.
    for i, raw in enumerate(raw_cases):
        if not isinstance(raw, dict) or not isinstance(raw.get("inputs"), (dict, list, type(None))):
            continue
        row, found = _row(raw, function, i, loc)
        problems += found
        name = raw.get("name")
        if name in seen:
            problems.append(loc.problem(("test_cases", i, "name"), f"duplicate case {name!r}"))
        seen.add(name)
        sql_inputs = raw.get("sql_inputs")
        if isinstance(sql_inputs, list) and len(sql_inputs) != len(function.arguments):
            problems.append(
                loc.problem(
                    ("test_cases", i, "sql_inputs"),
                    f"{len(sql_inputs)} SQL inputs given, {function.name} takes "
                    f"{len(function.arguments)}",
                )
            )
        cases.append(
            Case(
                name=name,
                row=row,
                expected=raw.get("expected"),
                expected_error=raw.get("expected_error"),
                unordered=raw.get("unordered", False),
                tolerance=raw.get("tolerance", 1e-9 if raw.get("compare") == "geometry" else 0.0),
                compare=raw.get(
                    "compare", "geometry" if function.output.type == "geometry" else "exact"
                ),
                sql_inputs=tuple(sql_inputs) if sql_inputs is not None else None,
                line=loc.position(("test_cases", i))[0],
                description=raw.get("description", ""),
            )
        )
    return (cases, []) if not problems else ([], sorted(set(problems)))


# ---------------------------------------------------------------------------------------------
# comparison


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


def _geometry(value: Any) -> Any:
    """GeoJSON (text or object) or WKT -> a comparable GeoJSON-like object."""
    from engine.geometry import parse_geometry

    return parse_geometry(value)


def compare(actual: Any, case: Case, output_type: str) -> str | None:
    """None when `actual` (one decoded result) matches the case; otherwise why not."""
    actual = decode_result(actual, output_type)
    expected = case.expected
    if case.compare == "geometry" and actual is not None and expected is not None:
        actual, expected = _geometry(actual), _geometry(expected)
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
