"""Serve the functions deployed on the local target through the Invoke API.

`local_invoker(target, prefix)` adapts a local target (anything with `read_state(prefix)` and
`invoke(deployed_name, event) -> str`, as engine's LocalTarget has) to the server's
`invoke(function_name, payload)` callable. Nothing is imported from the target's module, so
the adapter survives the target moving.

What it maps: the function name is the deployed name (the last part of the ARN in the SQL);
a name not deployed under `prefix` is a 404; a payload that is not JSON is a 400. The local
target's `invoke_raw` answers as Lambda's Invoke does (a crash, timeout or import error is
`X-Amz-Function-Error: Unhandled` with the runtime's error document); a target without it
is served through `invoke`, whose response text is the body.
"""

from __future__ import annotations

import json
import threading
from typing import Any, Protocol

from engine.lambda_api.server import FunctionNotFound, InvalidRequestContent, InvokeFn


class _LocalTarget(Protocol):
    def read_state(self, prefix: str) -> dict[str, Any]: ...

    def invoke(self, deployed_name: str, event: dict[str, Any]) -> str: ...


def local_invoker(target: _LocalTarget, prefix: str) -> InvokeFn:
    """An invoke callable running `prefix`'s deployed functions on `target`'s warm workers."""
    known: set[str] = set()
    lock = threading.Lock()

    def deployed(name: str) -> bool:
        if name in known:
            return True
        # Re-read on a miss only: a function deployed after the server started is found,
        # and a hit costs nothing.
        names = set(target.read_state(prefix))
        with lock:
            known.clear()
            known.update(names)
        return name in names

    def invoke(function_name: str, payload: bytes) -> tuple[int, str | None, bytes]:
        if not deployed(function_name):
            raise FunctionNotFound(function_name)
        raw = getattr(target, "invoke_raw", None)
        if raw is not None:  # the target answers as Lambda does: X-Amz-Function-Error kept
            return raw(function_name, payload)
        try:
            event = json.loads(payload or b"{}")
        except ValueError as exc:
            raise InvalidRequestContent(f"Could not parse request body into json: {exc}") from None
        return 200, None, target.invoke(function_name, event).encode("utf-8")

    return invoke
