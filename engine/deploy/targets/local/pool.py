"""Warm worker processes for the local target, one pool per (deployed name, digest).

A worker is one "Lambda instance": it runs one invocation at a time, stays warm between
invocations, and is killed when it overruns the function's timeout or breaks the protocol.
Every failure of the function comes back as Lambda reports it (an InvokeResult with
FunctionError "Unhandled" and the runtime's error document), never as a hang.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import struct
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from engine.build.interpreters import find_interpreter
from engine.invoke.result import InvokeResult

WORKER_SCRIPT = Path(__file__).with_name("worker.py")
MAX_PAYLOAD_BYTES = 6 * 1024 * 1024  # Lambda's synchronous request/response limit
INIT_TIMEOUT = 10.0  # Lambda's init phase limit, seconds
MAX_IDLE_PER_KEY = 4


def _failed(reply: dict[str, Any]) -> InvokeResult:
    """A worker's error message as the runtime's error document."""
    return InvokeResult.unhandled(
        str(reply.get("error_type") or "Runtime.Unknown"),
        str(reply.get("error") or ""),
        list(reply.get("stack") or []),
    )


class _Timeout(Exception):
    pass


class _Died(Exception):
    pass


class Worker:
    def __init__(self, python: Path, task_root: Path, config: dict[str, Any], name: str) -> None:
        handler = str(config.get("handler") or "handler.lambda_handler")
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "TZ": "UTC",
            "HOME": tempfile.gettempdir(),
            "LAMBDA_TASK_ROOT": str(task_root),
            "_HANDLER": handler,
            "AWS_LAMBDA_FUNCTION_NAME": name,
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(config.get("memory_size", "")),
        }
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed by kill()
        # -I: no script dir, user site or PYTHON* variables; -S: no site-packages at all.
        self.proc = subprocess.Popen(
            [str(python), "-I", "-S", str(WORKER_SCRIPT), str(task_root), handler],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env=env,
            cwd=str(task_root),
            bufsize=0,
            start_new_session=True,  # a Ctrl-C in the terminal is the parent's to handle
        )
        self.name = name
        self.config = config

    def _read_exact(self, size: int, deadline: float) -> bytes:
        fd = self.proc.stdout.fileno()  # type: ignore[union-attr]
        chunks, remaining = [], size
        while remaining:
            left = deadline - time.monotonic()
            if left <= 0:
                raise _Timeout
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                raise _Timeout
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                raise _Died
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def receive(self, deadline: float) -> dict[str, Any]:
        (size,) = struct.unpack(">I", self._read_exact(4, deadline))
        return json.loads(self._read_exact(size, deadline).decode("utf-8"))

    def send(self, message: dict[str, Any]) -> None:
        data = json.dumps(message).encode("utf-8")
        try:
            self.proc.stdin.write(struct.pack(">I", len(data)) + data)  # type: ignore[union-attr]
        except (BrokenPipeError, OSError):
            raise _Died from None

    def stderr_tail(self, limit: int = 4000) -> str:
        self.stderr.seek(0, os.SEEK_END)
        size = self.stderr.tell()
        self.stderr.seek(max(0, size - limit))
        return self.stderr.read().decode("utf-8", errors="replace").strip()

    def death_message(self) -> str:
        code = self.proc.wait(timeout=5) if self.proc.poll() is None else self.proc.returncode
        tail = self.stderr_tail()
        return f"Runtime exited with code {code}" + (f":\n{tail}" if tail else "")

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):  # SIGKILL cannot be ignored
            self.proc.wait(timeout=5)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream:
                stream.close()
        self.stderr.close()


class WorkerPool:
    def __init__(self) -> None:
        self._idle: dict[tuple[str, str], list[Worker]] = {}
        self._lock = threading.Lock()
        self._generation: dict[str, int] = {}  # bumped by discard(); stale workers retire

    def _take(self, key: tuple[str, str]) -> Worker | None:
        with self._lock:
            workers = self._idle.get(key) or []
            while workers:
                worker = workers.pop()
                if worker.proc.poll() is None:
                    return worker
                worker.kill()
        return None

    def _give_back(self, key: tuple[str, str], worker: Worker, generation: int) -> None:
        with self._lock:
            current = self._generation.get(key[0], 0) == generation
            idle = self._idle.setdefault(key, [])
            if current and len(idle) < MAX_IDLE_PER_KEY:
                idle.append(worker)
                return
        worker.kill()

    def _start(self, task_root: Path, config: dict[str, Any], name: str) -> Worker | InvokeResult:
        """A ready worker, or the failure explaining why the artifact cannot start."""
        python = find_interpreter(str(config.get("runtime") or "python3.12"))
        worker = Worker(python, task_root, config, name)
        init_deadline = time.monotonic() + INIT_TIMEOUT
        try:
            ready = worker.receive(init_deadline)
        except _Timeout:
            worker.kill()
            return InvokeResult.unhandled(
                "Runtime.InitError", f"Init phase timed out after {INIT_TIMEOUT:.0f} seconds"
            )
        except _Died:
            message = worker.death_message()
            worker.kill()
            return InvokeResult.unhandled("Runtime.ExitError", message)
        if not ready.get("ready"):
            worker.kill()
            return _failed(ready)
        return worker

    def invoke(
        self,
        deployed_name: str,
        digest: str,
        task_root: Path,
        config: dict[str, Any],
        event: dict[str, Any],
    ) -> InvokeResult:
        request = {
            "event": event,
            "context": {
                "function_name": deployed_name,
                "memory_limit_in_mb": config.get("memory_size"),
                "aws_request_id": str(uuid.uuid4()),
                "timeout": config.get("timeout", 60),
                "invoked_function_arn": f"local:function:{deployed_name}",
            },
        }
        size = len(json.dumps(event).encode("utf-8"))
        if size > MAX_PAYLOAD_BYTES:
            return InvokeResult.refused(
                413,
                "RequestTooLargeException",
                f"Request must be smaller than {MAX_PAYLOAD_BYTES} bytes for the "
                f"InvokeFunction operation (this one is {size} bytes)",
            )
        key = (deployed_name, digest)
        with self._lock:
            generation = self._generation.get(deployed_name, 0)
        worker = self._take(key)
        if worker is None:
            started = self._start(task_root, config, deployed_name)
            if isinstance(started, InvokeResult):
                return started
            worker = started
        timeout = float(config.get("timeout") or 60)
        try:
            worker.send(request)
            reply = worker.receive(time.monotonic() + timeout)
        except _Timeout:
            worker.kill()
            return InvokeResult.unhandled(
                "Sandbox.Timedout", f"Task timed out after {timeout:.2f} seconds"
            )
        except _Died:
            message = worker.death_message()
            worker.kill()
            return InvokeResult.unhandled("Runtime.ExitError", message)
        self._give_back(key, worker, generation)
        if "payload" not in reply:
            return _failed(reply)
        payload = reply["payload"]
        size = len(payload.encode("utf-8"))
        if size > MAX_PAYLOAD_BYTES:
            return InvokeResult.unhandled(
                "Function.ResponseSizeTooLarge",
                f"Response payload size ({size} bytes) exceeded maximum allowed payload size "
                f"({MAX_PAYLOAD_BYTES} bytes).",
            )
        return InvokeResult.ok(payload)

    def discard(self, deployed_name: str) -> None:
        """Retire every worker of a function (its code or configuration changed)."""
        with self._lock:
            self._generation[deployed_name] = self._generation.get(deployed_name, 0) + 1
            keys = [k for k in self._idle if k[0] == deployed_name]
            doomed = [w for k in keys for w in self._idle.pop(k)]
        for worker in doomed:
            worker.kill()

    def close(self) -> None:
        with self._lock:
            doomed = [w for workers in self._idle.values() for w in workers]
            self._idle.clear()
        for worker in doomed:
            worker.kill()
