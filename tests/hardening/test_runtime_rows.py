"""Row shapes are checked once in the runtime (issue class 15): whatever the batch function,
a row of the wrong width, or a value where lists of several arguments are expected, is
answered `row i of n: ...`, never `batch of k rows: ValueError: not enough values to unpack`."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from carto_runtime import batch_handler, redshift_handler
from engine.catalog.loader import load_catalog

ROOT = Path(__file__).resolve().parents[2]
CATALOG = load_catalog(ROOT)
BATCH = [
    f
    for f in CATALOG.functions
    if f.code_file is not None and "batch_handler" in f.code_file.read_text(encoding="utf-8")
]


def answer(handler: Callable[..., str], rows: list[Any]) -> dict[str, Any]:
    return json.loads(handler({"num_records": len(rows), "arguments": rows}))


@pytest.fixture(scope="module")
def shared_on_path() -> Iterator[None]:
    added = [p for p in (str(ROOT / "functions" / "_shared"),) if p not in sys.path]
    sys.path.extend(added)
    yield
    for p in added:
        sys.path.remove(p)


def load(function) -> Callable[..., str]:
    directory = str(function.code_file.parent)
    sys.path.insert(0, directory)
    try:
        spec = importlib.util.spec_from_file_location(
            f"hardening_{function.module}_{function.name}", function.code_file
        )
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(directory)
    return module.lambda_handler


def bad_rows(width: int) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [
        ("one argument too many", [1] * (width + 1)),
        ("an empty row", []),
    ]
    if width > 1:
        rows += [
            ("one argument too few", [1] * (width - 1)),
            ("an object", {"a": 1}),
            ("a string", "abc"),
            ("an integer", 7),
        ]
    return rows


def test_there_are_batch_handlers_to_check() -> None:
    assert len(BATCH) >= 13


@pytest.mark.parametrize("function", BATCH, ids=lambda f: f.id)
def test_every_batch_handler_names_a_misshapen_row(function, shared_on_path) -> None:
    handler = load(function)
    width = len(function.arguments)
    good = [1] * width
    for label, bad in bad_rows(width):
        for position in (0, 2):  # the first row, or one after good rows
            rows = [good, good, good]
            rows.insert(position, bad)
            body = answer(handler, rows)
            assert body["success"] is False, (label, body)
            assert body["error_msg"].startswith(f"row {position + 1} of 4: "), (label, body)
            assert "unpack" not in body["error_msg"]


@pytest.mark.parametrize("nulls", ["propagate", "pass"])
@pytest.mark.parametrize("width", [1, 2, 3, 4, 6])
def test_misshapen_rows_are_named_at_every_width(nulls: str, width: int) -> None:
    calls = []

    @batch_handler(nulls=nulls)
    def fn(rows):
        calls.append(rows)
        return [0 for _ in rows]

    good = list(range(1, width + 1))
    for label, bad in bad_rows(width):
        body = answer(fn, [good, good, bad, None, good])
        assert body["error_msg"].startswith("row 3 of 5: "), (label, body)
    assert calls == []  # the function never saw a misshapen batch
    body = answer(fn, [good, None, good])
    assert body["success"] is True


def test_the_message_says_what_was_expected() -> None:
    fn = batch_handler(lambda rows: [a + b for a, b in rows])
    assert answer(fn, [[1, 2], [3], [4, 5]])["error_msg"] == (
        "row 2 of 3: 1 argument where the batch's rows have 2"
    )
    assert answer(fn, [[1, 2], {"x": 1}])["error_msg"] == (
        "row 2 of 2: an object where the batch's rows are lists of 2 arguments"
    )
    assert answer(fn, [[1, 2], "ab", [3, 4]])["error_msg"] == (
        "row 2 of 3: a bare str where the batch's rows are lists of 2 arguments"
    )


def test_a_single_row_batch_failure_names_the_row() -> None:
    fn = batch_handler(lambda rows: [a + b for a, b in rows])
    assert answer(fn, [None, [1]])["error_msg"] == (
        "row 2 of 2: ValueError: not enough values to unpack (expected 2, got 1)"
    )


def test_the_odd_row_is_named_when_bare_values_are_the_rule() -> None:
    fn = batch_handler(lambda rows: [a for (a,) in rows])
    assert answer(fn, ["a", "b", [1, 2], "c"])["error_msg"] == (
        "row 3 of 4: 2 arguments where the batch's rows have 1"
    )


def test_bare_values_still_stand_for_one_argument_rows() -> None:
    fn = batch_handler(lambda rows: [str(a) for (a,) in rows])
    assert answer(fn, ["a", [1], {"k": 2}, None])["results"] == ["a", "1", "{'k': 2}", None]


def test_row_handlers_already_name_the_row() -> None:
    fn = redshift_handler(lambda a, b: a + b)
    assert answer(fn, [[1, 2], [3]])["error_msg"].startswith("row 2 of 2: TypeError")
