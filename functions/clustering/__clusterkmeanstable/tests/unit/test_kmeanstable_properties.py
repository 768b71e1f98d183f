"""__CLUSTERKMEANSTABLE: labels by input position, as Lloyd's steps and scikit-learn give."""

import json

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
pt = import_testing("processing_testing")

# What the procedure sends: DECIMAL(12,7) values.
coordinate = st.floats(-180.0, 180.0).map(lambda v: round(v, 7))


@st.composite
def point_lists(draw):
    pool = draw(st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=20))
    return draw(st.lists(st.sampled_from(pool), min_size=1, max_size=pt.MAX_POINTS))


@fixture_settings(30)
@given(point_lists(), st.integers(1, 8))
def test_labels_by_input_position(invoke, points, k):
    coords = json.dumps({"_coords": [c for p in points for c in p]})
    (text,) = invoke([[coords, k]])
    result = json.loads(text)
    assert [r["i"] for r in result] == list(range(1, len(points) + 1))
    order = pt.carto_order(points)
    ordered = np.array([points[i] for i in order], dtype=float)
    reference, emptied, gap = pt.lloyd_reference(ordered, min(k, len(set(points))))
    expected = [0] * len(points)
    for i, label in zip(order, reference, strict=True):
        expected[i] = label
    assert [r["c"] for r in result] == expected
    # A point and its repeats are always in one cluster.
    by_point: dict = {}
    for p, r in zip(points, result, strict=True):
        assert by_point.setdefault(p, r["c"]) == r["c"]
    if not emptied and gap > 1e-9:
        sk = pt.sklearn_labels(ordered, min(k, len(set(points))))
        assert [expected[i] for i in order] == sk
