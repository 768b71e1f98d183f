"""Redshift events, response decoding, the contract check and the in-process invoker.

Every way of running a function (in-process, the local worker, Lambda) takes the same event
and returns the same response, checked by the same `check_response`.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carto_runtime import MAX_RESPONSE_BYTES, decode_payload
from engine.layout import source_files
from engine.model import Function

__all__ = [
    "InProcessInvoker",
    "InvocationError",
    "Response",
    "check_response",
    "decode_payload",
    "make_event",
]


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


# ---------------------------------------------------------------------------------------------
# in-process


def stage(function: Function, shared_root: Path, into: Path) -> Path:
    """Copy the artifact's source files (not its vendored requirements) into `into`."""
    for name, path in source_files(function, shared_root):
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return into


class InProcessInvoker:
    """Calls a function's handler inside this process, importing it from a staged copy of
    exactly the files its artifact ships. Each function's modules live in their own namespace:
    they are swapped into `sys.modules` only while that function runs, so two functions may both
    have a `handler.py` or ship different versions of a shared lib.
    """

    def __init__(self, function: Function, shared_root: Path, workdir: Path | None = None):
        self.function = function
        self._dir = Path(tempfile.mkdtemp(prefix=f"carto-{function.name}-", dir=workdir))
        stage(function, shared_root, self._dir)
        self._modules: dict[str, Any] = {}
        self._handler: Callable[..., Any] | None = None

    @contextmanager
    def _namespace(self) -> Iterator[None]:
        root = str(self._dir)
        top_level = {p.name.removesuffix(".py") for p in self._dir.iterdir()}
        saved = {
            name: mod
            for name, mod in sys.modules.items()
            if name.split(".")[0] in top_level and name.split(".")[0] != "carto_runtime"
        }
        for name in saved:
            del sys.modules[name]
        sys.modules.update(self._modules)
        sys.path.insert(0, root)
        try:
            yield
        finally:
            sys.path.remove(root)
            mine = root + os.sep
            for name in [
                n
                for n, m in sys.modules.items()
                if (getattr(m, "__file__", None) or "").startswith(mine)
            ]:
                self._modules[name] = sys.modules.pop(name)
            sys.modules.update(saved)

    def load(self) -> Callable[..., Any]:
        if self._handler is None:
            with self._namespace():
                module = importlib.import_module(self.function.handler_module)
                self._handler = module.lambda_handler
        return self._handler

    def invoke(self, event: dict[str, Any]) -> Any:
        """The raw payload the handler returns for `event`."""
        handler = self.load()
        with self._namespace():
            return handler(event, None)

    def close(self) -> None:
        shutil.rmtree(self._dir, ignore_errors=True)


def invoke_rows(
    invoke: Callable[[dict[str, Any]], Any], function: Function, rows: list[list[Any] | None]
) -> list[Any]:
    """Send rows through any invoker; the decoded results, or InvocationError."""
    event = make_event(function, rows)
    response = check_response(event, invoke(event))
    if not response.success:
        raise InvocationError(response.error_msg or "", event=event, payload=response.raw)
    return response.results or []
