"""Test cases from `tests/unit/cases.yaml`: loading, validation and result comparison."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.catalog import yamlsrc
from engine.catalog.model import Function
from engine.catalog.schema import schema_problems
from engine.catalog.types import sql_type
from engine.catalog.yamlsrc import Locator, Problem


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
        why = None if value is None else sql_type(arg.type).input_problem(value)
        if why:
            problems.append(loc.problem(vkey, why))
    return row, problems


def load_cases(function: Function) -> tuple[list[Case], list[Problem]]:
    """The function's cases (none when the file is absent) and every problem in the file."""
    path = function.cases_file
    if not path.exists():
        return [], []
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
        # a list or mapping name cannot be compared (the schema reports it)
        if isinstance(name, str) and name in seen:
            problems.append(loc.problem(("test_cases", i, "name"), f"duplicate case {name!r}"))
        elif isinstance(name, str):
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
