"""__CLUSTERKMEANS against scikit-learn's Lloyd KMeans and Lloyd's steps in numpy."""

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.invoke import InvocationError
from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
pt = import_testing("processing_testing")

coordinate = st.floats(-100.0, 100.0).map(lambda v: round(v, 6))
spread_points = st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=pt.MAX_POINTS)


@st.composite
def with_repeats(draw):
    """Points drawn from a small pool, so repeats are common."""
    pool = draw(st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=8))
    return draw(st.lists(st.sampled_from(pool), min_size=1, max_size=pt.MAX_POINTS))


def cluster(invoke, points, k):
    (text,) = invoke([[pt.multipoint(points), k]])
    return json.loads(text)


def check(invoke, points, k):
    result = cluster(invoke, points, k)
    order = pt.carto_order(points)
    # CARTO's order and coordinates: distinct points first, then the repeats.
    assert [r["geom"] for r in result] == [
        {"type": "Point", "coordinates": [float(points[i][0]), float(points[i][1])]} for i in order
    ]
    labels = [r["cluster"] for r in result]
    ordered = np.array([points[i] for i in order], dtype=float)
    k_used = min(k, len(set(points)))
    reference, emptied, gap = pt.lloyd_reference(ordered, k_used)
    assert labels == reference
    # scikit-learn relocates an emptied cluster and computes distances another way: where
    # neither matters (no empty cluster, no near tie), it must give the same labels.
    if not emptied and gap > 1e-9:
        assert labels == pt.sklearn_labels(ordered, k_used)
    return labels


@fixture_settings(40)
@given(spread_points, st.integers(1, 12))
def test_same_labels_as_lloyd_and_sklearn(invoke, points, k):
    check(invoke, points, k)


@fixture_settings(40)
@given(with_repeats(), st.integers(1, 10))
def test_repeats_move_last_and_k_is_capped(invoke, points, k):
    labels = check(invoke, points, k)
    assert max(labels) < min(k, len(set(points)))


@fixture_settings(20)
@given(spread_points, st.integers(-5, 0))
def test_k_below_one_refused(invoke, points, k):
    with pytest.raises(InvocationError, match="should be at least 1"):
        cluster(invoke, points, k)


def test_separated_groups_found(invoke):
    """Three far-apart groups, one seed in each: each group is one cluster."""
    groups = [(0.0, 0.0), (100.0, 0.0), (0.0, 100.0)]
    points = list(groups)
    for gx, gy in groups:
        points += [(gx + dx, gy + dy) for dx in (-1.0, 0.5, 1.0) for dy in (-0.5, 1.0)]
    labels = check(invoke, points, 3)
    assert labels[:3] == [0, 1, 2]
    assert labels[3:] == [g for g in range(3) for _ in range(6)]


def test_largest_results_fit(invoke):
    """About 1,000 points with short coordinates: the default k of ST_CLUSTERKMEANS."""
    points = [(float(i % 37), float(i * 7 % 41)) for i in range(1000)]
    assert len(set(points)) > 22
    k = round((len(points) // 2) ** 0.5)
    labels = check(invoke, points, k)
    assert len(labels) == 1000
