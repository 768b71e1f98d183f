"""The event Redshift sends to a Lambda-backed external function, and the invocation error.

Cases and every invoker (in-process, local worker, Lambda) build their events here, so a row
travels the same way whatever runs it.
"""

from __future__ import annotations

import uuid
from typing import Any

from engine.catalog.model import Function


class InvocationError(Exception):
    """The function answered with an error response (or broke the contract)."""

    def __init__(self, message: str, *, event: dict | None = None, payload: Any = None) -> None:
        super().__init__(message)
        self.event = event
        self.payload = payload


def make_event(
    function: Function, rows: list[list[Any] | None], *, schema: str = "carto"
) -> dict[str, Any]:
    """The event Redshift sends for `rows`; zero-argument functions get `arguments: null`."""
    return {
        "request_id": str(uuid.uuid4()),
        "cluster": "arn:aws:redshift:us-east-1:000000000000:cluster:carto-gateway-test",
        "user": "carto_gateway",
        "database": "dev",
        "external_function": f"{schema}.{function.external_sql_name.lower()}",
        "query_id": 1,
        "num_records": len(rows),
        "arguments": None
        if not function.arguments
        else [list(r) if r is not None else None for r in rows],
    }
