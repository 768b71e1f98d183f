"""Time the placekey and random handlers on a Redshift event against a per-row baseline.

For every function, in the same run, best of several repeats:

- handler:  its `lambda_handler(event)` on the parsed event, as Lambda calls it (the
            runtime's work included: rows, nulls, response encoding and size checks);
- baseline: a per-row implementation on the same parsed event, the results and the
            response encoded with the standard json module: the `placekey` library 0.0.36
            (with h3 4.5.0 for validity) for the placekey functions; for ST_GENERATEPOINTS
            a plain rejection sampler as CARTO writes it (bounding box of all the parts, a
            ray-casting test over every edge of every ring).

Printed: handler/baseline (below 1 is faster), each artifact's zipped size and its handler's
cold import time from the artifact's files (`python -X importtime`, isolated, under the
function's runtime: python3.12), with the part of it its shared lib takes (the rest is the
runtime and orjson, common to every function). The placekey handlers' results must equal
the library's; the random points must be as many as asked for and inside (the baseline's own
point-in-polygon test).

    .venv/bin/python benchmarks/placekey_random.py [name ...] [--rows N]
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import h3
import placekey

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import best_of, build_artifacts, event, import_times_ms, load_handler

ROWS = 10_000
POINTS_ROWS = 200  # each row draws 100 points: far more work than a placekey row
POINTS_PER_ROW = 100

rng = random.Random(20261206)


def random_cell(resolution: int) -> str:
    return h3.latlng_to_cell(rng.uniform(-89, 89), rng.uniform(-180, 180), resolution)


def mutated(text: str) -> str:
    """One character changed: many become invalid, some stay valid."""
    i = rng.randrange(len(text))
    return text[:i] + rng.choice("0123456789abcdefeu@-") + text[i + 1 :]


# 90% well-formed values, 10% near misses, as a table of real keys with some bad rows would be
CELLS = [random_cell(10 if rng.random() < 0.8 else rng.randrange(16)) for _ in range(ROWS)]
H3_TEXTS = [c if rng.random() < 0.9 else mutated(c) for c in CELLS]
KEYS = [placekey.h3_to_placekey(random_cell(10)) for _ in range(ROWS)]
KEY_TEXTS = [k if rng.random() < 0.9 else mutated(k) for k in KEYS]


def star(lon: float, lat: float, radius: float, vertices: int) -> list[list[float]]:
    ring = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        r = radius * (0.6 + 0.4 * rng.random())
        ring.append([lon + r * math.cos(angle), lat + r * math.sin(angle)])
    return [*ring, ring[0]]


def polygon_row() -> list[Any]:
    lon, lat = rng.uniform(-170, 170), rng.uniform(-70, 70)
    if rng.random() < 0.5:
        geometry = {"type": "Polygon", "coordinates": [star(lon, lat, rng.uniform(0.01, 5), 64)]}
    else:  # two parts a few degrees apart
        parts = [[star(lon, lat, 1.0, 32)], [star(lon + 4, lat + 3, 0.5, 32)]]
        geometry = {"type": "MultiPolygon", "coordinates": parts}
    return [json.dumps(geometry), POINTS_PER_ROW]


POLYGONS = [polygon_row() for _ in range(POINTS_ROWS)]


# ------------------------------------------------------------------------------ baselines


def library_is_valid(text: str) -> bool:
    try:
        return placekey.placekey_format_is_valid(text)
    except ValueError:  # the library raises on a where part it cannot decode
        return False


def library_ash3(text: str) -> str | None:
    return placekey.placekey_to_h3(text) if library_is_valid(text) else None


def library_fromh3(text: str) -> str | None:
    try:
        valid = h3.is_valid_cell(text)
    except (ValueError, OverflowError):
        return None
    return placekey.h3_to_placekey(text) if valid else None


def in_ring(x: float, y: float, ring: list[list[float]]) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def plain_generatepoints(geojson: str, npoints: int) -> str:
    """Rejection sampling in the box of all the parts, testing every ring of every part."""
    geometry = json.loads(geojson)
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    xs = [p[0] for poly in polygons for ring in poly for p in ring]
    ys = [p[1] for poly in polygons for ring in poly for p in ring]
    x0, x1 = min(xs), max(xs)
    s0, s1 = math.sin(math.radians(min(ys))), math.sin(math.radians(max(ys)))
    points = []
    while len(points) < npoints:
        x = random.uniform(x0, x1)
        y = math.degrees(math.asin(random.uniform(s0, s1)))
        for poly in polygons:
            if in_ring(x, y, poly[0]) and not any(in_ring(x, y, h) for h in poly[1:]):
                points.append([x, y])
                break
    kind = "Point" if npoints == 1 else "MultiPoint"
    return json.dumps({"type": kind, "coordinates": points[0] if npoints == 1 else points})


def points_inside(geojson: str, result: str, npoints: int) -> bool:
    geometry = json.loads(geojson)
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    points = json.loads(result)["coordinates"]
    return len(points) == npoints and all(
        any(in_ring(x, y, poly[0]) for poly in polygons) for x, y in points
    )


# name -> (module, rows, per-row baseline)
SPECS: dict[str, tuple[str, list[list[Any]], Callable[..., Any]]] = {
    "placekey_ash3": ("placekey", [[k] for k in KEY_TEXTS], library_ash3),
    "placekey_fromh3": ("placekey", [[t] for t in H3_TEXTS], library_fromh3),
    "placekey_isvalid": ("placekey", [[k] for k in KEY_TEXTS], library_is_valid),
    "st_generatepoints": ("random", POLYGONS, plain_generatepoints),
}


def measure(name: str, artifact: tuple[Path, str], limit: int | None) -> dict[str, float]:
    module, rows, reference = SPECS[name]
    rows = rows[:limit]
    handler = load_handler(module, name)
    text = json.dumps(event(rows))
    parsed = json.loads(text)  # Lambda parses the payload before calling a handler

    def run_handler() -> Any:
        return handler(parsed)

    def run_baseline() -> str:
        results = [reference(*row) for row in parsed["arguments"]]
        return json.dumps({"success": True, "num_records": len(results), "results": results})

    response = json.loads(run_handler())
    if not response.get("success"):
        raise SystemExit(f"{name}: handler failed: {response.get('error_msg')}")
    results = response["results"]
    if name == "st_generatepoints":
        if not all(points_inside(g, r, n) for (g, n), r in zip(rows, results, strict=True)):
            raise SystemExit(f"{name}: a row has the wrong count or a point outside")
    elif results != json.loads(run_baseline())["results"]:
        raise SystemExit(f"{name}: the handler's results differ from the library's")
    timings = best_of({"handler": (run_handler, 15), "baseline": (run_baseline, 5)})
    zip_path, runtime = artifact
    lib = "random_points" if module == "random" else "placekey_core"
    times = import_times_ms(zip_path, runtime, ("handler", lib))
    handler_ms, lib_ms = times["handler"], times[lib]
    return {
        "rows": len(rows),
        **timings,
        "zip_kb": zip_path.stat().st_size / 1000,
        "import_ms": handler_ms,
        "lib_ms": lib_ms,
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="functions to measure (default: all)")
    parser.add_argument("--rows", type=int, help="rows per event (default 10,000; 200 points)")
    args = parser.parse_args(argv)
    names = args.names or list(SPECS)
    artifacts = build_artifacts(names)
    gc.collect()
    gc.freeze()  # the inputs live for the whole run: kept out of the collector's way
    print(
        f"{'function':20} {'rows':>6} {'handler ms':>10} {'baseline ms':>11} {'h/base':>7} "
        f"{'zip kB':>7} {'import ms':>9} {'of which lib':>12}"
    )
    for name in names:
        m = measure(name, artifacts[name], args.rows)
        print(
            f"{name:20} {m['rows']:6d} {m['handler'] * 1e3:10.2f} {m['baseline'] * 1e3:11.2f} "
            f"{m['handler'] / m['baseline']:7.2f} {m['zip_kb']:7.1f} {m['import_ms']:9.1f} "
            f"{m['lib_ms']:12.1f}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
