"""A loopback HTTP server speaking the Lambda Invoke API.

Only `POST /2015-03-31/functions/{name}/invocations` is served: enough for
`boto3.client("lambda", endpoint_url=...).invoke(...)` and for the SQL stand-in's external
functions. What runs is decided by the caller: the server is given one callable

    invoke(function_name: str, payload: bytes) -> (status, function_error, body)

and imports nothing from the targets, so the same server fronts the local target, a test
double, or anything else. The callable raises `FunctionNotFound` for an unknown name (the
server answers 404 ResourceNotFoundException, as Lambda does).

Requests are not authenticated (the server listens on loopback only) and qualifiers
(`:alias`, `?Qualifier=`) are accepted and ignored: every call runs the deployed code and the
response says `X-Amz-Executed-Version: $LATEST`.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

InvokeFn = Callable[[str, bytes], "tuple[int, str | None, bytes]"]

API_PREFIX = "/2015-03-31/functions/"
API_SUFFIX = "/invocations"
MAX_PAYLOAD_BYTES = 6 * 1024 * 1024  # Lambda's synchronous request and response limit
EXECUTED_VERSION = "$LATEST"


class FunctionNotFound(LookupError):
    """Raised by an invoke callable for a function name it does not serve (404)."""


class InvalidRequestContent(ValueError):
    """Raised by an invoke callable for a payload it cannot read, e.g. not JSON (400)."""


def function_name(path_segment: str) -> str:
    """The bare function name from the path's `{name}`: a name, `name:qualifier`, a partial
    ARN (`123456789012:function:name`) or a full ARN, URL-encoded or not."""
    text = urllib.parse.unquote(path_segment)
    if ":function:" in text:
        text = text.split(":function:", 1)[1]
    return text.split(":", 1)[0]


def _error_body(code: str, message: str, kind: str = "User") -> bytes:
    # botocore's rest-json parser reads the code from x-amzn-ErrorType and the text from
    # "message"; Lambda sends "Type" and "message" in the body as well.
    return json.dumps({"Type": kind, "message": message, "__type": code}).encode()


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, as boto3's connection pool expects
    # Headers and body are written separately: without TCP_NODELAY, Nagle's algorithm and
    # the client's delayed ACK hold every response back ~40 ms.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.log is not None:
            self.server.log(format % args)

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", self.server.next_request_id())
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, code: str, message: str, kind: str = "User") -> None:
        self._send(status, _error_body(code, message, kind), {"x-amzn-ErrorType": code})

    def _read_body(self) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_PAYLOAD_BYTES:
            # Drain it so the connection stays usable, then refuse as Lambda does.
            remaining = length
            while remaining > 0:
                chunk = self.rfile.read(min(remaining, 1 << 16))
                if not chunk:
                    break
                remaining -= len(chunk)
            self._error(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                "RequestTooLargeException",
                f"Request must be smaller than {MAX_PAYLOAD_BYTES} bytes for the InvokeFunction"
                " operation",
            )
            return None
        return self.rfile.read(length) if length else b""

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        if not (path.startswith(API_PREFIX) and path.endswith(API_SUFFIX)):
            self._read_body()
            self._error(HTTPStatus.NOT_FOUND, "UnknownOperationException", f"no route {path}")
            return
        body = self._read_body()
        if body is None:
            return
        name = function_name(path[len(API_PREFIX) : -len(API_SUFFIX)])
        invocation_type = self.headers.get("X-Amz-Invocation-Type") or "RequestResponse"
        if invocation_type == "Event":
            # Asynchronous: accepted now, run in the background, result discarded (as Lambda
            # does without a destination).
            threading.Thread(target=self._run, args=(name, body), daemon=True).start()
            self._send(HTTPStatus.ACCEPTED, b"")
            return
        if invocation_type == "DryRun":
            self._send(HTTPStatus.NO_CONTENT, b"")
            return
        if invocation_type != "RequestResponse":
            self._error(
                HTTPStatus.BAD_REQUEST,
                "InvalidParameterValueException",
                f"X-Amz-Invocation-Type {invocation_type!r}: use RequestResponse, Event or DryRun",
            )
            return
        result = self._run(name, body)
        if result is None:
            return
        status, function_error, payload = result
        headers = {"X-Amz-Executed-Version": EXECUTED_VERSION}
        if len(payload) > MAX_PAYLOAD_BYTES:
            function_error = "Unhandled"
            payload = json.dumps(
                {
                    "errorMessage": f"Response payload size ({len(payload)} bytes) exceeded"
                    f" maximum allowed payload size ({MAX_PAYLOAD_BYTES} bytes).",
                    "errorType": "Function.ResponseSizeTooLarge",
                }
            ).encode()
        if function_error:
            headers["X-Amz-Function-Error"] = function_error
        self._send(status, payload, headers)

    def _run(self, name: str, body: bytes) -> tuple[int, str | None, bytes] | None:
        try:
            status, function_error, payload = self.server.invoke(name, body)
        except FunctionNotFound:
            self._error(
                HTTPStatus.NOT_FOUND,
                "ResourceNotFoundException",
                f"Function not found: {self.server.arn(name)}",
            )
            return None
        except InvalidRequestContent as exc:
            self._error(HTTPStatus.BAD_REQUEST, "InvalidRequestContentException", str(exc))
            return None
        except Exception as exc:  # the invoker's own failure, not the function's
            self._error(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                "ServiceException",
                f"{type(exc).__name__}: {exc}",
                kind="Service",
            )
            return None
        return int(status), function_error, bytes(payload)


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a stuck invocation never blocks interpreter exit
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], api: LambdaApiServer) -> None:
        self.invoke = api.invoke
        self.arn = api.arn
        self.log = api.log
        self._counter = 0
        self._lock = threading.Lock()
        super().__init__(address, _Handler)

    def next_request_id(self) -> str:
        with self._lock:
            self._counter += 1
            return f"00000000-0000-4000-8000-{self._counter:012x}"


class LambdaApiServer:
    """The Invoke API on `http://127.0.0.1:<port>`; `port=0` picks a free port.

    Use as a context manager, or `start()` ... `stop()`. `url` is the endpoint to give boto3
    (`endpoint_url=`) or the SQL stand-in.
    """

    def __init__(
        self,
        invoke: InvokeFn,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        region: str = "us-east-1",
        account: str = "000000000000",
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.invoke = invoke
        self.host, self.port = host, port
        self.region, self.account = region, account
        self.log = log
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def arn(self, name: str) -> str:
        return f"arn:aws:lambda:{self.region}:{self.account}:function:{name}"

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the Lambda API server is not running; call start() first")
        return f"http://{self.host}:{self._server.server_address[1]}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> LambdaApiServer:
        if self._server is not None:
            return self
        try:
            server = _Server((self.host, self.port), self)
        except OSError as exc:
            raise OSError(
                exc.errno,
                f"cannot listen on {self.host}:{self.port} for the Lambda API ({exc.strerror});"
                " choose another port or stop what uses it",
            ) from None
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.2},
            daemon=True,
            name="lambda-api",
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def serve_forever(self) -> None:
        """Block serving requests (for a `serve` command); Ctrl-C stops it."""
        self.start()
        try:
            assert self._thread is not None
            while self._thread.is_alive():
                self._thread.join(timeout=0.5)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def __enter__(self) -> LambdaApiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
