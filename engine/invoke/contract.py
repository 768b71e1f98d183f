"""The response contract: decode a payload and check it against the event that produced it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from carto_runtime import MAX_RESPONSE_BYTES, decode_payload
from engine.invoke.events import InvocationError


@dataclass(frozen=True)
class Response:
    success: bool
    results: list[Any] | None
    error_msg: str | None
    raw: Any


def check_response(event: dict[str, Any], payload: Any) -> Response:
    """Decode a payload and check it against the contract; raise InvocationError if broken."""
    if isinstance(payload, (str, bytes)) and len(payload) > MAX_RESPONSE_BYTES:
        raise InvocationError(
            f"response is {len(payload)} bytes, over Lambda's {MAX_RESPONSE_BYTES}-byte limit",
            event=event,
        )
    try:
        body = decode_payload(payload)
    except ValueError as exc:
        raise InvocationError(
            f"response is not valid JSON: {exc}", event=event, payload=payload
        ) from None
    success = body.get("success", "results" in body)
    if success in ("false", False):
        return Response(False, None, str(body.get("error_msg") or "(no error_msg)"), body)
    results = body.get("results")
    expected = event["num_records"]
    if not isinstance(results, list):
        raise InvocationError("response has no 'results' array", event=event, payload=body)
    if len(results) != expected:
        raise InvocationError(
            f"response has {len(results)} results for {expected} rows", event=event, payload=body
        )
    if "num_records" in body and body["num_records"] != expected:
        raise InvocationError(
            f"response num_records={body['num_records']} but {expected} rows were sent",
            event=event,
            payload=body,
        )
    return Response(True, results, None, body)
