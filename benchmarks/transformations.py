"""Time each transformations/constructors handler on a representative event; print ratios.

For every function, measured in the same run (best of several repeats, the runs taking
turns so that a busy moment of the machine falls on all alike):

- handler:  its `lambda_handler(event)` on the parsed event, as Lambda calls it (the
            runtime's work included: rows, nulls, response encoding and size checks);
- baseline: a per-row reference on the same rows, its results and the response encoded with
            the standard json module: shapely (GEOS) for the centroid and the mean,
            geographiclib for destinations (on the sphere) and geodesics, and straightforward
            per-row readings of the algorithms (Weiszfeld's 100 steps, CARTO's median;
            de Casteljau for the spline; turf's per-vertex rhumb formulas for the ellipse).

Printed: handler/baseline (below 1 is faster than the baseline), each artifact's zipped size
and its handler's cold import time from the artifact's files (`python -X importtime`, a
fresh isolated interpreter of the function's runtime, python3.12).

    .venv/bin/python benchmarks/transformations.py [name ...] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

import shapely
from geographiclib.geodesic import Geodesic

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import best_of, build_artifacts, event, import_time_ms, load_handler

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / "functions" / "_shared"
RADIUS = 6_371_008.8
SPHERE = Geodesic(RADIUS, 0)
WGS84 = Geodesic.WGS84

rng = random.Random(20261206)


# ------------------------------------------------------------------------------- inputs


def polygon(vertices: int) -> str:
    """A star-shaped polygon of `vertices` vertices somewhere on the map, as GeoJSON."""
    cx, cy, r = rng.uniform(-170, 170), rng.uniform(-80, 80), rng.uniform(0.01, 5)
    ring = [
        [cx + r * rng.uniform(0.3, 1) * math.cos(a), cy + r * rng.uniform(0.3, 1) * math.sin(a)]
        for a in sorted(rng.uniform(0, 2 * math.pi) for _ in range(vertices))
    ]
    return json.dumps({"type": "Polygon", "coordinates": [[*ring, ring[0]]]})


def point() -> str:
    return json.dumps(
        {"type": "Point", "coordinates": [rng.uniform(-180, 180), rng.uniform(-85, 85)]}
    )


POLYGONS = [[polygon(rng.randint(5, 30))] for _ in range(2000)]
DESTINATIONS = [
    [point(), repr(rng.uniform(0, 5000)), repr(rng.uniform(-180, 180)), "kilometers"]
    for _ in range(10000)
]
CIRCLES = [[point(), point(), 100] for _ in range(500)]
LINES = [
    [
        json.dumps(
            {
                "type": "LineString",
                "coordinates": [[rng.uniform(-80, -70), rng.uniform(15, 25)] for _ in range(6)],
            }
        ),
        10000,
        "0.85",
    ]
    for _ in range(200)
]
ELLIPSES = [
    [
        point(),
        repr(rng.uniform(1, 50)),
        repr(rng.uniform(1, 50)),
        repr(rng.uniform(-90, 90)),
        "kilometers",
        64,
    ]
    for _ in range(1000)
]


# ----------------------------------------------------------------------------- baselines


def wkt_point(x: float, y: float) -> str:
    return f"POINT ({x!r} {y!r})"


def base_centroid(text: str) -> str:
    c = shapely.from_geojson(text).centroid
    return wkt_point(c.x, c.y)


def base_centermean(text: str) -> str:
    geometry = shapely.from_geojson(text)
    coords = shapely.get_coordinates(geometry)[:-1]  # one ring: leave its closing position out
    return wkt_point(float(coords[:, 0].mean()), float(coords[:, 1].mean()))


def base_centermedian(text: str, n_iter: int) -> str:
    """Weiszfeld's iteration from the mean, n_iter steps over the ring's positions (CARTO's
    definition; a position the estimate lands on is skipped, where CARTO divides by zero)."""
    points = [tuple(p) for p in json.loads(text)["coordinates"][0]]
    x = sum(p[0] for p in points) / len(points)
    y = sum(p[1] for p in points) / len(points)
    for _ in range(n_iter):
        near = [(p, math.hypot(p[0] - x, p[1] - y)) for p in points]
        w = [(p, 1 / d) for p, d in near if d > 0]
        total = sum(wi for _, wi in w)
        x = sum(p[0] * wi for p, wi in w) / total
        y = sum(p[1] * wi for p, wi in w) / total
    return wkt_point(x, y)


def base_destination(text: str, distance: str, bearing: str, units: str) -> str:
    lon, lat = json.loads(text)["coordinates"]
    g = SPHERE.Direct(lat, lon, float(bearing), float(distance) * 1000)
    return wkt_point(g["lon2"], g["lat2"])


def base_greatcircle(start: str, end: str, n: int) -> str:
    (lon1, lat1), (lon2, lat2) = json.loads(start)["coordinates"], json.loads(end)["coordinates"]
    line = WGS84.InverseLine(lat1, lon1, lat2, lon2)
    points = [line.Position(line.s13 * i / (n - 1)) for i in range(n)]
    return "LINESTRING (" + ", ".join(f"{g['lon2']!r} {g['lat2']!r}" for g in points) + ")"


def _lerp(a, b, t):
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def base_bezierspline(text: str, resolution: int, sharpness: str) -> dict[str, Any]:
    pts = [tuple(p) for p in json.loads(text)["coordinates"]]
    s = float(sharpness)
    mids = [_lerp(p, q, 0.5) for p, q in pairwise(pts)]
    controls = [(pts[0], pts[0])]
    for i in range(1, len(pts) - 1):
        v, m1, m2 = pts[i], mids[i - 1], mids[i]
        off = (v[0] - (m1[0] + m2[0]) / 2, v[1] - (m1[1] + m2[1]) / 2)
        controls.append(tuple(_lerp(v, (m[0] + off[0], m[1] + off[1]), s) for m in (m1, m2)))
    controls.append((pts[-1], pts[-1]))
    times = [t for t in range(0, resolution, 10) if (t // 100) % 2 == 0] + [resolution]
    out = []
    for t in times:
        where = (len(pts) - 1) * t / resolution
        n = min(int(where), len(pts) - 2)
        u = where - n
        a, b, c = (
            _lerp(pts[n], controls[n][1], u),
            _lerp(controls[n][1], controls[n + 1][0], u),
            _lerp(controls[n + 1][0], pts[n + 1], u),
        )
        out.append(list(_lerp(_lerp(a, b, u), _lerp(b, c, u), u)))
    return {"type": "LineString", "coordinates": out}


def _rhumb_destination(lon, lat, meters, bearing):
    delta, phi1, theta = meters / RADIUS, math.radians(lat), math.radians(bearing)
    phi2 = phi1 + delta * math.cos(theta)
    d_psi = math.log(math.tan(phi2 / 2 + math.pi / 4) / math.tan(phi1 / 2 + math.pi / 4))
    q = (phi2 - phi1) / d_psi if abs(d_psi) > 1e-11 else math.cos(phi1)
    return lon + math.degrees(delta * math.sin(theta) / q), math.degrees(phi2)


def base_makeellipse(center, a, b, angle, units, steps) -> dict[str, Any]:
    """turf's ellipse, per vertex: planar ellipse in degrees, then a rhumb rotation."""
    cx, cy = json.loads(center)["coordinates"]
    da = _rhumb_destination(cx, cy, float(a) * 1000, 90)[0] - cx
    db = _rhumb_destination(cx, cy, float(b) * 1000, 0)[1] - cy
    ring = []
    for i in range(steps):
        t = math.tan(math.radians(i * -360 / steps))
        x = da * db / math.sqrt(db * db + da * da * t * t)
        y = da * db / math.sqrt(da * da + db * db / (t * t)) if t else 0.0
        x = -x if 90 < i * 360 / steps <= 270 else x
        y = -y if 180 < i * 360 / steps <= 360 else y
        # rhumb distance and bearing from the center, then the destination turned by angle
        phi1, phi2 = math.radians(cy), math.radians(cy + y)
        d_psi = math.log(math.tan(phi2 / 2 + math.pi / 4) / math.tan(phi1 / 2 + math.pi / 4))
        q = (phi2 - phi1) / d_psi if abs(d_psi) > 1e-11 else math.cos(phi1)
        dist = math.hypot(phi2 - phi1, q * math.radians(x)) * RADIUS
        bearing = math.degrees(math.atan2(math.radians(x), d_psi))
        ring.append(list(_rhumb_destination(cx, cy, dist, bearing + float(angle))))
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


Spec = tuple[str, list[list[Any]], Callable[..., Any]]
SPECS: dict[str, Spec] = {
    "__centermean": ("transformations", POLYGONS, base_centermean),
    "__centroid": ("transformations", POLYGONS, base_centroid),
    "__centermedian": (
        "transformations",
        [[text, 100] for (text,) in POLYGONS[:500]],
        base_centermedian,
    ),
    "__destination": ("transformations", DESTINATIONS, base_destination),
    "__greatcircle": ("transformations", CIRCLES, base_greatcircle),
    "__bezierspline": ("constructors", LINES, lambda *row: json.dumps(base_bezierspline(*row))),
    "__makeellipse": ("constructors", ELLIPSES, lambda *row: json.dumps(base_makeellipse(*row))),
}


# ------------------------------------------------------------------------------- running


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", default=list(SPECS))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    artifacts = build_artifacts(args.names)
    print(
        f"{'function':<16} {'rows':>6} {'handler':>10} {'baseline':>10} {'h/base':>7} "
        f"{'zip':>9} {'import':>9}"
    )
    for name in args.names:
        module, rows, reference = SPECS[name]
        handler = load_handler(module, name)
        parsed = json.loads(json.dumps(event(rows)))

        def run_handler(handler=handler, parsed=parsed) -> str:
            response = handler(parsed)
            assert '"success": true' in response or '"success":true' in response, response[:300]
            return response

        def run_baseline(reference=reference, parsed=parsed) -> str:
            results = [reference(*row) for row in parsed["arguments"]]
            return json.dumps({"success": True, "num_records": len(results), "results": results})

        best = best_of(
            {"handler": (run_handler, args.repeat), "baseline": (run_baseline, args.repeat)}
        )
        zip_path, runtime = artifacts[name]
        print(
            f"{name:<16} {len(rows):>6} {best['handler'] * 1000:>8.1f}ms"
            f" {best['baseline'] * 1000:>8.1f}ms {best['handler'] / best['baseline']:>7.2f}"
            f" {zip_path.stat().st_size / 1024:>7.1f}kB"
            f" {import_time_ms(zip_path, runtime, runs=3):>7.1f}ms"
        )


if __name__ == "__main__":
    main()
