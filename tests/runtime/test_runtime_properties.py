"""Property tests: any batch gives strict JSON with one result per row, or a clean error."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carto_runtime import (
    _encoding,
    _handlers,
    batch_handler,
    decode_payload,
    dumps,
    redshift_handler,
)

try:
    import orjson
except ImportError:  # pragma: no cover
    orjson = None

ENCODERS = [
    pytest.param("orjson", marks=pytest.mark.skipif(orjson is None, reason="no orjson")),
    "stdlib",
]


@contextmanager
def using(encoder: str) -> Iterator[None]:
    saved = _encoding._orjson
    _encoding._orjson = orjson if encoder == "orjson" else None
    try:
        yield
    finally:
        _encoding._orjson = saved


def _reject(name: str) -> Any:
    raise ValueError(name)


def strict(text: str) -> Any:
    return json.loads(text, parse_constant=_reject)


scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=12,
)


@st.composite
def batches(draw: st.DrawFn) -> list[Any]:
    width = draw(st.integers(min_value=1, max_value=3))
    row = st.lists(values, min_size=width, max_size=width)
    if width == 1:
        row = row | values.filter(lambda v: not isinstance(v, list))  # bare single values
    return draw(st.lists(st.none() | row, max_size=25))


def has_nonfinite(value: Any) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, list):
        return any(map(has_nonfinite, value))
    if isinstance(value, dict):
        return any(map(has_nonfinite, value.values()))
    return False


def expected_results(rows: list[Any]) -> list[Any]:
    """Identity handlers under nulls="propagate": the row's arguments, or None."""
    out = []
    for row in rows:
        args = row if isinstance(row, list) else [row]
        out.append(None if row is None or None in args else list(args))
    return out


def check(text: Any, rows: list[Any]) -> None:
    assert isinstance(text, str)
    body = strict(text)  # strict JSON, whatever happened
    assert decode_payload(text) == body
    assert decode_payload(json.dumps(text)) == body  # as Lambda returns it
    expected = expected_results(rows)
    bad = [i for i, value in enumerate(expected, 1) if has_nonfinite(value)]
    if bad:
        assert body["success"] is False
        assert body["error_msg"].startswith(f"row {bad[0]} of {len(rows)}: result is not valid")
    else:
        assert body == {"success": True, "num_records": len(rows), "results": expected}


@redshift_handler
def identity(*args: Any) -> list[Any]:
    return list(args)


@batch_handler
def batch_identity(rows: list[list[Any]]) -> list[Any]:
    assert all(type(r) is list and None not in r for r in rows)
    return [list(r) for r in rows]


@pytest.mark.parametrize("encoder", ENCODERS)
@settings(max_examples=150, deadline=None)
@given(rows=batches())
def test_row_handler_any_batch(encoder: str, rows: list[Any]) -> None:
    with using(encoder):
        check(identity({"num_records": len(rows), "arguments": rows}), rows)


@pytest.mark.parametrize("encoder", ENCODERS)
@settings(max_examples=150, deadline=None)
@given(rows=batches())
def test_batch_handler_any_batch(encoder: str, rows: list[Any]) -> None:
    with using(encoder):
        check(batch_identity({"num_records": len(rows), "arguments": rows}), rows)


@settings(max_examples=100, deadline=None)
@given(rows=batches(), delta=st.integers(min_value=1, max_value=3))
def test_wrong_num_records_is_always_an_error(rows: list[Any], delta: int) -> None:
    body = strict(identity({"num_records": len(rows) + delta, "arguments": rows}))
    assert body == {
        "success": False,
        "error_msg": f"malformed event: num_records is {len(rows) + delta} "
        f"but arguments has {len(rows)} rows",
    }


@settings(max_examples=100, deadline=None)
@given(
    event=values
    | st.fixed_dictionaries(
        {},
        optional={
            "num_records": st.integers(min_value=-3, max_value=30) | scalars,
            "arguments": values | batches(),
        },
    )
)
def test_garbage_events_never_raise(event: Any) -> None:
    body = strict(identity(event))
    assert body["success"] in (True, False)
    if body["success"]:
        assert len(body["results"]) == body["num_records"] == event["num_records"]


@pytest.mark.skipif(orjson is None, reason="no orjson")
@settings(max_examples=150, deadline=None)
@given(value=values)
def test_both_encoders_agree(value: Any) -> None:
    outcomes = []
    for encoder in ("orjson", "stdlib"):
        with using(encoder):
            try:
                outcomes.append(strict(dumps(value)))
            except ValueError:
                outcomes.append("ValueError")
    assert outcomes[0] == outcomes[1]
    assert (outcomes[0] == "ValueError") == has_nonfinite(value)


def longest_string(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list):
        return max(map(longest_string, value), default=0)
    if isinstance(value, dict):
        return max(map(longest_string, [*value, *value.values()]), default=0)
    return 0


finite_values = st.recursive(
    st.none() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=12,
)


@st.composite
def long_strings(draw: st.DrawFn) -> str:
    """Strings around the VARCHAR threshold, made of characters that JSON escapes or not."""
    length = draw(st.integers(min_value=8000, max_value=20_000))
    fill = draw(st.sampled_from(["a", '"', "\\", "\n", "é", "😀"]))
    return draw(st.text(max_size=3)) + fill * length + draw(st.text(max_size=3))


@pytest.mark.parametrize("encoder", ENCODERS)
@settings(max_examples=150, deadline=None)
@given(results=st.lists(finite_values | long_strings(), max_size=6))
def test_long_string_detection_never_misses(encoder: str, results: list[Any]) -> None:
    with using(encoder):
        text = dumps({"success": True, "num_records": len(results), "results": results})
    if longest_string(results) > _handlers._VARCHAR_SAFE_CHARS:
        assert _handlers._may_hold_long_string(text)
    if len(text) <= _handlers._VARCHAR_SAFE_CHARS:
        assert not _handlers._may_hold_long_string(text)
    # the gate the response takes: every string result over the threshold is looked at
    top_strings = [len(r) for r in results if isinstance(r, str)]
    if max(top_strings, default=0) > _handlers._VARCHAR_SAFE_CHARS:
        assert _handlers._long_string_possible(text, results)
