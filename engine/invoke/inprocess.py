"""The in-process invoker: a function's handler imported from exactly its artifact's sources.

Every way of running a function (in-process, the local worker, Lambda) takes the same event
(`engine.invoke.events`) and returns the same response, checked by the same
`engine.invoke.contract.check_response`.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from engine.build.layout import source_files
from engine.catalog.model import Function
from engine.invoke.contract import check_response
from engine.invoke.events import InvocationError, make_event


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
