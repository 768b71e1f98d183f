"""Time each s2 handler on a 10,000-row Redshift event and print ratios.

The same method and printout as benchmarks/handlers.py (whose measuring helpers this imports),
for the s2 module. For every function, best of several repeats in the same run:

- handler:  its `lambda_handler(event)` on the parsed event, as Lambda calls it (the
            runtime's own work included);
- baseline: CARTO's design, one s2sphere 0.2.5 call per row (CARTO's library functions,
            written out here as CARTO's Redshift code calls s2sphere), the results and the
            response encoded with the standard json module;
- floor:    json-decoding the event text and orjson-encoding a response of the same size.

Printed: handler/baseline and handler/floor, each artifact's zipped size and its handler's
cold import time on the runtime's Python (python3.12), for the functions with a whole-batch
path how much faster it is than a per-row handler of the scalar definition (row/h, 1.5 at
least to be worth its code), and the targets: h/base <= 0.5 for the id functions,
h/floor <= 2 for the scalar ones, parity for the cover.

    .venv/bin/python benchmarks/s2.py [name ...] [--rows N]
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

import orjson
import s2sphere

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "functions" / "_testing"))

import s2_testing  # noqa: E402  (CARTO's quadkey definition on s2sphere)
from harness import best_of, build_artifacts, event, import_time_ms, load_handler  # noqa: E402

ROWS = 10_000
POLYFILL_ROWS = 1_000  # each cover does far more work; fewer rows keep the run short
U64 = 1 << 64

rng = random.Random(20261206)


def random_cell(level: int) -> int:
    face = rng.randrange(6)
    shift = 2 * (30 - level)
    u = (face << 61) | (rng.getrandbits(2 * level) << (shift + 1)) | (1 << shift)
    return u - U64 if u >> 63 else u


LEVELS = [rng.randint(1, 30) for _ in range(ROWS)]
CELLS = [random_cell(z) for z in LEVELS]
POINTS = [(rng.uniform(-180, 180), rng.uniform(-90, 90), rng.randint(0, 30)) for _ in range(ROWS)]
BOXES = []
for _ in range(POLYFILL_ROWS):
    size = rng.uniform(0.001, 2.0)
    west, south = rng.uniform(-180, 180 - size), rng.uniform(-85, 85 - size)
    BOXES.append([west, west + size, south, south + size])


# ------------------------------------------------------------------------------ CARTO's design


def to_uint(v: int) -> int:
    return v if v >= 0 else v + U64


def to_int(u: int) -> int:
    return u if u < 1 << 63 else u - U64


def cell_of(v: int) -> s2sphere.CellId:
    return s2sphere.CellId(to_uint(v))


def fromlonglat(lon: float, lat: float, r: int) -> int:
    if not 0 <= r <= 30:
        raise ValueError(r)
    ll = s2sphere.LatLng(math.radians(lat), math.radians(lon))
    return to_int(s2sphere.CellId.from_lat_lng(ll).parent(r).id())


def toparent(v: int, r: int) -> int:
    cell = cell_of(v)
    if not 0 <= r <= 30 or r > cell.level():
        raise ValueError(r)
    return to_int(cell.parent(r).id())


def tochildren(v: int) -> str:
    return "[" + ",".join(str(to_int(c.id())) for c in cell_of(v).children()) + "]"


def boundary(v: int) -> str:
    cell = s2sphere.Cell(cell_of(v))
    points = []
    for k in range(4):
        ll = s2sphere.LatLng.from_point(cell.get_vertex(k))
        points.append((ll.lat().degrees, ll.lng().degrees))
    points.append(points[0])
    return "POLYGON ((" + ", ".join(f"{lng} {lat}" for lat, lng in points) + "))"


def polyfill(west: float, east: float, south: float, north: float) -> str:
    coverer = s2sphere.RegionCoverer()
    coverer.min_level, coverer.max_level = 0, 30
    rect = s2sphere.LatLngRect(
        s2sphere.LatLng(math.radians(south), math.radians(west)),
        s2sphere.LatLng(math.radians(north), math.radians(east)),
    )
    return "[" + ",".join(str(to_int(c.id())) for c in coverer.get_covering(rect)) + "]"


# name -> (rows, CARTO's per-row function)
Spec = tuple[list[list[Any]], Callable[..., Any]]
SPECS: dict[str, Spec] = {
    "s2_fromlonglat": ([list(p) for p in POINTS], fromlonglat),
    "s2_fromtoken": (
        [[cell_of(c).to_token()] for c in CELLS],
        lambda t: to_int(s2sphere.CellId.from_token(t).id()),
    ),
    "s2_totoken": ([[c] for c in CELLS], lambda v: cell_of(v).to_token()),
    "s2_fromuint64repr": ([[str(to_uint(c))] for c in CELLS], lambda t: to_int(int(t))),
    "s2_touint64repr": ([[c] for c in CELLS], lambda v: str(cell_of(v).id())),
    "s2_fromhilbertquadkey": (
        [[s2_testing.carto_quadkey(c)] for c in CELLS],
        s2_testing.carto_from_quadkey,
    ),
    "s2_tohilbertquadkey": ([[c] for c in CELLS], s2_testing.carto_quadkey),
    "s2_resolution": ([[c] for c in CELLS], lambda v: cell_of(v).level()),
    "s2_toparent": ([[c, z // 2] for c, z in zip(CELLS, LEVELS, strict=True)], toparent),
    "s2_tochildren": ([[c] for c, z in zip(CELLS, LEVELS, strict=True) if z < 30], tochildren),
    "s2_boundary": ([[c] for c in CELLS], boundary),
    "s2_polyfill_bbox": (BOXES, polyfill),
}

ID_FUNCTIONS = set(SPECS) - {"s2_polyfill_bbox"}
SCALAR = {
    "s2_fromlonglat",
    "s2_fromtoken",
    "s2_totoken",
    "s2_fromuint64repr",
    "s2_touint64repr",
    "s2_fromhilbertquadkey",
    "s2_tohilbertquadkey",
    "s2_resolution",
    "s2_toparent",
}
PARITY = {"s2_polyfill_bbox"}
# The functions with a whole-batch path, and the scalar definition (s2_core.cells) it falls
# back to: a per-row handler of that definition is timed too, to show what the path pays.
BATCH_PATHS = {
    "s2_fromtoken": "from_token",
    "s2_totoken": "to_token",
    "s2_fromuint64repr": "from_uint64_repr",
    "s2_resolution": "check_cell",
    "s2_toparent": "parent",
}


def targets(name: str) -> list[tuple[str, float]]:
    found = [("h/floor", 2.0)] if name in SCALAR else []
    if name in ID_FUNCTIONS:
        found.append(("h/base", 0.5))
    if name in PARITY:
        found.append(("h/base", 1.0))
    return found


def verdict(name: str, m: dict[str, float]) -> str:
    ratios = {"h/base": m["handler"] / m["baseline"], "h/floor": m["handler"] / m["floor"]}
    return ", ".join(
        f"{key} <= {limit:g} {'met' if ratios[key] <= limit else 'MISSED'}"
        for key, limit in targets(name)
    )


def measure(name: str, artifact: tuple[Path, str], limit: int | None) -> dict[str, float]:
    rows, reference = SPECS[name]
    rows = rows[:limit]
    handler = load_handler("s2", name)
    text = json.dumps(event(rows))
    parsed = json.loads(text)

    def run_handler() -> Any:
        return handler(parsed)

    def run_baseline() -> str:
        results = [reference(*row) for row in parsed["arguments"]]
        return json.dumps({"success": True, "num_records": len(results), "results": results})

    response = json.loads(run_handler())
    if not response.get("success"):
        raise SystemExit(f"{name}: handler failed: {response.get('error_msg')}")
    results = response["results"]
    if results != json.loads(run_baseline())["results"]:
        raise SystemExit(f"{name}: the handler's results differ from CARTO's design")

    def run_floor() -> bytes:
        json.loads(text)
        return orjson.dumps({"success": True, "num_records": len(results), "results": results})

    runs = {"handler": (run_handler, 15), "baseline": (run_baseline, 5), "floor": (run_floor, 15)}
    if name in BATCH_PATHS:
        from s2_core import cells

        from carto_runtime import redshift_handler  # after load_handler put the paths in place

        per_row = redshift_handler(getattr(cells, BATCH_PATHS[name]))
        if json.loads(per_row(parsed))["results"] != results:
            raise SystemExit(f"{name}: the batch path differs from the per-row definition")
        runs["per_row"] = (lambda: per_row(parsed), 15)
    timings = best_of(runs)
    zip_path, runtime = artifact
    return {
        "rows": len(rows),
        **timings,
        "zip_kb": zip_path.stat().st_size / 1000,
        "import_ms": import_time_ms(zip_path, runtime),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="functions to measure (default: all)")
    parser.add_argument(
        "--rows", type=int, help="rows per event (default 10,000; 1,000 for the cover)"
    )
    args = parser.parse_args(argv)
    names = args.names or list(SPECS)
    artifacts = build_artifacts(names)
    gc.collect()
    gc.freeze()
    print(
        f"{'function':26} {'rows':>6} {'handler ms':>10} {'baseline':>9} {'floor':>7} "
        f"{'h/base':>7} {'h/floor':>8} {'zip kB':>7} {'import ms':>9} {'row/h':>6}  target"
    )
    for name in names:
        m = measure(name, artifacts[name], args.rows)
        print(
            f"{name:26} {m['rows']:6d} {m['handler'] * 1e3:10.2f} {m['baseline'] * 1e3:9.2f} "
            f"{m['floor'] * 1e3:7.2f} {m['handler'] / m['baseline']:7.2f} "
            f"{m['handler'] / m['floor']:8.2f} {m['zip_kb']:7.1f} {m['import_ms']:9.1f} "
            f"{m.get('per_row', math.nan) / m['handler']:6.2f}  {verdict(name, m)}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
