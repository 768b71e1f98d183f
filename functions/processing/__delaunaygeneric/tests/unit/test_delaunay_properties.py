"""__DELAUNAYGENERIC against scipy's Qhull and the exact Delaunay definition (random points)."""

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.invoke import InvocationError
from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
pt = import_testing("processing_testing")


def triangulate(invoke, points, kind="poly"):
    (text,) = invoke([[pt.multipoint(points), kind]])
    return pt.triangles_of(json.loads(text))


@fixture_settings(120)
@given(pt.general_points, st.sampled_from(["lines", "poly"]))
def test_same_triangles_as_scipy(invoke, points, kind):
    distinct = pt.distinct(points)
    if len(distinct) < 3 or pt.all_collinear(distinct):
        with pytest.raises(InvocationError, match=r"at least 3 distinct|collinear"):
            triangulate(invoke, points, kind)
        return
    triangles = triangulate(invoke, points, kind)
    pt.check_delaunay(distinct, triangles)
    reference = pt.scipy_triangles(distinct)
    # Co-circular points have several Delaunay triangulations, and Qhull may leave a nearly
    # coplanar point out: only a unique triangulation, fully given by Qhull, must be equal.
    if reference is not None and pt.is_unique_delaunay(distinct, triangles):
        assert {frozenset(t) for t in triangles} == reference


@fixture_settings(120)
@given(pt.grid_points)
def test_degenerate_grids_are_delaunay(invoke, points):
    """Small integer grids: many collinear and co-circular points, repeats."""
    distinct = pt.distinct(points)
    if len(distinct) < 3 or pt.all_collinear(distinct):
        with pytest.raises(InvocationError, match=r"at least 3 distinct|collinear"):
            triangulate(invoke, points)
        return
    pt.check_delaunay(distinct, triangulate(invoke, points))


@fixture_settings(30)
@given(pt.general_points)
def test_lines_and_polygons_hold_the_same_triangles(invoke, points):
    distinct = pt.distinct(points)
    if len(distinct) < 3 or pt.all_collinear(distinct):
        return
    lines = json.loads(invoke([[pt.multipoint(points), "lines"]])[0])
    polys = json.loads(invoke([[pt.multipoint(points), "poly"]])[0])
    assert lines["type"] == "MultiLineString" and polys["type"] == "MultiPolygon"
    assert lines["coordinates"] == [polygon[0] for polygon in polys["coordinates"]]


def test_nearly_duplicate_and_tiny_points(invoke):
    """Points 1e-9 apart (kept: coordinates are rounded to 10 decimals) and points that
    round to one (one point): still a Delaunay triangulation."""
    points = [(0.0, 0.0), (1e-9, 0.0), (0.0, 1e-9), (1.0, 1.0), (1.00000000001, 1.0), (0.5, 2.0)]
    triangles = triangulate(invoke, points)
    distinct = [(0.0, 0.0), (1e-9, 0.0), (0.0, 1e-9), (1.0, 1.0), (0.5, 2.0)]
    pt.check_delaunay(distinct, triangles)


def test_oversize_row_is_named(invoke):
    """The limit is checked per row: the second row is the one refused, by number."""
    small = pt.multipoint([(0, 0), (1, 0), (0, 1)])
    many = pt.multipoint([(i * 0.731 % 97, i * 0.377 % 89) for i in range(800)])
    with pytest.raises(InvocationError, match=r"row 2 of 2: .*the limit is 65,535 bytes"):
        invoke([[small, "lines"], [many, "lines"]])


def test_largest_results_fit(invoke):
    """Near the limit: 240 points with short coordinates still come back whole."""
    points = [(round(i * 7.31 % 97, 3), round(i * 3.77 % 89, 3)) for i in range(240)]
    (text,) = invoke([[pt.multipoint(points), "lines"]])
    assert len(text) <= 65535
    pt.check_delaunay(pt.distinct(points), pt.triangles_of(json.loads(text)))


def _circle(count: int) -> list[tuple[float, float]]:
    return [
        (round(math.cos(2 * math.pi * i / count), 10), round(math.sin(2 * math.pi * i / count), 10))
        for i in range(count)
    ]


@pytest.mark.parametrize(
    ("label", "points"),
    [
        ("co-circular ring and its center", [*_circle(100), (0.0, 0.0)]),
        ("a line and one point off it", [*((float(i), 0.0) for i in range(50)), (25.0, 1.0)]),
        ("a 15 x 15 grid", [(float(x), float(y)) for x in range(15) for y in range(15)]),
        ("large coordinates", [(1e15 + i * 1024, 1e15 + (i * 7 % 13) * 2048) for i in range(60)]),
        ("a spread of 1e-8", [(i * 1e-9, (i * 7 % 13) * 1e-9) for i in range(60)]),
    ],
)
def test_degenerate_configurations(invoke, label, points):
    """Exactly Delaunay where floating point alone goes wrong (Qhull itself drops slivers
    from the 1e-8 spread)."""
    rounded = [(round(x, 10) + 0.0, round(y, 10) + 0.0) for x, y in points]
    pt.check_delaunay(pt.distinct(rounded), triangulate(invoke, points))
