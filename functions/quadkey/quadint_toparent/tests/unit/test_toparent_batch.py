"""QUADINT_TOPARENT: whole batches against the per-row definition (not stored).

The handler computes a batch of valid rows on lanes and sends any other batch row by row
through the definition (quadint_core's check_quadint, check_zoom and from_zxy). Whatever the
batch, its whole response must be the text the per-row handler of that definition writes: the
same results, or the same error naming the same row.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_shared, import_testing, row_by_row

_definitions = import_shared("quadint_core")
check_quadint = _definitions.check_quadint
check_zoom = _definitions.check_zoom
from_zxy = _definitions.from_zxy


def lambda_handler(quadint, resolution):
    """The per-row handler as it was (its name appears in argument-count errors)."""
    z, x, y = check_quadint(quadint)
    check_zoom(resolution, 0, z - 1)
    shift = z - resolution
    return from_zxy(resolution, x >> shift, y >> shift)


bt = import_testing("batch_testing")
qt = import_testing("quadint_testing")
quadint = qt.quadint

SETTINGS = bt.fixture_settings(300)


@st.composite
def valid_rows(draw):
    q = draw(qt.corner_quadints(min_z=1) | st.just(True))
    z = q & 31
    r = draw(st.sampled_from([0, z - 1]) | st.integers(0, z - 1))
    return [q, draw(st.just(r) | st.just(bool(r)))] if r <= 1 else [q, r]


invalid_quadints = st.one_of(qt.not_quadints, st.just(0))  # zoom 0: no parent
any_resolution = st.one_of(
    st.integers(-3, 40), st.integers(250, 300), st.floats(-1, 40), st.booleans(), st.none()
)
# Mostly batches the lanes take (valid rows), else anything.
batches = bt.batches(
    valid_rows(),
    st.one_of(
        st.tuples(invalid_quadints, any_resolution).map(list),
        st.tuples(qt.corner_quadints(), any_resolution).map(list),
        st.sampled_from([None, [None, 1], [4388], [4388, 1, 1]]),
    ),
)


@SETTINGS
@given(batches)
def test_same_response_as_per_row(respond, rows):
    assert respond(rows) == row_by_row(lambda_handler, rows)


@pytest.mark.parametrize(
    "rows",
    [
        [[quadint((1 << 29) - 1, (1 << 29) - 1, 29), 0], [quadint(5, 7, 29), 28]],
        [[True, 0], [True, False], [4388, True]],
        [[4388, 3], [4388, 4]],
        [[4388, 3], [4388, 3.0]],
        [[4388, 3], [4388, 256]],
        [[4388, 3], [4388, 1, 1]],
    ],
)
def test_edges(respond, rows):
    assert respond(rows) == row_by_row(lambda_handler, rows)
