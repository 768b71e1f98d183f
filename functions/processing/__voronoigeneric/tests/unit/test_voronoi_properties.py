"""__VORONOIGENERIC against scipy's Qhull Voronoi clipped by shapely/GEOS (random points)."""

import json

from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import LineString, Point, Polygon, box

from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
pt = import_testing("processing_testing")

margin = st.floats(0.0, 50.0).map(lambda v: round(v, 3))


@st.composite
def points_and_box(draw):
    points = draw(pt.general_points)
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, y0 = min(xs) - draw(margin), min(ys) - draw(margin)
    x1, y1 = max(xs) + draw(margin), max(ys) + draw(margin)
    if x1 - x0 < 1.0 or y1 - y0 < 1.0:  # keep the box a box: at least 1 x 1
        x1, y1 = x0 + max(x1 - x0, 1.0), y0 + max(y1 - y0, 1.0)
    return points, (x0, y0, x1, y1)


def diagram(invoke, points, bbox, kind):
    bbox_text = None if bbox is None else json.dumps(list(bbox))
    (text,) = invoke([[pt.multipoint(points), bbox_text, kind]])
    return json.loads(text)


def general_position(distinct) -> bool:
    """Qhull's Voronoi needs points that are not all collinear; ties are checked by the
    exact Delaunay test (a co-circular quadruple gives a zero-length ridge)."""
    return len(distinct) >= 3 and not pt.all_collinear(distinct)


@fixture_settings(80)
@given(points_and_box())
def test_cells_match_scipy(invoke, case):
    points, bbox = case
    distinct = pt.distinct(points)
    if not general_position(distinct):
        return
    result = diagram(invoke, points, bbox, "poly")
    assert result["type"] == "MultiPolygon"
    cells = [Polygon(polygon[0]) for polygon in result["coordinates"]]
    reference = pt.scipy_cells(distinct, bbox)
    assert len(cells) == len(reference)
    size = max(bbox[2] - bbox[0], bbox[3] - bbox[1])
    for k, (cell, expected) in enumerate(zip(cells, reference, strict=True)):
        assert cell.is_valid and cell.exterior.is_ccw, k
        assert cell.hausdorff_distance(expected) < 1e-7 * size, (k, cell.wkt, expected.wkt)
        # Every cell holds its own point (its edge at worst).
        assert cell.buffer(1e-7 * size).contains(Point(distinct[k]))
    total = sum(cell.area for cell in cells)
    assert abs(total - box(*bbox).area) < 1e-7 * box(*bbox).area


@fixture_settings(80)
@given(points_and_box())
def test_ridges_match_scipy(invoke, case):
    points, bbox = case
    distinct = pt.distinct(points)
    if not general_position(distinct):
        return
    size = max(bbox[2] - bbox[0], bbox[3] - bbox[1])
    tolerance = 1e-7 * size
    result = diagram(invoke, points, bbox, "lines")
    assert result["type"] == "MultiLineString"
    ours = [LineString(line) for line in result["coordinates"]]
    assert all(len(line.coords) == 2 for line in ours)
    # Ridges shorter than the tolerance are where Qhull and the exact predicates may
    # legitimately disagree (nearly co-circular points): compare the others.
    ours = [line for line in ours if line.length > 10 * tolerance]
    theirs = pt.scipy_ridges(distinct, bbox, 10 * tolerance)
    for line in ours:
        assert any(line.hausdorff_distance(ref) < tolerance for ref in theirs), line.wkt
    for ref in theirs:
        assert any(ref.hausdorff_distance(line) < tolerance for line in ours), ref.wkt


@fixture_settings(40)
@given(pt.general_points)
def test_default_box(invoke, points):
    """Without a bbox the cells tile CARTO's default box: the extent grown on every side by
    half its smaller side (half the larger one when the smaller is 0, 0.5 for one point)."""
    distinct = pt.distinct(points)
    xs, ys = [p[0] for p in distinct], [p[1] for p in distinct]
    w, h = max(xs) - min(xs), max(ys) - min(ys)
    grow = min(w, h) / 2 if w > 0 and h > 0 else max(w, h) / 2 or 0.5
    expected = box(min(xs) - grow, min(ys) - grow, max(xs) + grow, max(ys) + grow)
    result = diagram(invoke, points, None, "poly")
    cells = [Polygon(polygon[0]) for polygon in result["coordinates"]]
    assert len(cells) == len(distinct)
    union_bounds = (
        min(c.bounds[0] for c in cells),
        min(c.bounds[1] for c in cells),
        max(c.bounds[2] for c in cells),
        max(c.bounds[3] for c in cells),
    )
    scale = max(expected.bounds[2] - expected.bounds[0], expected.bounds[3] - expected.bounds[1])
    for got, want in zip(union_bounds, expected.bounds, strict=True):
        assert abs(got - want) <= 1e-9 * max(scale, 1.0)
    assert abs(sum(c.area for c in cells) - expected.area) <= 1e-7 * expected.area


@fixture_settings(30)
@given(pt.grid_points)
def test_degenerate_grids_tile_the_box(invoke, points):
    """Collinear and co-circular grids: the cells still tile the box, one per point, each
    nearer its own point than any other (checked at its vertices)."""
    distinct = pt.distinct(points)
    bbox = (-5.0, -5.0, 5.0, 5.0)
    result = diagram(invoke, points, bbox, "poly")
    cells = [Polygon(polygon[0]) for polygon in result["coordinates"]]
    assert len(cells) == len(distinct)
    assert abs(sum(c.area for c in cells) - 100.0) < 1e-9
    for (px, py), cell in zip(distinct, cells, strict=True):
        for vx, vy in cell.exterior.coords:
            own = (vx - px) ** 2 + (vy - py) ** 2
            # Vertices are rounded to 10 decimals: allow that much in the distances.
            slack = 1e-8 * (1.0 + own)
            assert all(own <= (vx - qx) ** 2 + (vy - qy) ** 2 + slack for qx, qy in distinct)
