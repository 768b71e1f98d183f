"""Generated contract tests: random batches built from the declared argument types.

Whatever the values, the handler must answer with a well-formed response: exactly one result
per row, each a value of the declared output type (`engine.catalog.types`: BOOLEAN booleans,
integers within their type's range, texts within VARCHAR's 65,535 bytes, SUPER valid JSON
text, GEOMETRY GeoJSON text), or an error response with a message. It must never raise, hang
or break the JSON.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.catalog.model import Function
from engine.catalog.types import sql_type
from engine.invoke import InvocationError, check_response, make_event
from pytest_carto.live import LiveRun


def value_strategy(type_name: str) -> st.SearchStrategy[Any]:
    """What Redshift may send for one argument of `type_name` (nulls included)."""
    return st.one_of(st.none(), sql_type(type_name).strategy())


def batch_strategy(function: Function) -> st.SearchStrategy[list[list[Any] | None]]:
    row = st.tuples(*(value_strategy(a.type) for a in function.arguments)).map(list)
    return st.lists(st.one_of(st.none(), row), min_size=0, max_size=8)


def check_contract(function: Function, invoke, rows: list[list[Any] | None]) -> None:
    event = make_event(function, rows)
    try:
        response = check_response(event, invoke(event))
    except InvocationError as exc:
        raise AssertionError(f"{exc}\n  event: {json.dumps(event)[:1500]}") from None
    if not response.success:
        assert isinstance(response.error_msg, str) and response.error_msg, "empty error_msg"
        return
    output = sql_type(function.output.type)
    for index, result in enumerate(response.results or []):
        if result is None:
            continue
        why = output.output_problem(result)
        assert why is None, (
            f"row {index + 1} of {len(rows)}: the result contradicts the declared output type "
            f"{function.output.type} ({output.public_sql}): {why}\n"
            f"  event: {json.dumps(event)[:1500]}"
        )


class ContractItem(pytest.Item):
    def __init__(self, *, function: Function, **kwargs) -> None:
        super().__init__(**kwargs)
        self.function = function
        self.add_marker("carto_contract")

    def runtest(self) -> None:
        live: LiveRun = self.config.stash[LiveRun.KEY]
        invoke = live.invoker(self.function, "inprocess")
        function = self.function

        @settings(
            max_examples=60,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        )
        @given(batch_strategy(function))
        def contract(rows):
            check_contract(function, invoke, rows)

        contract()

    def reportinfo(self):
        return self.function.yaml_path, 0, f"{self.function.name}::contract"
