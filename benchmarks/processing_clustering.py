"""Time the processing and clustering handlers at the largest inputs whose result fits.

For each function, one row per call (these functions answer one large value per row), at the
largest number of random points whose result still fits one 65,535-byte VARCHAR(MAX) value
(found by bisection before timing), best of several repeats, in the same run:

- handler:  its `lambda_handler(event)` on the parsed one-row event, as Lambda calls it;
- baseline: the same computation with numpy/scipy (what CARTO's Lambdas import): Qhull's
            Delaunay or Voronoi (cells closed by far points and clipped by shapely), or
            Lloyd's k-means vectorised in numpy, the result written with json.dumps.

Printed: points, handler and baseline ms per call and their ratio (below 1 is faster), the
artifact's zipped size and its handler's cold import from the artifact's files under the
function's runtime (python3.12, `-X importtime`, isolated), and the targets: < 100 ms per
call, < 1 MB zipped, < 50 ms import. The baseline's own cold import (numpy + scipy.spatial,
this interpreter) is printed once for comparison.

    .venv/bin/python benchmarks/processing_clustering.py [name ...]
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import math
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from harness import best_of, build_artifacts, event, import_time_ms, load_handler
from scipy.spatial import Delaunay, Voronoi
from shapely.geometry import LineString, Polygon, box

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 65_535
RNG = random.Random(20261206)
# Coordinates as ST_ASGEOJSON writes longitudes and latitudes: up to 15 significant digits.
POOL = [(round(RNG.uniform(-180, 180), 10), round(RNG.uniform(-85, 85), 10)) for _ in range(4000)]


def multipoint(n: int) -> str:
    return json.dumps({"type": "MultiPoint", "coordinates": [list(p) for p in POOL[:n]]})


def flat_coords(n: int) -> str:
    # What CREATE_CLUSTERKMEANS sends: DECIMAL(12,7) text.
    values = [f"{c:.7f}" for p in POOL[:n] for c in p]
    return '{"_coords":[' + ",".join(values) + "]}"


def default_k(n: int) -> int:
    return max(round(math.sqrt(n // 2)), 1)


# name -> (module, row for n points)
SPECS: dict[str, tuple[str, Callable[[int], list[Any]]]] = {
    "delaunay_lines": ("processing", lambda n: [multipoint(n), "lines"]),
    "delaunay_poly": ("processing", lambda n: [multipoint(n), "poly"]),
    "voronoi_lines": ("processing", lambda n: [multipoint(n), None, "lines"]),
    "voronoi_poly": ("processing", lambda n: [multipoint(n), None, "poly"]),
    "clusterkmeans": ("clustering", lambda n: [multipoint(n), default_k(n)]),
    "clusterkmeanstable": ("clustering", lambda n: [flat_coords(n), 5]),
}
FUNCTION = {
    "delaunay_lines": "__delaunaygeneric",
    "delaunay_poly": "__delaunaygeneric",
    "voronoi_lines": "__voronoigeneric",
    "voronoi_poly": "__voronoigeneric",
    "clusterkmeans": "__clusterkmeans",
    "clusterkmeanstable": "__clusterkmeanstable",
}


# -- baselines: the same computation with numpy / scipy ------------------------------------
def _points(text: str) -> np.ndarray:
    return np.array(json.loads(text)["coordinates"], dtype=float)


def scipy_delaunay(text: str, kind: str) -> str:
    pts = _points(text)
    tri = Delaunay(pts)
    rings = [[*pts[s].tolist(), pts[s[0]].tolist()] for s in tri.simplices]
    if kind == "lines":
        return json.dumps({"type": "MultiLineString", "coordinates": rings})
    return json.dumps({"type": "MultiPolygon", "coordinates": [[r] for r in rings]})


def _default_box(pts: np.ndarray) -> tuple[float, float, float, float]:
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    grow = min(hi - lo) / 2
    return lo[0] - grow, lo[1] - grow, hi[0] + grow, hi[1] + grow


def scipy_voronoi(text: str, _bbox: None, kind: str) -> str:
    pts = _points(text)
    x0, y0, x1, y1 = _default_box(pts)
    size = max(x1 - x0, y1 - y0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    far = np.array([[cx - 9 * size, cy - 9 * size], [cx + 9 * size, cy - 9 * size]])
    far = np.vstack([far, [[cx + 9 * size, cy + 9 * size], [cx - 9 * size, cy + 9 * size]]])
    vor = Voronoi(np.vstack([pts, far]))
    clip = box(x0, y0, x1, y1)
    n = len(pts)
    if kind == "poly":
        cells = []
        for i in range(n):
            cell = Polygon(vor.vertices[vor.regions[vor.point_region[i]]]).intersection(clip)
            cells.append([[list(xy) for xy in cell.exterior.coords]])
        return json.dumps({"type": "MultiPolygon", "coordinates": cells})
    lines = []
    for (i, j), verts in zip(vor.ridge_points, vor.ridge_vertices, strict=True):
        if i < n and j < n:
            segment = LineString(vor.vertices[verts]).intersection(clip)
            if not segment.is_empty:
                lines.append([list(xy) for xy in segment.coords])
    return json.dumps({"type": "MultiLineString", "coordinates": lines})


def _numpy_lloyd(pts: np.ndarray, k: int) -> np.ndarray:
    centers = pts[:k].copy()
    labels = None
    for _ in range(10_000):
        d = ((pts[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
        new = d.argmin(axis=1)
        if labels is not None and (new == labels).all():
            break
        labels = new
        for c in range(k):
            members = pts[labels == c]
            if len(members):
                centers[c] = members.mean(axis=0)
    return labels


def numpy_kmeans(text: str, k: int) -> str:
    pts = _points(text)  # the pool has no repeats: CARTO's reordering is the identity
    labels = _numpy_lloyd(pts, min(k, len(pts)))
    return json.dumps(
        [
            {"cluster": int(c), "geom": {"type": "Point", "coordinates": p.tolist()}}
            for c, p in zip(labels, pts, strict=True)
        ]
    )


def numpy_kmeanstable(text: str, k: int) -> str:
    values = np.array(json.loads(text)["_coords"], dtype=float)
    pts = values.reshape(-1, 2)
    labels = _numpy_lloyd(pts, min(k, len(pts)))
    return json.dumps([{"c": int(c), "i": i} for i, c in enumerate(labels, 1)])


BASELINES: dict[str, Callable[..., str]] = {
    "delaunay_lines": scipy_delaunay,
    "delaunay_poly": scipy_delaunay,
    "voronoi_lines": scipy_voronoi,
    "voronoi_poly": scipy_voronoi,
    "clusterkmeans": numpy_kmeans,
    "clusterkmeanstable": numpy_kmeanstable,
}


def answer(handler: Callable[..., str], row: list[Any]) -> dict[str, Any]:
    return json.loads(handler(json.loads(json.dumps(event([row])))))


def largest_fitting(handler: Callable[..., str], make_row: Callable[[int], list[Any]]) -> int:
    """The most points (from the pool, in order) whose input Redshift can send (one
    VARCHAR(MAX) too) and whose result the handler returns."""
    lo, hi = 3, len(POOL)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        row = make_row(mid)
        if len(row[0]) <= LIMIT and answer(handler, row).get("success"):
            lo = mid
        else:
            hi = mid - 1
    return lo


def baseline_import_ms() -> float:
    code = (
        "import time; t = time.perf_counter(); import numpy, scipy.spatial; "
        "print((time.perf_counter() - t) * 1000)"
    )
    out = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True)
    return float(out.stdout.strip() or "nan")


def measure(name: str, artifact: tuple[Path, str]) -> dict[str, float]:
    module, make_row = SPECS[name]
    handler = load_handler(module, FUNCTION[name])
    n = largest_fitting(handler, make_row)
    row = make_row(n)
    parsed = json.loads(json.dumps(event([row])))
    response = json.loads(handler(parsed))
    assert response["success"], response
    size = len(response["results"][0])

    def run_handler() -> Any:
        return handler(parsed)

    def run_baseline() -> str:
        results = [BASELINES[name](*r) for r in parsed["arguments"]]
        return json.dumps({"success": True, "num_records": len(results), "results": results})

    if name.startswith("clusterkmeans"):
        ours = json.loads(response["results"][0])
        theirs = json.loads(json.loads(run_baseline())["results"][0])
        key = "cluster" if name == "clusterkmeans" else "c"
        assert [r[key] for r in ours] == [r[key] for r in theirs], f"{name}: labels differ"
    timings = best_of({"handler": (run_handler, 9), "baseline": (run_baseline, 5)})
    zip_path, runtime = artifact
    return {
        "points": n,
        "bytes": size,
        **timings,
        "zip_kb": zip_path.stat().st_size / 1000,
        "import_ms": import_time_ms(zip_path, runtime),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help=f"default: all of {', '.join(SPECS)}")
    names = parser.parse_args(argv).names or list(SPECS)
    logging.disable(logging.ERROR)  # the bisection's refused rows are expected, not news
    artifacts = build_artifacts([FUNCTION[name] for name in names])
    gc.collect()
    gc.freeze()
    print(
        f"baseline cold import (numpy + scipy.spatial, this Python): {baseline_import_ms():.0f} ms"
    )
    print(
        f"{'function':19} {'points':>6} {'bytes':>6} {'handler ms':>10} {'baseline ms':>11} "
        f"{'h/base':>7} {'zip kB':>7} {'import ms':>9}  targets (<100 ms, <1 MB, <50 ms)"
    )
    for name in names:
        m = measure(name, artifacts[FUNCTION[name]])
        ok = m["handler"] < 0.1 and m["zip_kb"] < 1000 and m["import_ms"] < 50
        print(
            f"{name:19} {m['points']:6d} {m['bytes']:6d} {m['handler'] * 1e3:10.2f} "
            f"{m['baseline'] * 1e3:11.2f} {m['handler'] / m['baseline']:7.2f} "
            f"{m['zip_kb']:7.1f} {m['import_ms']:9.1f}  {'met' if ok else 'MISSED'}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
