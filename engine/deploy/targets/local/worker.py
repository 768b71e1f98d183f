"""The worker process of the local target: one warm "Lambda instance" for one artifact.

Started as `<python3.X> -I -S local_worker.py <task_root> <handler>`, so neither the
development venv, the user site nor PYTHON* variables leak in; sys.path is set here to the
unpacked artifact followed by the standard library. This file must run on every supported
runtime (3.10+) and import nothing but the standard library: it is *not* part of `engine`
when it runs.

Protocol on the original stdin/stdout: 4-byte big-endian length, then UTF-8 JSON.
  worker -> parent  {"ready": true} | {"ready": false, "error": str, "traceback": str}
  parent -> worker  {"event": ..., "context": {...}}
  worker -> parent  {"payload": str} | {"error": str, "traceback": str}
The handler's own prints go to stderr, so they can never corrupt the protocol stream.
"""

import importlib
import json
import os
import struct
import sys
import time
import traceback


def _send(stream, message):
    data = json.dumps(message).encode("utf-8")
    stream.write(struct.pack(">I", len(data)) + data)
    stream.flush()


def _receive(stream):
    header = stream.read(4)
    if len(header) < 4:
        return None  # parent closed stdin: exit quietly
    (size,) = struct.unpack(">I", header)
    return json.loads(stream.read(size).decode("utf-8"))


class LambdaContext:
    """The attributes Lambda's Python context object offers that handlers commonly use."""

    def __init__(self, info):
        self.function_name = info.get("function_name", "")
        self.function_version = "$LATEST"
        self.invoked_function_arn = info.get("invoked_function_arn", "")
        self.memory_limit_in_mb = str(info.get("memory_limit_in_mb", ""))
        self.aws_request_id = info.get("aws_request_id", "")
        self.log_group_name = "/aws/lambda/" + self.function_name
        self.log_stream_name = "local"
        self._deadline = time.monotonic() + float(info.get("timeout", 60))

    def get_remaining_time_in_millis(self):
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def _error(exc):
    return {
        "error": f"{type(exc).__name__}: {exc}",
        "traceback": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
    }


def main():
    task_root, handler = sys.argv[1], sys.argv[2]
    # Keep the protocol on private descriptors; fd 1 becomes stderr for the handler's prints.
    proto_out = os.fdopen(os.dup(1), "wb")
    proto_in = os.fdopen(os.dup(0), "rb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    sys.stdin = open(os.devnull)  # noqa: SIM115 - lives as long as the process
    sys.dont_write_bytecode = True  # Lambda's task root is read-only; keep the unpack pristine
    sys.path.insert(0, task_root)
    os.chdir(task_root)

    module_name, _, attr = handler.rpartition(".")
    try:
        func = getattr(importlib.import_module(module_name), attr)
    except BaseException as exc:
        message = _error(exc)
        message["ready"] = False
        message["error"] = f"Unable to import module '{module_name}': {message['error']}"
        _send(proto_out, message)
        return 1
    _send(proto_out, {"ready": True})

    while True:
        request = _receive(proto_in)
        if request is None:
            return 0
        try:
            result = func(request["event"], LambdaContext(request.get("context", {})))
            # Lambda's Python runtime JSON-encodes whatever the handler returns, strings too.
            payload = json.dumps(result)
            _send(proto_out, {"payload": payload})
        except BaseException as exc:
            _send(proto_out, _error(exc))
            if isinstance(exc, (SystemExit, KeyboardInterrupt)):
                return 1


if __name__ == "__main__":
    sys.exit(main())
