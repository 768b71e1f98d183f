"""The embedded default target: "deploys" artifacts under .carto/local/<prefix>/<name>/.

Each deployed function directory holds `artifact-<digest>.zip` and `metadata.json`; the
metadata file is the commit point (written last, by atomic rename), so a crash halfway
leaves either the old deployment or the new one, and a rerun converges. Writes to one
function hold its lock (`<prefix dir>/.<name>.lock`), so two processes deploying it cannot
interleave a commit with the other's garbage collection; a deployment whose metadata names
an artifact that is gone is read as changed (no digest), so the next deploy repairs it.
Invocations run in worker processes (engine.deploy.targets.local.pool) under the runtime's
Python version.
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import os
import platform
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from engine.build.interpreters import find_interpreter
from engine.deploy.models import (
    Action,
    ActionKind,
    ApiCall,
    Deployed,
    Desired,
    ExpectedCode,
    FileBytes,
)
from engine.deploy.targets.local.pool import WorkerPool
from engine.invoke.result import InvokeResult

METADATA = "metadata.json"
EMPTY_PREFIX_DIR = "_"  # directory name when RS_LAMBDA_PREFIX is empty
LOCK_TIMEOUT = 600  # seconds another process may hold a function's lock (a copy, a removal)


class LocalTargetError(RuntimeError):
    """The local target cannot do what was asked; the message says what to do."""


# platform.machine() spellings -> Lambda's architecture names.
_MACHINES = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "arm64", "arm64": "arm64"}


def host_architecture() -> str:
    machine = platform.machine().lower()
    return _MACHINES.get(machine, machine)


def _check_architecture(name: str, architecture: str) -> None:
    """Refuse an artifact built for another architecture: its vendored wheels (and Lambda's
    own choice of machine) would not match what runs it here."""
    host = host_architecture()
    if architecture and architecture != host:
        raise LocalTargetError(
            f"{name} is built for {architecture} but this machine is {host}: the local target "
            f"runs only {host} artifacts; set `architecture: {host}` in its function.yaml "
            "config for local runs, or deploy it with --target aws"
        )


def check_name(deployed_name: str) -> str:
    """A function name the local target can hold as one directory: never `..`, a path
    separator or a leading dot (LocalTargetError), so no name reaches outside its prefix."""
    bad = [s for s in {"/", "\\", os.sep, os.altsep or "/", "\0"} if s in deployed_name]
    if not deployed_name or ".." in deployed_name or deployed_name.startswith(".") or bad:
        raise LocalTargetError(
            f"invalid function name {deployed_name!r}: a local function name is one path "
            "component (no '..', no path separator, no leading dot)"
        )
    return deployed_name


def _write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


class LocalTarget:
    name = "local"

    def __init__(self, root: Path, *, pool: WorkerPool | None = None) -> None:
        self.root = Path(root)  # usually <repo>/.carto/local
        self.pool = pool or WorkerPool()
        atexit.register(self.close)

    # -- layout --------------------------------------------------------------------------

    def prefix_dir(self, prefix: str) -> Path:
        return self.root / (prefix or EMPTY_PREFIX_DIR)

    def _function_dir(self, prefix: str, deployed_name: str) -> Path:
        return self.prefix_dir(prefix) / check_name(deployed_name)

    def _lock(self, prefix: str, deployed_name: str) -> FileLock:
        """The function's write lock, outside its directory (a delete renames that away)."""
        base = self.prefix_dir(prefix)
        base.mkdir(parents=True, exist_ok=True)
        return FileLock(str(base / f".{check_name(deployed_name)}.lock"), timeout=LOCK_TIMEOUT)

    def _locked(self, prefix: str, deployed_name: str, work: Any, *args: Any, **kw: Any) -> None:
        lock = self._lock(prefix, deployed_name)
        try:
            with lock:
                work(*args, **kw)
            if not self._function_dir(prefix, deployed_name).exists():
                # Removed: its lock file goes too, so a removed prefix leaves nothing behind.
                Path(lock.lock_file).unlink(missing_ok=True)
        except Timeout:
            raise LocalTargetError(
                f"{deployed_name}: another process has held its lock for {LOCK_TIMEOUT} s "
                "(a deploy or remove of it still running?); retry when it has finished"
            ) from None

    @staticmethod
    def _read_metadata(directory: Path) -> dict[str, Any] | None:
        try:
            return json.loads((directory / METADATA).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # no commit point yet: not deployed

    def read_state(
        self, prefix: str, expected: Mapping[str, ExpectedCode] | None = None
    ) -> dict[str, Deployed]:
        # `expected` is ignored: local metadata is one file read per function already.
        state: dict[str, Deployed] = {}
        base = self.prefix_dir(prefix)
        if not base.is_dir():
            return state
        for directory in sorted(base.iterdir()):
            if directory.name.startswith(".") or not directory.is_dir():
                continue  # temporary or trashed entries
            meta = self._read_metadata(directory)
            if meta is None:
                continue
            # Metadata naming an artifact that is gone is not in sync, whatever its digest.
            present = (directory / str(meta.get("artifact") or METADATA)).is_file()
            state[directory.name] = Deployed(
                deployed_name=directory.name,
                digest=meta.get("digest") if present else None,
                config=dict(meta.get("config") or {}),
                function_id=meta.get("function_id"),
                managed=bool(meta.get("managed")),
                extra={
                    "path": str(directory),
                    "deployed_at": meta.get("deployed_at"),
                    "size": meta.get("size"),
                    **({} if present else {"artifact_missing": True}),
                },
            )
        return state

    def extra_actions(
        self, desired: list[Desired], state: dict[str, Deployed], prefix: str | None = None
    ) -> list[Action]:
        return []  # nothing to set up: no roles, no permissions

    # -- plan and apply ------------------------------------------------------------------

    def calls(self, action: Action) -> tuple[ApiCall, ...]:
        """The local operations applying `action` makes: write the function's files, or
        remove them."""
        prefix = str(action.data.get("prefix", ""))
        if action.kind in (ActionKind.CREATE, ActionKind.UPDATE_CODE, ActionKind.UPDATE_CONFIG):
            if action.desired is None:
                raise LocalTargetError(f"{action.kind.value} {action.name}: no desired state")
            artifact = action.desired.artifact
            params: dict[str, Any] = {"Prefix": prefix, "FunctionName": action.name}
            if action.kind is not ActionKind.UPDATE_CONFIG:
                params["ZipFile"] = FileBytes(artifact.path, artifact.size)
            params |= {"Digest": artifact.digest, "Config": dict(action.desired.config)}
            return (ApiCall("local", "PutFunction", params, action.name),)
        if action.kind is ActionKind.DELETE:
            params = {"Prefix": prefix, "FunctionName": action.name}
            return (ApiCall("local", "DeleteFunction", params, action.name),)
        if action.kind is ActionKind.SKIP:
            return ()
        raise LocalTargetError(f"the local target cannot apply {action.kind.value} actions")

    def apply(self, action: Action) -> None:
        for call in action.calls or self.calls(action):
            prefix = str(call.params["Prefix"])
            if call.operation == "PutFunction":
                assert action.desired is not None  # calls() refuses puts without one
                name = action.desired.deployed_name
                self._locked(
                    prefix, name, self._put, prefix, action.desired, code="ZipFile" in call.params
                )
            elif call.operation == "DeleteFunction":
                name = str(call.params["FunctionName"])
                self._locked(prefix, name, self._delete, prefix, name)
            else:
                raise LocalTargetError(f"the local target cannot run {call.name}")

    def _put(self, prefix: str, desired: Desired, *, code: bool) -> None:
        """Copy the artifact and commit the metadata; the caller holds the function's lock."""
        _check_architecture(desired.deployed_name, str(desired.config.get("architecture") or ""))
        # Invoking runs the runtime's own Python: without one, fail now with the fix (install
        # it, or CARTO_PYTHON_3_x), not at the first invoke. Found once per process (cached).
        find_interpreter(str(desired.config.get("runtime") or "python3.12"))
        directory = self._function_dir(prefix, desired.deployed_name)
        directory.mkdir(parents=True, exist_ok=True)
        old = self._read_metadata(directory) or {}
        artifact = desired.artifact
        zip_name = f"artifact-{artifact.digest}.zip"
        if code or not (directory / zip_name).is_file():
            tmp = directory / f".{zip_name}.{uuid.uuid4().hex}.tmp"
            shutil.copyfile(artifact.path, tmp)
            os.replace(tmp, directory / zip_name)
        meta = {
            "format": 1,
            "deployed_name": desired.deployed_name,
            "function_id": desired.function.id,
            "digest": artifact.digest,
            "artifact": zip_name,
            "size": artifact.size,
            "unzipped_size": artifact.unzipped_size,
            "config": dict(desired.config),
            "managed": True,
            "deployed_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "created_at": old.get("created_at")
            or dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        }
        _write_json_atomic(directory / METADATA, meta)
        # Older code is unreachable now: stop its warm workers, then drop its files.
        if old.get("digest") and old.get("digest") != artifact.digest:
            self.pool.discard(desired.deployed_name)
        elif not code:
            self.pool.discard(desired.deployed_name)  # config (timeout, env) is per worker
        self._collect_garbage(directory, artifact.digest)

    @staticmethod
    def _collect_garbage(directory: Path, digest: str) -> None:
        for entry in directory.iterdir():
            keep = digest in entry.name or entry.name == METADATA
            if not keep and entry.name.startswith(("artifact-", "unpacked-")):
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)

    def _delete(self, prefix: str, deployed_name: str) -> None:
        directory = self._function_dir(prefix, deployed_name)
        meta = self._read_metadata(directory)
        if meta is not None and not meta.get("managed"):
            raise LocalTargetError(
                f"refusing to delete {deployed_name}: it was not deployed by carto-gateway"
            )
        self.pool.discard(deployed_name)
        if directory.exists():
            # One rename takes it out of the state; the slow removal happens after.
            trash = directory.with_name(f".trash-{deployed_name}-{uuid.uuid4().hex[:8]}")
            os.rename(directory, trash)
            shutil.rmtree(trash, ignore_errors=True)

    # -- invoke --------------------------------------------------------------------------

    def locate(self, deployed_name: str) -> Path:
        """The directory of a deployed function, whichever prefix it was deployed under."""
        check_name(deployed_name)
        found = []
        if self.root.is_dir():
            for base in sorted(self.root.iterdir()):
                if (base / deployed_name / METADATA).is_file():
                    found.append(base / deployed_name)
        if not found:
            raise LocalTargetError(
                f"{deployed_name} is not deployed on the local target ({self.root}); "
                "run `carto-gateway deploy --target local` first"
            )
        if len(found) > 1:
            raise LocalTargetError(
                f"{deployed_name} is deployed under several prefixes: "
                + ", ".join(str(p) for p in found)
            )
        return found[0]

    def _unpacked(self, directory: Path, meta: dict[str, Any]) -> Path:
        """The artifact unpacked once per digest (into a temp dir, then renamed)."""
        target = directory / f"unpacked-{meta['digest']}"
        if target.is_dir():
            return target
        if not (directory / str(meta.get("artifact"))).is_file():
            raise LocalTargetError(
                f"{directory.name}: its artifact {meta.get('artifact')} is missing; "
                "deploy it again to repair it"
            )
        tmp = Path(tempfile.mkdtemp(prefix=".unpack-", dir=directory))
        try:
            with zipfile.ZipFile(directory / meta["artifact"]) as zf:
                zf.extractall(tmp)
            try:
                os.rename(tmp, target)
            except OSError:
                if not target.is_dir():  # another invoker won the race: theirs is identical
                    raise
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        return target

    def invoke_result(self, deployed_name: str, event: dict[str, Any]) -> InvokeResult:
        """Run the deployed artifact on `event`, answered as Lambda's Invoke answers.

        A function failure (import error, timeout, crash, oversize response) is FunctionError
        "Unhandled" with the runtime's error document; a missing deployment or interpreter
        raises LocalTargetError / InterpreterNotFound.
        """
        directory = self.locate(deployed_name)
        meta = self._read_metadata(directory)
        if meta is None:
            raise LocalTargetError(f"{deployed_name}: metadata vanished; redeploy it")
        _check_architecture(deployed_name, str(meta["config"].get("architecture") or ""))
        task_root = self._unpacked(directory, meta)
        return self.pool.invoke(deployed_name, meta["digest"], task_root, meta["config"], event)

    def invoke(self, deployed_name: str, event: dict[str, Any]) -> str:
        """The function's response (JSON text); InvocationError when it failed, as the aws
        target raises on FunctionError."""
        result = self.invoke_result(deployed_name, event)
        result.checked(deployed_name, event)
        return result.payload.decode("utf-8")

    def invoke_raw(self, function_name: str, payload: bytes) -> tuple[int, str | None, bytes]:
        """(status code, FunctionError or None, body) for a raw Invoke request: what a
        Lambda Invoke HTTP endpoint answers. Unknown functions are 404 and bodies that are
        not JSON 400, with the API's error document, as Lambda's."""
        try:
            event = json.loads(payload or b"{}")
        except ValueError as exc:
            result = InvokeResult.refused(
                400,
                "InvalidRequestContentException",
                f"Could not parse request body into json: {exc}",
            )
            return result.status_code, result.function_error, result.payload
        try:
            result = self.invoke_result(function_name, event)
        except LocalTargetError as exc:
            result = InvokeResult.refused(404, "ResourceNotFoundException", str(exc))
        return result.status_code, result.function_error, result.payload

    def close(self) -> None:
        self.pool.close()
