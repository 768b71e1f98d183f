"""__BEZIERSPLINE against a test-side reading of turf's algorithm (de Casteljau's evaluation,
not the Bernstein sums the function uses), and CARTO's documented first points."""

import math
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
geo = import_testing("geometry_testing")

DOCUMENTED = [
    [-76.091308, 18.427501],
    [-76.695556, 18.729501],
    [-76.552734, 19.40443],
    [-74.61914, 19.134789],
    [-73.652343, 20.07657],
    [-73.157958, 20.210656],
]


def lerp(a, b, t):
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def casteljau(p0, p1, p2, p3, t):
    a, b, c = lerp(p0, p1, t), lerp(p1, p2, t), lerp(p2, p3, t)
    d, e = lerp(a, b, t), lerp(b, c, t)
    return lerp(d, e, t)


def reference(points, resolution, sharpness):
    """turf: each inner vertex gets two controls, the midpoints of its segments moved by the
    vertex's offset from their mean, pulled towards the vertex by 1 - sharpness; the ends
    are their own controls. Samples every 10 ms, those of even 100 ms blocks kept."""
    mids = [((p[0] + q[0]) / 2, (p[1] + q[1]) / 2) for p, q in pairwise(points)]
    controls = [(points[0], points[0])]
    for i in range(1, len(points) - 1):
        v, m1, m2 = points[i], mids[i - 1], mids[i]
        off = (v[0] - (m1[0] + m2[0]) / 2, v[1] - (m1[1] + m2[1]) / 2)
        controls.append(tuple(lerp(v, (m[0] + off[0], m[1] + off[1]), sharpness) for m in (m1, m2)))
    controls.append((points[-1], points[-1]))
    times = [t for t in range(0, resolution, 10) if (t // 100) % 2 == 0]
    if (resolution // 100) % 2 == 0:
        times.append(resolution)
    out, segments = [], len(points) - 1
    for t in times:
        if t == resolution:
            out.append(tuple(points[-1]))
            continue
        where = segments * t / resolution
        n = int(where)
        out.append(
            casteljau(points[n], controls[n][1], controls[n + 1][0], points[n + 1], where - n)
        )
    return out


lines = st.lists(
    st.tuples(st.floats(-180, 180), st.floats(-85, 85)).map(list), min_size=2, max_size=12
)


@fixture_settings(120)
@given(lines, st.integers(1, 24210), st.floats(-1, 2))
def test_same_curve_as_the_algorithm(invoke, points, resolution, sharpness):
    text = geo.gj({"type": "LineString", "coordinates": points})
    (result,) = invoke([[text, resolution, repr(sharpness)]])
    got = geo.geojson_xy(result, "LineString")
    expected = reference([tuple(p) for p in points], resolution, sharpness)
    assert len(got) == len(expected)
    for a, b in zip(got, expected, strict=True):
        assert math.isclose(a[0], b[0], abs_tol=1e-9) and math.isclose(a[1], b[1], abs_tol=1e-9)


def test_documented_first_points(invoke):
    text = geo.gj({"type": "LineString", "coordinates": DOCUMENTED})
    default, sharper = invoke([[text, 10000, "0.85"], [text, 10000, "0.9"]])
    assert geo.geojson_xy(default, "LineString")[:2] == [
        (-76.091308, 18.427501),
        (-76.09134585033101, 18.427508082543092),
    ]
    assert geo.geojson_xy(sharper, "LineString")[:2] == [
        (-76.091308, 18.427501),
        (-76.09134541990707, 18.42750717125151),
    ]
    # "the maximum number of resulting points will be resolution/10" (half are kept).
    assert len(geo.geojson_xy(default, "LineString")) == 501
