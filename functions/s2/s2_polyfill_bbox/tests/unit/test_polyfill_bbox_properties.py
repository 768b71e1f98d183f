"""S2_POLYFILL_BBOX (both overloads) against s2sphere's RegionCoverer on random boxes.

Boxes are drawn a few cells of `min_resolution` wide (a face is 90 degrees wide, so a cell of
level L is about 90 / 2**L degrees): the reference keeps every cell of that level, and this
bounds its work and output before it runs.
"""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.invoke import InvocationError
from pytest_carto import import_shared, import_testing

s2t = import_testing("s2_testing")
fixture_settings = s2t.fixture_settings
cover = import_shared("s2_core.cover")

SETTINGS = fixture_settings(60)


@st.composite
def boxes(draw, max_min_level=14):
    min_level = draw(st.integers(0, max_min_level))
    max_level = draw(st.integers(min_level, 30))
    size = 90 / (1 << min_level) * 3  # at most about 3 x 3 cells of min_level
    width = draw(st.floats(0, size))
    height = draw(st.floats(0, min(size, 180)))
    west = draw(st.floats(-180, 180))
    south = draw(st.floats(-90, 90 - height))
    east = west + width
    if east > 180:  # across the antimeridian: S2's inverted longitude interval
        east -= 360
    return [west, east, south, south + height, min_level, max_level]


@SETTINGS
@given(st.lists(boxes(), min_size=1, max_size=5))
def test_same_cover_as_the_reference(invoke, rows):
    results = [json.loads(r) for r in invoke(rows)]
    assert results == [s2t.ref_cover(*row) for row in rows]


@SETTINGS
@given(st.lists(boxes(max_min_level=0), min_size=1, max_size=5))
def test_four_argument_rows_cover_levels_0_to_30(invoke, rows):
    # the S2_POLYFILL_BBOX(FLOAT8 x4) overload sends four-argument rows to the same Lambda
    results = [json.loads(r) for r in invoke([row[:4] for row in rows])]
    assert results == [s2t.ref_cover(*row[:4]) for row in rows]
    assert all(len(r) <= 8 for r in results)


@SETTINGS
@given(boxes(max_min_level=10))
def test_the_size_bound_holds(row):
    # every cell the cover keeps at min_resolution is counted by the bound checked up front
    west, east, south, north, level, _ = row
    cells = s2t.ref_cover(west, east, south, north, level, level)
    assert len(cells) <= cover.cells_bound(west, east, south, north, level)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ([-4.0, -3.0, 40.0, 41.0, 20, 30], "the limit is 3,120 cells per row"),
        ([0.0, 1.0, 0.0, 1.0, 9, 8], r"Maximum resolution \(8\) must be equal or greater"),
        ([0.0, 1.0, 0.0, 1.0, -1, 8], "Resolution must be between 0 and 30, got -1"),
        ([0.0, 1.0, -91.0, 1.0, 0, 8], "Invalid min_latitude: -91.0"),
        ([0.0, 181.0, 0.0, 1.0, 0, 8], "Invalid max_longitude: 181.0"),
    ],
)
def test_refusals_name_the_row(invoke, row, message):
    with pytest.raises(InvocationError, match=f"row 2 of 2: ValueError: .*{message}"):
        invoke([[0.0, 1.0, 0.0, 1.0, 0, 30], row])
