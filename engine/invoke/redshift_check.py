"""Whether an invoke's answer is something Redshift would accept as a response to its event.

`invoke` prints whatever came back; this says when that is not a Redshift response at all:
moto without Docker echoes the request, a Lambda that crashed answers with its runtime's
error document, a broken handler may return the wrong number of results. Redshift would
fail the query on each of those, so `invoke` must not exit 0 on them.
"""

from __future__ import annotations

from typing import Any

from carto_runtime import decode_payload
from engine.invoke.contract import check_response
from engine.invoke.events import InvocationError

PREFIX = "not a Redshift response"


def contract_problem(event: dict[str, Any], payload: Any) -> str | None:
    """Why `payload` is not a Redshift response to `event`; None when it is one.

    A well-formed failure (`success: false` with `error_msg`) is a Redshift response: the
    caller reports it as the function's error, not as a broken contract.
    """
    try:
        body = decode_payload(payload)
    except ValueError as exc:
        return f"{PREFIX}: {exc}"
    if "success" not in body and "results" not in body:
        if "errorMessage" in body:
            kind = body.get("errorType") or "Error"
            return f"{PREFIX}: the Lambda failed ({kind}: {body['errorMessage']})"
        keys = ", ".join(sorted(map(str, body))[:8]) or "none"
        return (
            f"{PREFIX}: it has neither 'success' nor 'results' (its keys: {keys}); an "
            "invoke that echoes the request, as moto does without Docker, looks like this"
        )
    if body.get("success", True) not in (True, False, "true", "false"):
        return f"{PREFIX}: 'success' is {body['success']!r}, not a boolean"
    try:
        check_response(event, payload)
    except InvocationError as exc:
        return f"{PREFIX}: {exc}"
    return None
