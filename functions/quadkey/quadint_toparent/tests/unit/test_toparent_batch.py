"""QUADINT_TOPARENT: whole batches against the per-row definition (not stored).

The handler computes a batch of valid rows on lanes and sends any other batch row by row
through the definition (quadint_core's check_quadint, check_zoom and from_zxy). Whatever the
batch, its whole response must be the text the per-row handler of that definition writes: the
same results, or the same error naming the same row.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_carto import import_shared, row_by_row

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


SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def quadint(x, y, z):
    return ((y << z | x) << 5) | z


@st.composite
def tiles(draw, min_z=0, max_z=29):
    z = draw(st.integers(min_z, max_z))
    coordinate = st.sampled_from([0, (1 << z) - 1]) | st.integers(0, (1 << z) - 1)
    return quadint(draw(coordinate), draw(coordinate), z)


@st.composite
def valid_rows(draw):
    q = draw(tiles(min_z=1) | st.just(True))
    z = q & 31
    r = draw(st.sampled_from([0, z - 1]) | st.integers(0, z - 1))
    return [q, draw(st.just(r) | st.just(bool(r)))] if r <= 1 else [q, r]


invalid_quadints = st.one_of(
    st.integers(-(1 << 70), -1),
    tiles().map(lambda q: q | 30),  # zoom 30 or 31
    tiles(max_z=28).filter(lambda q: q & 31).map(lambda q: q + (1 << (2 * (q & 31) + 5))),
    st.integers(1 << 63, 1 << 70),
    st.floats(allow_nan=False),
    st.text(max_size=3),
    st.none(),
    st.just(0),  # zoom 0: no parent
)
any_resolution = st.one_of(
    st.integers(-3, 40), st.integers(250, 300), st.floats(-1, 40), st.booleans(), st.none()
)


@st.composite
def batches(draw):
    """Mostly batches the lanes take (valid rows), else anything."""
    rows = draw(st.lists(valid_rows(), min_size=1, max_size=40))
    if draw(st.booleans()):
        return rows
    for _ in range(draw(st.integers(1, 3))):
        row = draw(
            st.one_of(
                st.tuples(invalid_quadints, any_resolution).map(list),
                st.tuples(tiles(), any_resolution).map(list),
                st.sampled_from([None, [None, 1], [4388], [4388, 1, 1]]),
            )
        )
        rows.insert(draw(st.integers(0, len(rows))), row)
    return rows


@SETTINGS
@given(batches())
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
