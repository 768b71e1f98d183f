"""Generated contract tests: random batches built from the declared argument types.

Whatever the values, the handler must answer with a well-formed response: exactly one result
per row, or an error response with a message. It must never raise, hang or break the JSON.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.invoke import InvocationError, check_response, make_event
from engine.model import Function
from pytest_carto.live import LiveRun

_LON = st.floats(-180, 180, allow_nan=False)
_LAT = st.floats(-90, 90, allow_nan=False)


def _geojson() -> st.SearchStrategy[str]:
    point = st.tuples(_LON, _LAT).map(
        lambda p: json.dumps({"type": "Point", "coordinates": list(p)})
    )
    box = st.tuples(_LON, _LAT, st.floats(0, 2), st.floats(0, 2)).map(
        lambda b: json.dumps(
            {
                "type": "Polygon",
                "coordinates": [
                    [
                        [b[0], b[1]],
                        [b[0] + b[2], b[1]],
                        [b[0] + b[2], b[1] + b[3]],
                        [b[0], b[1]],
                    ]
                ],
            }
        )
    )
    return st.one_of(point, box, st.text(max_size=20))


def value_strategy(type_name: str) -> st.SearchStrategy[Any]:
    """What Redshift may send for one argument of `type_name` (nulls included)."""
    base: st.SearchStrategy[Any]
    if type_name == "smallint":
        base = st.integers(-(2**15), 2**15 - 1)
    elif type_name == "int":
        base = st.one_of(st.integers(-3, 40), st.integers(-(2**31), 2**31 - 1))
    elif type_name == "bigint":
        base = st.one_of(st.integers(-3, 40), st.integers(-(2**63), 2**63 - 1))
    elif type_name in ("float", "double", "decimal"):
        base = st.one_of(_LON, _LAT, st.floats(allow_nan=False, allow_infinity=False))
    elif type_name == "boolean":
        base = st.booleans()
    elif type_name == "date":
        base = st.dates().map(lambda d: d.isoformat())
    elif type_name == "timestamp":
        base = st.datetimes().map(lambda d: d.isoformat(sep=" "))
    elif type_name == "geometry":
        base = _geojson()
    else:
        base = st.text(max_size=30)
    return st.one_of(st.none(), base)


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
    for result in response.results or []:
        if isinstance(result, float):
            assert math.isfinite(result), f"non-finite result {result!r}"


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
