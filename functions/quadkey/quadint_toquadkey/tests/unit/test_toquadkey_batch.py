"""QUADINT_TOQUADKEY: whole batches against the per-row definition (not stored).

The handler writes a batch of valid quadints at once (in chunks of rows) and sends any other
batch row by row through the definition (quadint_core's check_quadint and quadkey). Whatever
the batch, its whole response must be the text the per-row handler of that definition writes:
the same results, or the same error naming the same row.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_carto import import_shared, row_by_row

_definitions = import_shared("quadint_core")
check_quadint = _definitions.check_quadint
quadkey = _definitions.quadkey


def lambda_handler(quadint):
    """The per-row definition."""
    return quadkey(*check_quadint(quadint))


SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def quadint(x, y, z):
    return ((y << z | x) << 5) | z


@st.composite
def tiles(draw, max_z=29):
    z = draw(st.integers(0, max_z))
    coordinate = st.sampled_from([0, (1 << z) - 1]) | st.integers(0, (1 << z) - 1)
    return quadint(draw(coordinate), draw(coordinate), z)


valid = tiles() | st.booleans()
invalid = st.one_of(
    st.integers(-(1 << 70), -1),
    tiles().map(lambda q: q | 30),  # zoom 30 or 31
    tiles(max_z=28).filter(lambda q: q & 31).map(lambda q: q + (1 << (2 * (q & 31) + 5))),
    st.integers(1 << 63, 1 << 70),
    st.floats(allow_nan=False),
    st.text(max_size=3),
    st.none(),
)


@st.composite
def batches(draw):
    """Mostly batches of valid quadints (written at once), else anything."""
    rows = draw(st.lists(valid.map(lambda q: [q]), min_size=1, max_size=40))
    if draw(st.booleans()):
        return rows
    for _ in range(draw(st.integers(1, 3))):
        row = draw(invalid.map(lambda q: [q]) | st.just(None))
        rows.insert(draw(st.integers(0, len(rows))), row)
    return rows


@SETTINGS
@given(batches())
def test_same_response_as_per_row(respond, rows):
    assert respond(rows) == row_by_row(lambda_handler, rows)


@settings(SETTINGS, max_examples=25)
@given(
    st.lists(valid.map(lambda q: [q]), min_size=1, max_size=30),
    st.integers(2000, 5000),
    st.none() | st.tuples(st.integers(0, 4999), invalid),
)
def test_large_batches(respond, sample, size, bad):
    """Batches over several chunks, with an invalid row in any of them."""
    rows = (sample * (size // len(sample) + 1))[:size]
    if bad is not None:
        rows[bad[0] % size] = [bad[1]]
    assert respond(rows) == row_by_row(lambda_handler, rows)


@pytest.mark.parametrize(
    "rows",
    [
        [[0]],
        [[False], [True], [0], [33]],
        [[4388], [0]],
        [[0], [0], [4388], [0]],
        [[quadint((1 << 29) - 1, (1 << 29) - 1, 29)], [quadint(0, 0, 29)]],
        [[4388], [-4388]],
        [[4388], [4388.0]],
        [[4388], [1 << 64]],
    ],
)
def test_edges(respond, rows):
    assert respond(rows) == row_by_row(lambda_handler, rows)


def test_row_of_another_width(respond):
    """As the handler has always reported it: the row cannot be unpacked into one quadint."""
    response = respond([[4388], [4388, 1]])
    assert response.startswith('{"success":false,"error_msg":"row 2 of 2: ValueError: too many')
