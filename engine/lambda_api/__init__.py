"""The Lambda Invoke API on loopback, for boto3 clients and the local SQL stand-in.

Public API:

- `LambdaApiServer(invoke, host="127.0.0.1", port=0)`: `start()`, `stop()`, `url`,
  `serve_forever()`, context manager.
- `InvokeFn`: `invoke(function_name: str, payload: bytes) -> (status, function_error, body)`;
  it raises `FunctionNotFound` (404) or `InvalidRequestContent` (400).
- `local_invoker(target, prefix) -> InvokeFn`: the local target's deployed functions.
"""

from engine.lambda_api.local import local_invoker
from engine.lambda_api.server import (
    FunctionNotFound,
    InvalidRequestContent,
    InvokeFn,
    LambdaApiServer,
    function_name,
)

__all__ = [
    "FunctionNotFound",
    "InvalidRequestContent",
    "InvokeFn",
    "LambdaApiServer",
    "function_name",
    "local_invoker",
]
