"""__QUADINT_TOCHILDREN: children map back to their parent with mercantile (not stored)."""

import json

import mercantile
from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing

bt = import_testing("batch_testing")
qt = import_testing("quadint_testing")

SETTINGS = bt.fixture_settings(150)


@SETTINGS
@given(st.integers(0, 27), st.integers(1, 4), st.data())
def test_children_have_the_parent(invoke, z, levels, data):
    resolution = min(z + levels, 29)
    x = data.draw(st.integers(0, (1 << z) - 1))
    y = data.draw(st.integers(0, (1 << z) - 1))
    (result,) = invoke([[qt.quadint(x, y, z), resolution]])
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


def reference(parent, resolution):
    """The per-row definition: the quadint, the resolution, then the size limit; children
    column by column (west to east), north to south within each."""
    x, y, z = qt.tile_of(parent)
    if z == 29:
        raise ValueError("Wrong quadint zoom: a zoom 29 quadint has no children")
    if resolution < z + 1 or resolution > 29:
        raise ValueError(
            f"Wrong resolution: invalid resolution, should be between {z + 1} and 29 "
            f"for a zoom {z} quadint"
        )
    levels = resolution - z
    count = 4**levels
    limit = 65535 // (qt.digits(resolution) + 2)  # n * digits + (n - 1) * len(", ") + 2
    if count > limit:
        raise ValueError(
            f"tochildren would return {count:,} quadints; the limit is {limit:,} per row (one "
            f"result must fit in a 65,535-byte VARCHAR(MAX)). Ask for fewer levels at once."
        )
    children = [
        qt.quadint(cx, cy, resolution)
        for cx in range(x << levels, (x + 1) << levels)
        for cy in range(y << levels, (y + 1) << levels)
    ]
    return json.dumps(children)


tiles = qt.tiles
bad_parents = qt.bad_quadints()


@SETTINGS
@given(st.lists(tiles(), min_size=1, max_size=30), st.integers(1, 6))
def test_valid_batches_of_one_level_count(invoke, batch, levels):
    # levels past zoom 29 or over the limit (from 5 levels at zoom 29) are refused
    bt.check_batch(invoke, [[qt.quadint(*t), t[2] + levels] for t in batch], reference)


@SETTINGS
@given(st.lists(tiles(min_z=1), min_size=1, max_size=8), st.data())
def test_resolutions_not_below_the_parents(invoke, batch, data):
    # one number of levels, 0 or fewer: every row is refused, the first one named
    levels = data.draw(st.integers(-min(t[2] for t in batch), 0))
    bt.check_batch(invoke, [[qt.quadint(*t), t[2] + levels] for t in batch], reference)


@SETTINGS
@given(st.integers(4, 6), st.data())
def test_levels_near_the_limit(invoke, levels, data):
    # every child inside zoom 29; from some zoom on, too many children
    parents = tiles(min_z=max(0, 21 - levels), max_z=29 - levels)
    batch = data.draw(st.lists(parents, min_size=1, max_size=8))
    bt.check_batch(invoke, [[qt.quadint(*t), t[2] + levels] for t in batch], reference)


@SETTINGS
@given(
    st.lists(
        st.one_of(
            tiles().map(lambda t: qt.quadint(*t)),
            tiles().map(lambda t: qt.quadint(*t)),
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
    bt.check_batch(invoke, rows, reference)


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.one_of(tiles().map(lambda t: qt.quadint(*t)), bad_parents, st.none()),
            st.one_of(st.integers(-1, 31), st.none()),
        ).map(list),
        min_size=1,
        max_size=30,
    )
)
def test_mixed_resolutions(invoke, rows):
    bt.check_batch(invoke, rows, reference)
