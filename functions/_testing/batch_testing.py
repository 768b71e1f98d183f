"""Helpers for function tests that send batches of rows through a handler.

`fixture_settings(n)` is what a hypothesis test using the module-scoped `invoke` or `respond`
fixture needs; `batches` and `large_batches` draw whole batches of rows, mostly valid ones,
for comparing a batch handler with its per-row definition (`pytest_carto.row_by_row`);
`check_batch` compares the results `invoke` decodes with a test-side definition's, row by
row: unlike `row_by_row`, it fails when the definition returns a result the runtime would
refuse (over a VARCHAR(MAX)).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from engine.invoke import InvocationError


def fixture_settings(max_examples: int) -> settings:
    """`max_examples` examples, no deadline, module-scoped fixtures allowed: `invoke` and
    `respond` hold no state between calls, so sharing them across examples is safe."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )


@st.composite
def batches(
    draw: st.DrawFn, valid_rows: st.SearchStrategy[Any], odd_rows: st.SearchStrategy[Any]
) -> list[Any]:
    """1 to 40 valid rows (the batches a handler answers at once); half of the time with 1 to 3
    odd rows (invalid, null, of another width) put in anywhere."""
    rows = draw(st.lists(valid_rows, min_size=1, max_size=40))
    if draw(st.booleans()):
        return rows
    for _ in range(draw(st.integers(1, 3))):
        row = draw(odd_rows)
        rows.insert(draw(st.integers(0, len(rows))), row)
    return rows


@st.composite
def large_batches(
    draw: st.DrawFn, valid_rows: st.SearchStrategy[Any], bad_values: st.SearchStrategy[Any]
) -> list[Any]:
    """2,000 to 5,000 rows (a sample of up to 30 valid rows repeated), so that a handler working
    in chunks of rows uses several; sometimes one row anywhere is a bad value instead."""
    sample = draw(st.lists(valid_rows, min_size=1, max_size=30))
    size = draw(st.integers(2000, 5000))
    bad = draw(st.none() | st.tuples(st.integers(0, 4999), bad_values))
    rows = (sample * (size // len(sample) + 1))[:size]
    if bad is not None:
        rows[bad[0] % size] = [bad[1]]
    return rows


def check_batch(
    invoke: Callable[[list[Any]], list[Any]],
    rows: list[list[Any]],
    reference: Callable[..., Any],
) -> None:
    """The handler answers `rows` as `reference` does row by row: a row holding a null is
    null, and the first row the reference refuses with a ValueError must be the one the error
    names, with the same message. Every result the reference returns must be the handler's."""
    expected = []
    for i, row in enumerate(rows):
        if None in row:
            expected.append(None)
            continue
        try:
            expected.append(reference(*row))
        except ValueError as exc:
            message = f"row {i + 1} of {len(rows)}: ValueError: {exc}"
            with pytest.raises(InvocationError, match=f"^{re.escape(message)}$"):
                invoke(rows)
            return
    assert invoke(rows) == expected
