"""Fixtures for the runtime tests: both encoders, and a strict way to call a handler."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from carto_runtime import _encoding

try:
    import orjson
except ImportError:  # pragma: no cover
    orjson = None


@pytest.fixture(params=["orjson", "stdlib"])
def encoder(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test once with orjson and once with the standard-library fallback forced."""
    if request.param == "orjson":
        if orjson is None:
            pytest.skip("orjson is not installed")
        monkeypatch.setattr(_encoding, "_orjson", orjson)
    else:
        monkeypatch.setattr(_encoding, "_orjson", None)
    return request.param


def _reject_constant(name: str) -> Any:
    raise ValueError(f"non-standard JSON token {name}")


def strict_loads(text: str) -> Any:
    """json.loads that refuses NaN/Infinity tokens."""
    return json.loads(text, parse_constant=_reject_constant)


def make_event(rows: list[Any] | None, num_records: int | None = None, **fields: Any) -> dict:
    if num_records is None:
        num_records = len(rows) if rows is not None else 0
    event = {
        "request_id": "req-1",
        "cluster": "arn:aws:redshift:us-east-1:000000000000:cluster:test",
        "user": "tester",
        "database": "dev",
        "external_function": "carto.test",
        "query_id": 42,
        "num_records": num_records,
        "arguments": rows,
    }
    event.update(fields)
    return event


def check_shape(text: Any) -> dict:
    """Parse a handler's return value strictly and check the response shape."""
    assert isinstance(text, str)
    body = strict_loads(text)
    assert isinstance(body, dict)
    if body["success"] is True:
        assert set(body) == {"success", "num_records", "results"}
        assert len(body["results"]) == body["num_records"]
    else:
        assert body["success"] is False
        assert set(body) == {"success", "error_msg"}
        assert isinstance(body["error_msg"], str) and body["error_msg"]
    return body


@pytest.fixture
def call() -> Callable[..., dict]:
    """call(handler, rows, num_records=None, **event_fields) -> the decoded response."""

    def _call(handler: Callable[..., Any], rows: Any, num_records: int | None = None, **kw: Any):
        return check_shape(handler(make_event(rows, num_records, **kw), None))

    return _call


@pytest.fixture
def loads() -> Callable[[str], Any]:
    """Strict JSON parsing (no NaN/Infinity tokens)."""
    return strict_loads


@pytest.fixture
def response() -> Callable[[Any], dict]:
    """Parse a handler's return value strictly and check the response shape."""
    return check_shape
