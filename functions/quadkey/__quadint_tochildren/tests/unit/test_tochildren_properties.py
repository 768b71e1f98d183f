"""__QUADINT_TOCHILDREN: children map back to their parent with mercantile (not stored)."""

import json
import re

import mercantile
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.invoke import InvocationError

# `invoke` holds no state between calls, so sharing it across examples is safe.
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def quadint(x, y, z):
    return ((y << z | x) << 5) | z


@SETTINGS
@given(st.integers(0, 27), st.integers(1, 4), st.data())
def test_children_have_the_parent(invoke, z, levels, data):
    resolution = min(z + levels, 29)
    x = data.draw(st.integers(0, (1 << z) - 1))
    y = data.draw(st.integers(0, (1 << z) - 1))
    (result,) = invoke([[quadint(x, y, z), resolution]])
    children = json.loads(result)
    assert len(set(children)) == 4 ** (resolution - z)
    for child in children:
        cz = child & 31
        cx, cy = (child >> 5) & ((1 << cz) - 1), child >> (cz + 5)
        assert cz == resolution
        assert tuple(mercantile.parent(mercantile.Tile(cx, cy, cz), zoom=z)) == (x, y, z)


# ---------------------------------------------------------------- whole batches, row by row
#
# The handler computes a batch asking one number of levels on every parent at once; anything
# else row by row. Either way each result must be the per-row definition's text, and an error
# must name the first row (nulls aside) that the definition refuses, with its message.


def digits(z):
    last = (1 << z) - 1
    return len(str(quadint(last, last, z)))


def reference(parent, resolution):
    """The per-row definition: the quadint, the resolution, then the size limit; children
    column by column (west to east), north to south within each."""
    z = parent & 31
    if parent < 0 or z > 29 or parent >> (2 * z + 5):
        raise ValueError(f"Invalid quadint: {parent}")
    if resolution < z + 1 or resolution > 29:
        raise ValueError(f"Invalid resolution, should be between {z + 1} and 29")
    levels = resolution - z
    count = 4**levels
    limit = 65534 // (digits(resolution) + 1)
    if count > limit:
        raise ValueError(
            f"tochildren would return {count:,} quadints; the limit is {limit:,} per row (one "
            f"result must fit in a 65,535-byte VARCHAR(MAX)). Ask for fewer levels at once."
        )
    x, y = (parent >> 5) & ((1 << z) - 1), parent >> (z + 5)
    children = [
        quadint(cx, cy, resolution)
        for cx in range(x << levels, (x + 1) << levels)
        for cy in range(y << levels, (y + 1) << levels)
    ]
    return json.dumps(children)


def check_batch(invoke, rows):
    """The handler's answer to `rows` is the definition's, row by row."""
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


@st.composite
def tiles(draw, min_z=0, max_z=29):
    """(x, y, z), often on the grid's edges."""
    z = draw(st.integers(min_z, max_z))
    n = 1 << z
    coordinate = st.one_of(
        st.integers(0, n - 1), st.sampled_from([0, 1, n // 2, n - 2, n - 1]).map(lambda v: v % n)
    )
    return draw(coordinate), draw(coordinate), z


bad_parents = st.one_of(
    st.integers(-(1 << 63), -1),
    st.integers(0, 1 << 58).map(lambda v: v << 5 | 30),  # zoom 30
    st.integers(0, 1 << 58).map(lambda v: v << 5 | 31),
    st.builds(  # a row beyond the grid
        lambda t, k: quadint(t[0], t[1] + (k << t[2]), t[2]), tiles(), st.integers(1, 3)
    ),
    st.integers(0, (1 << 64) - 1),  # anything a lane could hold
)


@SETTINGS
@given(st.lists(tiles(), min_size=1, max_size=30), st.integers(1, 6))
def test_valid_batches_of_one_level_count(invoke, batch, levels):
    # levels past zoom 29 or over the limit (from 5 levels at zoom 29) are refused
    check_batch(invoke, [[quadint(*t), t[2] + levels] for t in batch])


@SETTINGS
@given(st.lists(tiles(min_z=1), min_size=1, max_size=8), st.data())
def test_resolutions_not_below_the_parents(invoke, batch, data):
    # one number of levels, 0 or fewer: every row is refused, the first one named
    levels = data.draw(st.integers(-min(t[2] for t in batch), 0))
    check_batch(invoke, [[quadint(*t), t[2] + levels] for t in batch])


@SETTINGS
@given(st.integers(4, 6), st.data())
def test_levels_near_the_limit(invoke, levels, data):
    # every child inside zoom 29; from some zoom on, too many children
    parents = tiles(min_z=max(0, 21 - levels), max_z=29 - levels)
    batch = data.draw(st.lists(parents, min_size=1, max_size=8))
    check_batch(invoke, [[quadint(*t), t[2] + levels] for t in batch])


@SETTINGS
@given(
    st.lists(
        st.one_of(
            tiles().map(lambda t: quadint(*t)),
            tiles().map(lambda t: quadint(*t)),
            bad_parents,
            st.none(),
        ),
        min_size=1,
        max_size=30,
    ),
    st.integers(-29, 7),
)
def test_mixed_batches_of_one_level_count(invoke, batch, levels):
    rows = [[q, None if q is None else (q & 31) + levels] for q in batch]
    check_batch(invoke, rows)


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.one_of(tiles().map(lambda t: quadint(*t)), bad_parents, st.none()),
            st.one_of(st.integers(-1, 31), st.none()),
        ).map(list),
        min_size=1,
        max_size=30,
    )
)
def test_mixed_resolutions(invoke, rows):
    check_batch(invoke, rows)
