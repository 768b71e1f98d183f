"""Running a function: Redshift events, the response contract, the in-process invoker.

`from engine.invoke import InvocationError` is what function tests use; the names below are
the package's public API, each defined in one submodule.
"""

from carto_runtime import decode_payload
from engine.invoke.contract import Response, check_response
from engine.invoke.events import InvocationError, make_event
from engine.invoke.inprocess import InProcessInvoker, invoke_rows, stage

__all__ = [
    "InProcessInvoker",
    "InvocationError",
    "Response",
    "check_response",
    "decode_payload",
    "invoke_rows",
    "make_event",
    "stage",
]
