"""The contract item checks results against the declared output type (engine.catalog.types)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from engine.catalog.model import Argument
from engine.catalog.types import sql_type
from pytest_carto.contract import check_contract


def _answering(value):
    """An invoker whose every result is `value`, in a well-formed success response."""

    def invoke(event):
        n = event["num_records"]
        return json.dumps({"success": True, "num_records": n, "results": [value] * n})

    return invoke


def test_boolean_function_answering_an_object_fails_the_contract(make_function) -> None:
    function = dataclasses.replace(make_function(), output=Argument("result", "boolean"))
    with pytest.raises(AssertionError, match="declared output type boolean") as info:
        check_contract(function, _answering({"not": "a boolean"}), [[1], [2]])
    assert "row 1 of 2" in str(info.value) and "is not a boolean" in str(info.value)
    check_contract(function, _answering(True), [[1], [2]])  # booleans pass
    check_contract(function, _answering(None), [[1]])  # so do nulls


# (type, a value it may hold, a value it may not): bounds from Redshift's type documentation.
CASES = [
    ("smallint", 32767, 32768),
    ("smallint", -32768, -32769),
    ("int", 2**31 - 1, 2**31),
    ("int", -(2**31), True),
    ("bigint", 2**63 - 1, 2**63),
    ("bigint", -(2**63), -(2**63) - 1),
    ("bigint", 0, 1.5),
    ("double", 1e308, float("inf")),
    ("float", 0.5, "0.5"),
    ("boolean", False, 0),
    ("string", "é" * 32767, "é" * 32768),  # 65,534 and 65,536 UTF-8 bytes
    ("string", "", 7),
    ("date", "2024-02-29", "29/02/2024"),
    ("timestamp", "2024-02-29 12:00:00", "2024-02-29"),
    ("super", "[1, 2]", "{"),
    ("super", '{"a": null}', [1, 2]),  # SUPER travels as JSON text
    ("geometry", '{"type": "Point", "coordinates": [1, 2]}', "POINT (1 2)"),
    (
        "geometry",
        '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 1], [0, 0]]]}',
        '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 1]]]}',
    ),
    (
        "geometry",
        '{"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [0, 0]}]}',
        '{"type": "Circle", "coordinates": [0, 0]}',
    ),
    ("geometry", '{"type": "LineString", "coordinates": [[0, 0], [1, 1]]}', '{"type": "Point"}'),
]


@pytest.mark.parametrize(("type_name", "good", "bad"), CASES)
def test_output_problem_accepts_the_type_and_refuses_the_rest(type_name, good, bad) -> None:
    check = sql_type(type_name).output_problem
    assert check(good) is None
    assert check(bad)
