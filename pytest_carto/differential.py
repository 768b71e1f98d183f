"""Checking a whole-batch handler against its per-row definition.

A batch handler is fast because it does not call a function per row, but it must answer
exactly as the per-row definition would: the same results, and the same error message naming
the same row. `row_by_row(definition, rows)` is that answer (the JSON text
`carto_runtime.redshift_handler(definition)` writes for the same rows), and the `respond`
fixture is the function's own text, so that a test reads:

    tiles = import_shared("quadint_core.tiles")

    @given(st.lists(rows))
    def test_batches_answer_as_row_by_row(respond, rows):
        assert respond(rows) == row_by_row(tiles.sibling, rows)

Pytest imports test files on their own (--import-mode=importlib), so a test reaches shared
code by name: `import_shared` a module of functions/_shared (the code the artifacts ship),
`import_testing` one of functions/_testing (strategies and helpers only tests use).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any, Literal

import pytest

from carto_runtime import redshift_handler
from engine.catalog.loader import find_repo_root


def row_by_row(
    definition: Callable[..., Any],
    rows: Sequence[list[Any] | None],
    *,
    nulls: Literal["propagate", "pass"] = "propagate",
) -> str:
    """The JSON text a per-row handler of `definition` answers for `rows`."""
    handler = redshift_handler(nulls=nulls)(definition)
    return handler({"request_id": "row-by-row", "num_records": len(rows), "arguments": list(rows)})


def import_shared(name: str) -> ModuleType:
    """Import a module of functions/_shared (say "quadint_core.tiles") from a test."""
    return _import_from("_shared", name)


def import_testing(name: str) -> ModuleType:
    """Import a module of functions/_testing (say "quadint_testing"): helpers that tests share,
    since a test file cannot import another one. Its asserts are rewritten as a test file's,
    so that a failing one shows its values."""
    if name not in sys.modules:
        pytest.register_assert_rewrite(name)
    return _import_from("_testing", name)


def _import_from(folder: str, name: str) -> ModuleType:
    """Import `name` with functions/<folder> on sys.path for the import only."""
    path = str(find_repo_root() / "functions" / folder)
    sys.path.insert(0, path)
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(path)
