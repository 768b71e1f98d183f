"""`[redshift]` items: cases and function.yaml examples run as SQL.

On the local target they run on redshift-local (the stand-in calling the run's local
functions); on AWS, on the configured cluster (see sqltier.py). Without an engine they skip
and the reason says what is missing (the apt-get command for the stand-in's packages).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from engine.catalog.cases import Case
from engine.catalog.model import Function
from pytest_carto.checking import CaseFailure, check_case, format_failure
from pytest_carto.live import LiveRun
from pytest_carto.sqltier import SqlTier

_NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?")
# ST_ASGEOJSON keeps 15 significant digits (Redshift's and the stand-in's): half a unit in the
# 15th digit is 5e-15 of the value; twice that covers the expected value's own rounding.
GEOJSON_RELATIVE = 1e-14


def at_sql_precision(function: Function, case: Case) -> Case:
    """The case as a SQL caller can check it: GEOMETRY results come through ST_ASGEOJSON, so
    their coordinates are compared to its precision (relative to the largest coordinate)."""
    if function.output.type != "geometry" or case.expected is None:
        return case
    text = case.expected if isinstance(case.expected, str) else json.dumps(case.expected)
    largest = max((abs(float(x)) for x in _NUMBER.findall(text)), default=0.0)
    return replace(case, tolerance=max(case.tolerance, largest * GEOJSON_RELATIVE))


GEOJSON_GEOMETRIES = frozenset(
    ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
     "GeometryCollection")
)  # fmt: skip


VARCHAR_MAX_BYTES = 65535  # Redshift's VARCHAR(MAX), which the stand-in enforces too


def _numbers_only(coordinates: Any) -> bool:
    if isinstance(coordinates, list):
        return all(_numbers_only(c) for c in coordinates)
    return isinstance(coordinates, (int, float)) and not isinstance(coordinates, bool)


def _geojson_geometry(value: Any) -> bool:
    """A GeoJSON geometry a GEOMETRY value can hold (numbers as coordinates)."""
    if not isinstance(value, dict) or value.get("type") not in GEOJSON_GEOMETRIES:
        return False
    if value["type"] == "GeometryCollection":
        parts = value.get("geometries")
        return isinstance(parts, list) and all(_geojson_geometry(g) for g in parts)
    return _numbers_only(value.get("coordinates"))


def unreachable_through_sql(function: Function, case: Case) -> str | None:
    """Why a case cannot be asked through SQL, or None.

    - A text argument above VARCHAR(MAX)'s 65,535 bytes cannot be sent: the SQL value cannot
      hold it (Redshift and the stand-in refuse it before any call).
    - A GEOMETRY argument reaches the handler as the GeoJSON the wrapper makes of a geometry
      value, never as the text a case gives. A case expecting the handler's error about that
      text (WKT, a Feature, a coordinate that is not a number) tests the handler, not SQL: as
      SQL the text would become a valid geometry or fail in the engine's own parser first.
    """
    if case.sql_inputs is not None or case.row is None:
        return None
    for argument, value in zip(function.arguments, case.row, strict=False):
        text = value if isinstance(value, str) else None
        if argument.type == "super" and value is not None and text is None:
            text = json.dumps(value)
        if text is not None and len(text.encode("utf-8")) > VARCHAR_MAX_BYTES:
            return (
                f"{argument.name} holds {len(text.encode('utf-8')):,} bytes: a SQL value holds"
                f" at most {VARCHAR_MAX_BYTES:,}"
            )
        if case.expected_error is None or argument.type != "geometry" or text is None:
            continue
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if not _geojson_geometry(parsed):
            return (
                f"{argument.name} {text[:60]!r} is not a GeoJSON geometry: through SQL the"
                " handler only ever receives GeoJSON made from a GEOMETRY value (give"
                " sql_inputs to test an expression as SQL)"
            )
    return None


class _SqlResponse:
    """The shape check_case reads, built from a SQL result or error."""

    def __init__(self, result: Any = None, error: str | None = None) -> None:
        self.success = error is None
        self.results = [result]
        self.error_msg = error
        self.raw = error if error is not None else result


class RedshiftItem(pytest.Item):
    level = "redshift"  # not in-process: LiveRun deploys its function (note_items)

    def __init__(self, *, function: Function, case: Case, **kwargs) -> None:
        super().__init__(**kwargs)
        self.function, self.case = function, case
        self.add_marker("carto_redshift")

    def runtest(self) -> None:
        from engine.redshift import SqlStatementError, literal_args, run_case_sql

        live: LiveRun = self.config.stash[LiveRun.KEY]
        self.config.stash[SqlTier.KEY].check()  # skips with the install command, if any
        session = live.sql_session()  # skips with the reason when Redshift is unavailable
        args = list(self.case.sql_inputs or literal_args(self.function, self.case.row))
        try:
            result = run_case_sql(session, self.function, args, schema=live.settings.schema)
            response = _SqlResponse(result)
        except SqlStatementError as exc:
            response = _SqlResponse(error=exc.message)
        case = at_sql_precision(self.function, self.case)
        check_case(self.function, case, {"sql_arguments": args}, response)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CaseFailure):
            return format_failure(self.function, self.case, "redshift", excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.function.cases_file, self.case.line - 1, f"{self.function.name}::{self.name}"


def _example_case(function: Function, index: int) -> Case:
    example = function.examples[index]
    return Case(
        name=f"example_{index + 1}",
        row=None,
        expected=example.output,
        expected_error=None,
        unordered=example.unordered,
        tolerance=1e-9 if function.output.type == "geometry" else 0.0,
        compare="geometry" if function.output.type == "geometry" else "exact",
        sql_inputs=tuple(str(a) if a is not None else "NULL" for a in example.arguments),
        line=1,
        description=example.description,
    )


def redshift_items(parent, function: Function, cases: list[Case]) -> Iterator[pytest.Item]:
    for case in cases:
        if unreachable_through_sql(function, case):
            continue  # a handler-only case: it has no SQL form (see unreachable_through_sql)
        yield RedshiftItem.from_parent(
            parent, name=f"{case.name}[redshift]", function=function, case=case
        )
    for i in range(len(function.examples)):
        case = _example_case(function, i)
        yield RedshiftItem.from_parent(
            parent, name=f"{case.name}[redshift]", function=function, case=case
        )
