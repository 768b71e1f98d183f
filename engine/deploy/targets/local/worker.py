"""The worker process of the local target: one warm "Lambda instance" for one artifact.

Started as `<python3.X> -I -S worker.py <task_root> <handler>`, so neither the
development venv, the user site nor PYTHON* variables leak in; sys.path is set here to the
unpacked artifact followed by the standard library. This file must run on every supported
runtime (3.10+) and import nothing but the standard library: it is *not* part of `engine`
when it runs.

Protocol on the original stdin/stdout: 4-byte big-endian length, then UTF-8 JSON.
  worker -> parent  {"ready": true} | {"ready": false, <error>}
  parent -> worker  {"event": ..., "context": {...}}
  worker -> parent  {"payload": str} | {<error>}
  <error> = "error_type": str, "error": str, "stack": [str], "traceback": str
The handler's own prints go to stderr, so they can never corrupt the protocol stream.

As on Lambda, the task root is read-only (an audit hook refuses every write under it with
EROFS, whoever the process runs as) and the address space is limited to the function's
memory_size (RLIMIT_AS), so an allocation beyond it fails with MemoryError.
"""

import errno
import importlib
import json
import os
import struct
import sys
import time
import traceback

# Flags of os.open that write; an open with any of them under the task root is refused.
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
# Audit events that change a path, and which of their arguments are the changed paths.
_PATH_EVENTS = {
    "os.mkdir": (0,),
    "os.remove": (0,),
    "os.rmdir": (0,),
    "os.rename": (0, 1),
    "os.chmod": (0,),
    "os.chown": (0,),
    "os.truncate": (0,),
    "os.symlink": (1,),
    "os.link": (1,),
    "os.utime": (0,),
    "shutil.rmtree": (0,),
    "shutil.copyfile": (1,),
    "shutil.move": (0, 1),
}


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


def _error(exc, error_type=None):
    """The error as Lambda's Python runtime reports it: type, message, stack lines."""
    stack = traceback.format_list(traceback.extract_tb(exc.__traceback__))
    return {
        "error_type": error_type or type(exc).__name__,
        "error": str(exc),
        "stack": [line.rstrip("\n") for line in stack],
        "traceback": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
    }


def _read_only(root):
    """An audit hook refusing writes under `root`, as Lambda's read-only task root does."""
    prefix = os.path.realpath(root) + os.sep

    def inside(path):
        if isinstance(path, int) or path is None:
            return False
        try:
            full = os.path.realpath(os.fsdecode(path))
        except (TypeError, ValueError):
            return False
        return (full + os.sep).startswith(prefix)

    def hook(event, args):
        if event == "open" and args:
            path, mode, flags = [*args, None, None][:3]
            writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & _WRITE_FLAGS
            )
            if writes and inside(path):
                raise OSError(errno.EROFS, "Read-only file system", os.fsdecode(path))
        elif event in _PATH_EVENTS:
            for index in _PATH_EVENTS[event]:
                if index < len(args) and inside(args[index]):
                    path = os.fsdecode(args[index])
                    raise OSError(errno.EROFS, "Read-only file system", path)

    sys.addaudithook(hook)


def _limit_memory():
    """RLIMIT_AS = memory_size: allocations beyond it fail, as they would on Lambda."""
    try:
        import resource

        megabytes = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE") or 0)
    except (ImportError, ValueError):
        return
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


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
    _read_only(task_root)
    _limit_memory()

    module_name, _, attr = handler.rpartition(".")
    try:
        func = getattr(importlib.import_module(module_name), attr)
    except SyntaxError as exc:
        message = _error(exc, "Runtime.UserCodeSyntaxError")
        message["error"] = f"Syntax error in module '{module_name}': {exc}"
        message["ready"] = False
        _send(proto_out, message)
        return 1
    except BaseException as exc:
        message = _error(exc, "Runtime.ImportModuleError")
        message["ready"] = False
        message["error"] = f"Unable to import module '{module_name}': {exc}"
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
