"""QUADINT_POLYFILL at the grid's edges, every geometry type (not stored).

Points follow the quadint point rule, mercantile.tile: longitudes of +-180 clamp to the first
and last column, latitudes past the Web Mercator limit clamp to the first and last row, and a
point within mercantile's 1e-14 of a tile's east or south edge counts in the next tile. That
holds for a Point, each point of a MultiPoint and a Point inside a GeometryCollection alike.

Lines and polygons are the tile-cover traversal; there the expected tiles come from quadbin's
reference cover (the same algorithm), on shapes whose vertices sit on +-180, on tile edges and
next to them, at zooms where a segment crosses at most 2^10 tiles.
"""

import json
import math
from itertools import pairwise

import mercantile
from hypothesis import assume, given
from hypothesis import strategies as st

from engine.invoke import InvocationError
from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
qt = import_testing("quadint_testing")
quadint = qt.quadint
tile_of = qt.tile_of

SETTINGS = fixture_settings(150)
LIMIT = 85.0511287798066  # mercantile's latitude of the grid's north edge


def tile_quadint(lon, lat, z):
    return quadint(*mercantile.tile(lon, lat, z))


@st.composite
def edge_longitudes(draw, z):
    """A longitude on the antimeridian, on a tile's west edge at zoom z, or next to one."""
    edges = [mercantile.bounds(x, 0, z).west for x in range(1 << min(z, 6))]
    edge = draw(st.sampled_from([-180.0, 180.0, 0.0, *edges]))
    nudge = draw(st.sampled_from([0, -1, 1, -2, 2]))
    lon = edge
    for _ in range(abs(nudge)):  # a few floats away, where mercantile's nudge decides
        lon = math.nextafter(lon, math.copysign(math.inf, nudge))
    return max(-180.0, min(180.0, lon))


@st.composite
def edge_latitudes(draw, z, beyond=True):
    """A latitude on a tile's north edge at zoom z, next to one, at the grid's limit or past
    it (up to 89.9: a pole itself has no tile)."""
    edges = [mercantile.bounds(0, y, z).north for y in range(1 << min(z, 6))]
    choices = [LIMIT, -LIMIT, 0.0, *edges]
    if beyond:
        choices += [85.06, -85.06, 89.9, -89.9]
    lat = draw(st.sampled_from(choices))
    for _ in range(draw(st.integers(0, 2))):
        lat = math.nextafter(lat, draw(st.sampled_from([math.inf, -math.inf])))
    return lat


@st.composite
def edge_points(draw, z, beyond=True):
    lon = draw(st.one_of(edge_longitudes(z), st.floats(-180.0, 180.0)))
    lat = draw(st.one_of(edge_latitudes(z, beyond), st.floats(-89.9, 89.9)))
    return [lon, lat]


@st.composite
def point_geometries(draw):
    """(GeoJSON text, zoom, expected quadints) for a Point, a MultiPoint or a collection of
    Points, with the expected set from mercantile.tile."""
    z = draw(st.integers(0, 29))
    points = draw(st.lists(edge_points(z), min_size=1, max_size=4))
    kind = draw(st.sampled_from(["Point", "MultiPoint", "GeometryCollection"]))
    if kind == "Point":
        points = points[:1]
        geometry = {"type": "Point", "coordinates": points[0]}
    elif kind == "MultiPoint":
        geometry = {"type": "MultiPoint", "coordinates": points}
    else:
        parts = [{"type": "Point", "coordinates": p} for p in points]
        geometry = {"type": "GeometryCollection", "geometries": parts}
    expected = {tile_quadint(lon, lat, z) for lon, lat in points}
    return json.dumps(geometry), z, expected


@SETTINGS
@given(point_geometries())
def test_points_follow_mercantile(invoke, case):
    geojson, z, expected = case
    (result,) = invoke([[geojson, z]])
    quadints = json.loads(result)
    assert set(quadints) == expected
    assert len(quadints) == len(set(quadints)) or json.loads(geojson)["type"] == "MultiPoint"


def test_point_examples(invoke):
    """Hand-checked: +180 is the last column (not the first), 89 degrees is the first row, and
    a point 1e-15 west of a tile's edge is in the next tile (mercantile's nudge)."""
    point = '{"type": "Point", "coordinates": [%r, %r]}'
    assert json.loads(invoke([[point % (180.0, 0.0), 3]])[0]) == [quadint(7, 4, 3)]
    assert json.loads(invoke([[point % (0.0, 89.0), 3]])[0]) == [quadint(4, 0, 3)]
    assert json.loads(invoke([[point % (0.0, -89.0), 3]])[0]) == [quadint(4, 7, 3)]
    edge = math.nextafter(45.0, 0.0)  # just west of x = 5's west edge at zoom 3
    assert json.loads(invoke([[point % (edge, 1.0), 3]])[0]) == [quadint(5, 3, 3)]


def fraction(position, z):
    """Fractional tile coordinates of [lon, lat] at zoom z (Web Mercator, y southwards)."""
    lon, lat = position
    sinlat = math.sin(math.radians(lat))
    n = 1 << z
    return (lon / 360 + 0.5) * n, (0.5 - math.log((1 + sinlat) / (1 - sinlat)) / (4 * math.pi)) * n


def segment_touches(a, b, x, y, eps):
    """Whether the segment a-b meets the tile square [x, x+1] x [y, y+1] grown by eps."""
    t0, t1 = 0.0, 1.0
    for p, d, lo, hi in (
        (a[0], b[0] - a[0], x - eps, x + 1 + eps),
        (a[1], b[1] - a[1], y - eps, y + 1 + eps),
    ):
        if d == 0:
            if p < lo or p > hi:
                return False
            continue
        u, v = (lo - p) / d, (hi - p) / d
        t0, t1 = max(t0, min(u, v)), min(t1, max(u, v))
    return t0 <= t1


def inside(rings, p):
    """Even-odd rule over every ring (fractional coordinates)."""
    hit = False
    for ring in rings:
        for a, b in pairwise(ring):
            crosses = (a[1] > p[1]) != (b[1] > p[1])
            if crosses and p[0] < a[0] + (p[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1]):
                hit = not hit
    return hit


def ring_area(vertices):
    """Signed area of a closed ring (shoelace), in tiles."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in pairwise(vertices)) / 2


EPS = 1e-6  # in tiles: far above float error, far below a tile


def clear_of_edges(p):
    return all(abs(v - round(v)) > EPS for v in p)


def check_cover(parts, z, quadints):
    """`parts` is a list of (vertices, is_polygon) in fractional coordinates. Every tile
    returned touches the geometry (within EPS); every tile holding a vertex or a sample point
    of an edge clear of tile edges is returned, and at zoom 6 or less every tile whose centre
    is inside a polygon."""
    tiles = {tile_of(q)[:2] for q in quadints}
    segments = [(a, b) for vs, _ in parts for a, b in pairwise(vs)]
    polygons = [[vs] for vs, closed in parts if closed]
    for x, y in tiles:
        centre = (x + 0.5, y + 0.5)
        assert any(segment_touches(a, b, x, y, EPS) for a, b in segments) or any(
            inside(rings, centre) for rings in polygons
        ), (x, y)
    for a, b in segments:
        if a == b:  # the traversal skips a segment of no length, as its reference does
            continue
        for k in range(65):
            p = (a[0] + (b[0] - a[0]) * k / 64, a[1] + (b[1] - a[1]) * k / 64)
            if clear_of_edges(p):
                assert (int(p[0]), int(p[1])) in tiles, p
    if z <= 6:
        n = 1 << z
        for rings in polygons:
            for x in range(n):
                for y in range(n):
                    if inside(rings, (x + 0.5, y + 0.5)):
                        assert (x, y) in tiles, (x, y)


@st.composite
def line_geometries(draw):
    """(geometry, zoom) for a LineString, a MultiLineString, a Polygon, a MultiPolygon or a
    collection of a Point and a LineString, with vertices on tile edges and next to them,
    latitudes within +-85. Line vertices stay 0.1 degrees off the antimeridian: there the
    cover keeps its reference's behaviour (+180 wraps to the first column, so a segment
    ending there crosses the whole world, and a segment ending exactly on -180 overshoots by
    one tile, encoded as the reference encodes it), checked against the reference itself in
    test_polyfill_properties. At most 6 vertices a part and zoom 12 or less: a segment
    crosses at most 2^13 tiles."""
    z = draw(st.integers(0, 12))
    vertices = st.lists(edge_points(z, beyond=False), min_size=2, max_size=6).map(
        lambda vs: [[max(-179.9, min(lon, 179.9)), max(-85.0, min(85.0, lat))] for lon, lat in vs]
    )
    kind = draw(
        st.sampled_from(
            ["LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"]
        )
    )
    line = draw(vertices)
    ring = [*line, line[0]]
    if kind in ("Polygon", "MultiPolygon"):
        # a ring of some area: rings lying on a line or on tile edges are degenerate cases
        # of the scanline fill, checked against the reference itself elsewhere
        assume(abs(ring_area([fraction(p, z) for p in ring])) > 0.5)
    if kind == "LineString":
        return {"type": kind, "coordinates": line}, z
    if kind == "MultiLineString":
        return {"type": kind, "coordinates": [line, draw(vertices)]}, z
    if kind == "Polygon":
        return {"type": kind, "coordinates": [ring]}, z
    if kind == "MultiPolygon":
        return {"type": kind, "coordinates": [[ring]]}, z
    point = draw(edge_points(z))
    parts = [{"type": "Point", "coordinates": point}, {"type": "LineString", "coordinates": line}]
    return {"type": kind, "geometries": parts}, z


def parts_of(geometry, z):
    """(fractional vertices, is_polygon) of every line and ring; points apart."""
    kind = geometry["type"]
    coords = geometry.get("coordinates")
    if kind == "LineString":
        return [([fraction(p, z) for p in coords], False)], []
    if kind == "MultiLineString":
        return [([fraction(p, z) for p in line], False) for line in coords], []
    if kind == "Polygon":
        return [([fraction(p, z) for p in coords[0]], True)], []
    if kind == "MultiPolygon":
        return [([fraction(p, z) for p in coords[0][0]], True)], []
    point, line = geometry["geometries"]
    return [([fraction(p, z) for p in line["coordinates"]], False)], [point["coordinates"]]


@SETTINGS
@given(line_geometries())
def test_lines_and_polygons_at_the_edges(invoke, case):
    geometry, z = case
    parts, points = parts_of(geometry, z)
    try:
        (result,) = invoke([[json.dumps(geometry), z]])
    except InvocationError as exc:
        # refused only when the result is large: its walk plus its area exceed 1,000 tiles
        # (the limits are 3,000 cells and more)
        assert "the limit is" in str(exc)
        walk = sum(abs(b[0] - a[0]) + abs(b[1] - a[1]) for vs, _ in parts for a, b in pairwise(vs))
        area = sum(abs(ring_area(vs)) for vs, closed in parts if closed)
        assert walk + area > 1000
        return
    quadints = json.loads(result)
    # a collection's point follows mercantile.tile; the rest is the line's cover
    point_tiles = {tile_quadint(*p, z) for p in points}
    assert point_tiles <= set(quadints)
    line_tiles = set(quadints) - point_tiles
    if points:  # the point's tile may also be on the line: check the line's cover without it
        check_cover(
            parts, z, line_tiles | (point_tiles & set(quadints_of_line(invoke, geometry, z)))
        )
    else:
        check_cover(parts, z, quadints)


def quadints_of_line(invoke, geometry, z):
    line = geometry["geometries"][1]
    return json.loads(invoke([[json.dumps(line), z]])[0])
