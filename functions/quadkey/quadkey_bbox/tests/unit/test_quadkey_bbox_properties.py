"""QUADKEY_BBOX: whole batches against mercantile, row by row (not stored).

The handler reads every key of the batch at once and answers with one loop for the bounds
and one encoding for the floats; each result must be the compact text json.dumps writes for
mercantile.bounds, and an error must name the first row (nulls aside) that is not a quadkey.
"""

import mercantile
from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing, row_by_row

fixture_settings = import_testing("batch_testing").fixture_settings
qt = import_testing("quadint_testing")

SETTINGS = fixture_settings(150)


def reference(key):
    if len(key) > 29 or key.strip("0123") != "":
        raise ValueError(f"Invalid quadkey {key[:40]!r}: up to 29 digits 0-3")
    return qt.bounds_text(mercantile.quadkey_to_tile(key))


keys = st.one_of(
    qt.tiles(middle_lines=True).map(lambda t: mercantile.quadkey(*t)),
    st.text(alphabet="0123", max_size=29),
)
bad_keys = st.one_of(
    st.text(alphabet="0123", min_size=30, max_size=300),  # too long
    st.text(min_size=1, max_size=8).filter(lambda k: k.strip("0123")),  # anything else
    st.text(alphabet="01234 \u0661\u00e9_", min_size=1, max_size=8),  # near misses
)


@SETTINGS
@given(st.lists(keys, min_size=1, max_size=60))
def test_valid_batches(respond, batch):
    rows = [[key] for key in batch]
    assert respond(rows) == row_by_row(reference, rows)


@SETTINGS
@given(st.lists(st.one_of(keys, keys, bad_keys, st.none()), min_size=1, max_size=30))
def test_mixed_batches(respond, batch):
    rows = [[key] for key in batch]
    assert respond(rows) == row_by_row(reference, rows)
