"""QUADBIN_FROMLONGLAT: whole batches against the reference library, row by row (not stored).

Points at any resolution, 0-26 and outside it, with nulls, mixed in one batch: the whole
response must be the text a per-row handler of the reference writes, so a wrong row named in
an error or a result moved to another row fails.
"""

from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing, row_by_row

bt = import_testing("batch_testing")
qr = import_testing("quadbin_rows")

SETTINGS = bt.fixture_settings(200)

longitudes = st.floats(-180.0, 180.0) | st.floats(allow_nan=False) | st.integers(-200, 200)
latitudes = st.one_of(
    st.floats(-90.0, 90.0),
    st.floats(allow_nan=False),
    st.sampled_from([85.05112877980659, -85.05112877980659, 89.0, -89.0, 90.0, -90.0]),
)
points = st.tuples(longitudes, latitudes, st.integers(0, 26)).map(list)
bad_points = st.tuples(
    longitudes, latitudes, st.integers(-40, -1) | st.integers(27, 40) | st.just(255)
).map(list)


def reference(longitude, latitude, resolution):
    return qr.fromlonglat(longitude, latitude, resolution)


@SETTINGS
@given(qr.mixed(points, bad_points | st.tuples(st.none(), latitudes, st.integers(0, 26)).map(list)))
def test_mixed_batches(respond, rows):
    assert respond(rows) == row_by_row(reference, rows)


def test_bad_row_after_good_ones(respond):
    rows = [[0.0, 0.0, 4], [1.5, 2.5, 26], [0.0, 0.0, 27], [0.0, 0.0, -1]]
    text = respond(rows)
    assert '"row 3 of 4: ValueError: Invalid resolution: should be between 0 and 26"' in text
    assert text == row_by_row(reference, rows)
