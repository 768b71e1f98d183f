"""ST_GENERATEPOINTS' random answers, by their properties: how many, inside the polygon (shapely),
spread uniformly on the sphere (counts against areas computed in closed form here), and new on
every call. Case comparison cannot express a random answer (see cases.yaml)."""

import json
import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import Point, shape

from engine.invoke import InvocationError
from pytest_carto import import_shared, import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
random_points = import_shared("random_points")
sample = import_shared("random_points.sample")


def positions(result: str) -> list[list[float]]:
    value = json.loads(result)
    if value["type"] == "Point":
        return [value["coordinates"]]
    assert value["type"] == "MultiPoint"
    return value["coordinates"]


@st.composite
def polygons(draw):
    """A star-shaped ring around a center (one vertex in each of `count` equal sectors, at 0.5
    to 1 times the radius, so it never crosses itself), sometimes with a square hole around
    the center, or a MultiPolygon of two such rings far apart; up to 12 vertices, within +-80
    degrees of latitude."""

    def ring(lon, lat, radius, count):
        sector = 2 * math.pi / count
        coords = []
        for i in range(count):
            angle = sector * (i + draw(st.floats(0, 0.5)))
            r = radius * draw(st.floats(0.5, 1.0))
            coords.append([lon + r * math.cos(angle), lat + r * math.sin(angle)])
        return [*coords, coords[0]]

    lon = draw(st.floats(-170, 170))
    lat = draw(st.floats(-70, 70))
    radius = draw(st.floats(0.001, 9))
    count = draw(st.integers(3, 12))
    kind = draw(st.sampled_from(["polygon", "holed", "multi"]))
    if kind == "polygon":
        return {"type": "Polygon", "coordinates": [ring(lon, lat, radius, count)]}
    if kind == "holed":
        # With 6+ sectors, two neighbours are at most 90 degrees apart, so the shell holds the
        # disk of 0.5 * cos(45) = 0.35 times the radius: a square of half-diagonal 0.3 fits.
        count = max(count, 6)
        h = 0.3 * radius
        hole = [[lon, lat - h], [lon - h, lat], [lon, lat + h], [lon + h, lat], [lon, lat - h]]
        return {"type": "Polygon", "coordinates": [ring(lon, lat, radius, count), hole]}
    other = ring(-lon, -lat / 2, radius / 2, count)
    return {"type": "MultiPolygon", "coordinates": [[ring(lon, lat, radius, count)], [other]]}


def outside(geometry: dict, points: list[list[float]]) -> list[list[float]]:
    """The points shapely finds outside the geometry (a draw within rounding of an edge may
    fall either side of its exact predicate: 1e-9 degrees of slack)."""
    area = shape(geometry)
    return [p for p in points if not area.covers(Point(p)) and area.distance(Point(p)) >= 1e-9]


@fixture_settings(80)
@given(polygons(), st.integers(0, 60))
def test_count_kind_and_inside(invoke, geometry, npoints):
    (result,) = invoke([[json.dumps(geometry), npoints]])
    value = json.loads(result)
    assert value["type"] == ("Point" if npoints == 1 else "MultiPoint")
    points = positions(result)
    assert len(points) == npoints
    assert outside(geometry, points) == []
    assert len(result.encode()) <= sample.max_output_bytes(npoints)


@fixture_settings(30)
@given(polygons())
def test_two_calls_differ(invoke, geometry):
    row = [json.dumps(geometry), 5]
    first, second = invoke([row, row])  # the same row twice in one batch
    (third,) = invoke([row])  # and again in another call
    assert len({first, second, third}) == 3


def test_uniform_on_the_sphere_not_in_degrees(invoke):
    """A box from the equator to 80N: on the sphere, the share of points below 40N is
    sin(40)/sin(80) = 0.6527 (uniform in degrees it would be 0.5). 3,000 points: the standard
    deviation of the share is 0.0087, so 6 deviations (0.052) never fail by chance in practice
    and still tell the two apart."""
    box = {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 80], [0, 80], [0, 0]]]}
    results = invoke([[json.dumps(box), 1000]] * 3)
    points = [p for r in results for p in positions(r)]
    assert len(points) == 3000
    expected = math.sin(math.radians(40)) / math.sin(math.radians(80))
    sd = math.sqrt(expected * (1 - expected) / len(points))
    below = sum(1 for _, lat in points if lat < 40) / len(points)
    assert abs(below - expected) < 6 * sd
    west = sum(1 for lon, _ in points if lon < 5) / len(points)
    assert abs(west - 0.5) < 6 * math.sqrt(0.25 / len(points))


def test_multipolygon_parts_get_points_by_their_area(invoke):
    """Two boxes of different areas on the sphere (one near the equator, one near the pole):
    each gets its share of the points, its area over their total (closed form: width times
    the difference of the sines of its latitudes)."""
    south = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    north = [[20, 70], [30, 70], [30, 80], [20, 80], [20, 70]]
    geometry = {"type": "MultiPolygon", "coordinates": [[south], [north]]}

    def area(lat0, lat1):
        return 10 * (math.sin(math.radians(lat1)) - math.sin(math.radians(lat0)))

    expected = area(0, 10) / (area(0, 10) + area(70, 80))
    points = [p for r in invoke([[json.dumps(geometry), 1000]] * 3) for p in positions(r)]
    share = sum(1 for _, lat in points if lat < 10) / len(points)
    assert abs(share - expected) < 6 * math.sqrt(expected * (1 - expected) / len(points))
    assert outside(geometry, points) == []


def test_overlapping_parts_sample_their_union_uniformly(invoke):
    """Two boxes of the same latitudes overlapping over a third of their union's width: a
    third of the points fall in the overlap (half would, were it sampled once per part)."""
    west = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    east = [[5, 0], [15, 0], [15, 10], [5, 10], [5, 0]]
    geometry = {"type": "MultiPolygon", "coordinates": [[west], [east]]}
    points = [p for r in invoke([[json.dumps(geometry), 1000]] * 3) for p in positions(r)]
    share = sum(1 for lon, _ in points if 5 < lon < 10) / len(points)
    assert abs(share - 1 / 3) < 6 * math.sqrt(2 / 9 / len(points))
    assert outside(geometry, points) == []


def test_hole_gets_no_points(invoke):
    shell = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    hole = [[2, 2], [2, 8], [8, 8], [8, 2], [2, 2]]
    geometry = {"type": "Polygon", "coordinates": [shell, hole]}
    (result,) = invoke([[json.dumps(geometry), 1000]])
    points = positions(result)
    assert len(points) == 1000
    assert not any(2 < lon < 8 and 2 < lat < 8 for lon, lat in points)


def test_the_largest_answer_fits_varchar():
    """1,000 points whose coordinates print longest: the closed-form bound holds for the worst
    double texts and stays under 65,535 bytes."""
    longest = max(len(repr(v)) for v in (-2.2250738585072014e-308, -1.2345678901234567e-100))
    assert longest == 24
    worst = "[" + "-2.2250738585072014e-308, -2.2250738585072014e-308" + "]"
    text = '{"type": "MultiPoint", "coordinates": [' + ", ".join([worst] * 1000) + "]}"
    assert len(text) == sample.max_output_bytes(1000) <= 65_535
    single = '{"type": "Point", "coordinates": ' + worst + "}"
    assert len(single) == sample.max_output_bytes(1)


class NoDraws(random.Random):
    def random(self):
        raise AssertionError("drew a number before refusing")


@pytest.mark.parametrize(
    ("coordinates", "count", "message"),
    [
        ([[[0, 0], [5, 5], [10, 10], [0, 0]]], 10, "has no area"),
        ([[[0, 0], [10, 10], [10, 10.00001], [0, 0]]], 10, "of its bounding box"),
        ([[[0, 0], [10, 0], [10, 10], [0, 0]]], 1001, "between 0 and 1,000"),
    ],
)
def test_refused_before_drawing(coordinates, count, message):
    region = random_points.parse_region({"type": "Polygon", "coordinates": coordinates})
    with pytest.raises(ValueError, match=message):
        random_points.generate(region, count, NoDraws())


def test_draws_are_bounded(invoke):
    """A ring wound twice measures twice its area but has no inside by the even-odd rule: no
    draw is ever kept, and the call gives up after its budget instead of running until the
    Lambda times out."""
    square = [[0, 0], [1, 0], [1, 1], [0, 1]]
    ring = [*square, *square, [0, 0]]
    with pytest.raises(InvocationError, match="Gave up after"):
        invoke([[json.dumps({"type": "Polygon", "coordinates": [ring]}), 10]])


def test_a_polygon_of_many_vertices(invoke):
    """A 3,000-vertex circle (the band index keeps each draw cheap): every point inside."""
    ring = [
        [math.cos(2 * math.pi * i / 3000), math.sin(2 * math.pi * i / 3000)] for i in range(3000)
    ]
    geometry = {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
    (result,) = invoke([[json.dumps(geometry), 500]])
    points = positions(result)
    assert len(points) == 500
    assert outside(geometry, points) == []
