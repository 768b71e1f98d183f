"""`[redshift]` items: cases and function.yaml examples run as SQL through Redshift.

They need the functions deployed to AWS (the external functions point at Lambda ARNs) and the
Redshift settings; without either they are skipped and the reason says what is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from engine.catalog.cases import Case
from engine.catalog.model import Function
from pytest_carto.checking import CaseFailure, check_case, format_failure
from pytest_carto.live import LiveRun


class _SqlResponse:
    """The shape check_case reads, built from a SQL result or error."""

    def __init__(self, result: Any = None, error: str | None = None) -> None:
        self.success = error is None
        self.results = [result]
        self.error_msg = error
        self.raw = error if error is not None else result


class RedshiftItem(pytest.Item):
    def __init__(self, *, function: Function, case: Case, **kwargs) -> None:
        super().__init__(**kwargs)
        self.function, self.case = function, case
        self.add_marker("carto_redshift")

    def runtest(self) -> None:
        from engine.redshift import SqlStatementError, literal_args, run_case_sql

        live: LiveRun = self.config.stash[LiveRun.KEY]
        session = live.sql_session()  # skips with the reason when Redshift is unavailable
        args = list(self.case.sql_inputs or literal_args(self.function, self.case.row))
        try:
            result = run_case_sql(session, self.function, args, schema=live.settings.schema)
            response = _SqlResponse(result)
        except SqlStatementError as exc:
            response = _SqlResponse(error=exc.message)
        check_case(self.function, self.case, {"sql_arguments": args}, response)

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
        yield RedshiftItem.from_parent(
            parent, name=f"{case.name}[redshift]", function=function, case=case
        )
    for i in range(len(function.examples)):
        case = _example_case(function, i)
        yield RedshiftItem.from_parent(
            parent, name=f"{case.name}[redshift]", function=function, case=case
        )
