"""Run a test case through Redshift: `SELECT schema.NAME(<args>)`, decoded like a Lambda result."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Mapping, Sequence
from typing import Any

from engine.catalog.model import Function
from engine.catalog.sqltext import validate
from engine.catalog.sqltext.split import SplitError, scan
from engine.redshift.literals import literal
from engine.redshift.session import SqlSession


class CaseSqlError(ValueError):
    pass


def _check_expression(function: Function, expr: str) -> str:
    """One SQL expression: no `;` and no comment that could swallow the rest of the call."""
    try:
        spans = scan(expr)
    except SplitError as exc:
        raise CaseSqlError(f"{function.id}: sql input {expr!r}: {exc}") from None
    for span in spans:
        if span.kind == "comment" or (span.kind == "code" and ";" in expr[span.start : span.end]):
            raise CaseSqlError(
                f"{function.id}: sql input {expr!r} must be a single expression"
                " (no ';' and no comments)"
            )
    if not expr.strip():
        raise CaseSqlError(f"{function.id}: empty sql input")
    return expr.strip()


def literal_args(function: Function, inputs: Sequence[Any] | Mapping[str, Any] | None) -> list[str]:
    """Case inputs (positional list, by-name mapping, or None for a null row) as SQL literals."""
    names = [a.name for a in function.arguments]
    if inputs is None:
        values: list[Any] = [None] * len(names)
    elif isinstance(inputs, Mapping):
        unknown = set(inputs) - set(names)
        if unknown:
            raise CaseSqlError(f"{function.id}: unknown argument(s) {sorted(unknown)}")
        values = [inputs.get(n) for n in names]
    else:
        values = list(inputs)
    if len(values) != len(names):
        raise CaseSqlError(f"{function.id}: expected {len(names)} inputs, got {len(values)}")
    return [literal(v, a.type) for v, a in zip(values, function.arguments, strict=True)]


def case_query(function: Function, sql_args: Sequence[str], schema: str) -> str:
    """`SELECT schema.NAME(args)`; GEOMETRY comes back as GeoJSON and SUPER as JSON text."""
    validate.identifier(schema, "schema")
    if len(sql_args) != len(function.arguments):
        raise CaseSqlError(
            f"{function.id}: expected {len(function.arguments)} SQL inputs, got {len(sql_args)}"
        )
    args = ", ".join(_check_expression(function, a) for a in sql_args)
    call = f"{schema}.{function.sql_name}({args})"
    if function.output.type == "geometry":
        call = f"ST_ASGEOJSON({call})"
    elif function.output.type == "super":
        call = f"JSON_SERIALIZE({call})"
    return f"SELECT {call}"


def decode_value(function: Function, value: Any) -> Any:
    """A Redshift value as the Lambda's JSON result would carry it."""
    if value is None:
        return None
    kind = function.output.type
    if kind == "super":
        return json.loads(value) if isinstance(value, str) else value
    if kind == "timestamp" and isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if kind == "date" and isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if kind in ("smallint", "int", "bigint") else float(value)
    return value


def run_case_sql(
    session: SqlSession, function: Function, sql_args: Sequence[str], *, schema: str
) -> Any:
    """The function's result for SQL argument expressions (see `literal_args` for JSON inputs).

    Errors from Redshift propagate as SqlStatementError whose message holds the Lambda's
    `error_msg`, which the plugin matches against `expected_error`.
    """
    rows = session.query(case_query(function, sql_args, schema))
    if len(rows) != 1 or len(rows[0]) != 1:
        raise CaseSqlError(f"{function.id}: expected one value, got {rows!r}")
    return decode_value(function, rows[0][0])
