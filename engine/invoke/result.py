"""What invoking a deployed function gives, the same on every target: Lambda's Invoke answer.

`status_code` is the Invoke API's (200 once the function ran, whatever it answered; 4xx when
the request was refused), `function_error` is Lambda's `X-Amz-Function-Error` ("Unhandled"
when the function failed: timeout, init failure, crash, oversize response) and `payload` the
body: the function's response, or the runtime's error document
(`{"errorMessage", "errorType", ...}`) or the API's error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from engine.invoke.events import InvocationError


@dataclass(frozen=True)
class InvokeResult:
    status_code: int
    function_error: str | None
    payload: bytes

    @classmethod
    def ok(cls, text: str) -> InvokeResult:
        return cls(200, None, text.encode("utf-8"))

    @classmethod
    def unhandled(
        cls, error_type: str, message: str, trace: list[str] | None = None
    ) -> InvokeResult:
        """A failure as Lambda's Python runtime reports it."""
        body = {"errorMessage": message, "errorType": error_type, "stackTrace": trace or []}
        return cls(200, "Unhandled", json.dumps(body).encode("utf-8"))

    @classmethod
    def refused(cls, status_code: int, error_type: str, message: str) -> InvokeResult:
        """The Invoke API refused the request (the function did not run)."""
        body = {"Type": "User", "message": message, "errorType": error_type}
        return cls(status_code, None, json.dumps(body).encode("utf-8"))

    def decoded(self) -> Any:
        """The payload as JSON (text when it is not JSON, None when empty)."""
        if not self.payload:
            return None
        try:
            return json.loads(self.payload)
        except ValueError:
            return self.payload.decode("utf-8", "replace")

    def checked(self, name: str, event: dict[str, Any] | None = None) -> Any:
        """The decoded payload; InvocationError naming the function when it failed or the
        request was refused (the message says what Lambda would)."""
        payload = self.decoded()
        if self.function_error or self.status_code >= 300:
            detail: Any = payload
            if isinstance(payload, dict):
                kind = payload.get("errorType", "Error")
                detail = f"{kind}: {payload.get('errorMessage') or payload.get('message', '')}"
            how = self.function_error or f"HTTP {self.status_code}"
            raise InvocationError(f"{name} raised ({how}): {detail}", event=event, payload=payload)
        return payload
