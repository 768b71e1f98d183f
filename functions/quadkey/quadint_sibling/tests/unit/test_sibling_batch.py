"""QUADINT_SIBLING: whole batches against the quadint definition (not stored).

The handler moves a batch of one direction on lanes and sends any other batch row by row
through quadint_core's `sibling`. Whatever the batch, its whole response must be the text a
per-row handler of `sibling` below writes (the direction checked, then the quadint, then the
neighbour on the grid wrapping around its edges, from the quadint's own encoding): the same
results, or the same error naming the same row.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing, row_by_row

fixture_settings = import_testing("batch_testing").fixture_settings
qt = import_testing("quadint_testing")
quadint = qt.quadint

STEPS = {"up": (0, -1), "down": (0, 1), "left": (-1, 0), "right": (1, 0)}


def sibling(q, direction):
    """The reference, named as the definition (its name appears in argument-count errors)."""
    step = STEPS.get(direction.lower())
    if step is None:
        raise ValueError(f"Wrong direction {direction!r}, should be one of: up, right, left, down")
    x, y, z = qt.tile_of(q)
    if z == 0:  # the world tile is its own neighbour: returned as given
        return q
    n = 1 << z
    return quadint((x + step[0]) % n, (y + step[1]) % n, z)


SETTINGS = fixture_settings(300)

valid = qt.corner_quadints() | st.booleans()
invalid = qt.not_quadints
names = st.sampled_from(["up", "down", "left", "right", "UP", "Left", "dOWN", "RIGHT"])
bad_names = st.one_of(st.sampled_from(["north", "", "up "]), st.integers(), st.none())


@st.composite
def batches(draw):
    """Mostly batches the lanes take (one direction, valid quadints), else anything."""
    clean = draw(st.booleans())
    one = draw(names)
    quadints = valid if clean else valid | invalid
    directions = st.just(one) if draw(st.booleans()) else names
    if not clean:
        directions = directions | bad_names
    rows = draw(st.lists(st.lists(quadints, min_size=1, max_size=1), min_size=1, max_size=40))
    for row in rows:
        row.append(draw(directions))
    if not clean:
        extra = st.sampled_from([None, [None, "up"], [4388, None]])  # widths: the runtime's
        for _ in range(draw(st.integers(0, 2))):
            rows.insert(draw(st.integers(0, len(rows))), draw(extra))
    return rows


@SETTINGS
@given(batches())
def test_same_response_as_per_row(respond, rows):
    assert respond(rows) == row_by_row(sibling, rows)


@pytest.mark.parametrize(
    "rows",
    [
        [[0, "up"], [False, "left"], [True, "down"]],
        [[quadint((1 << 29) - 1, (1 << 29) - 1, 29), "right"], [quadint(0, 0, 29), "Up"]],
        [[4388, "up"], [4388, "UP"], [4388, "Up"]],
        [[4388, "up"], [4388, "down"]],
        [[4388, "up"], [-1, "up"]],
        [[4388, "north"], [-1, "up"]],
    ],
)
def test_edges(respond, rows):
    assert respond(rows) == row_by_row(sibling, rows)
