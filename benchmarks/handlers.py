"""Time each quadbin/quadkey handler on a 10,000-row Redshift event and print ratios.

For every function three things are measured in the same run, best of several repeats:

- handler:  its `lambda_handler(event)` on the parsed event, as Lambda calls it (the
            runtime's own work included: rows, nulls, response encoding and size checks);
- baseline: the reference library (quadbin 0.2.2, or mercantile 1.2.1 with the quadint
            definition) called once per row on the same parsed event, the results and the
            response encoded with the standard json module;
- floor:    json-decoding the event text and orjson-encoding a response of the same size,
            the least any handler must do.

Printed: handler/baseline (below 1 is faster than the reference) and handler/floor, each
artifact's zipped size and its handler's import time from the artifact's files
(`python -X importtime`, a fresh interpreter of the function's runtime), and whether
the function meets its targets: within 2x of the floor for scalar functions, twice the
reference's speed for the quadbin functions named for it, parity for polyfill.

With --fast-paths, each handler with a whole-batch (lanes64) fast path is timed twice on the
same event instead: as it is, and with the fast path switched off so that the batch takes the
plain loop the handler falls back on. A fast path is kept only while loop/fast is 1.5 or more.

    .venv/bin/python benchmarks/handlers.py [name ...] [--rows N] [--fast-paths]
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mercantile
import orjson
import quadbin
from harness import best_of, build_artifacts, event, import_time_ms, load_handler

ROWS = 10_000
POLYFILL_ROWS = 1_000  # each polyfill row does far more work; fewer rows keep the run short


# ------------------------------------------------------------------------------ inputs

rng = random.Random(20240111)


def random_tile(z: int) -> tuple[int, int, int]:
    # away from the grid's edges so that k-rings stay inside it
    n = 1 << z
    return rng.randrange(8, n - 8), rng.randrange(8, n - 8), z


def quadint(x: int, y: int, z: int) -> int:
    return ((y << z | x) << 5) | z


def quadint_tile(q: int) -> tuple[int, int, int]:
    z = q & 31
    return (q >> 5) & ((1 << z) - 1), q >> (z + 5), z


TILES = [random_tile(rng.randint(8, 26)) for _ in range(ROWS)]
CELLS = [quadbin.tile_to_cell(t) for t in TILES]
QUADINTS = [quadint(*t) for t in TILES]
POINTS = [(rng.uniform(-180, 180), rng.uniform(-85, 85), rng.randint(0, 26)) for _ in range(ROWS)]


def triangle(lon: float, lat: float, size: float) -> str:
    ring = [[lon, lat], [lon + size, lat], [lon + size / 2, lat + size], [lon, lat]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


# Polygons about 10x10 cells wide at their resolution: ~60-100 cells each.
POLYGONS = []
for _ in range(POLYFILL_ROWS):
    z = rng.randint(6, 20)
    size = 3600 / (1 << z)  # kept inside the grid (longitudes -175 to 175, latitudes -70 to 80)
    POLYGONS.append((triangle(rng.uniform(-175, 175 - size), rng.uniform(-70, 80 - size), size), z))


# ------------------------------------------------------------------------------ baselines


def mercantile_bbox(q: int) -> list[float]:
    x, y, z = quadint_tile(q)
    return list(mercantile.bounds(x, y, z))


def quadbin_boundary(cell: int) -> dict[str, Any]:
    """quadbin's polygon with the ring in CARTO's QUADBIN_BOUNDARY order: south-west first,
    clockwise (quadbin itself starts north-west)."""
    nw, sw, se, ne, _ = quadbin.cell_to_boundary(cell)
    return {"type": "Polygon", "coordinates": [[sw, nw, ne, se, sw]]}


def quadint_fromlonglat(lon: float, lat: float, z: int) -> int:
    t = mercantile.tile(lon, max(min(lat, 85.05), -85.05), z)
    return quadint(t.x, t.y, z)


def quadint_kring(q: int, k: int) -> list[int]:
    x, y, z = quadint_tile(q)
    n = 1 << z
    return [
        quadint((x + i) % n, (y + j) % n, z) for j in range(-k, k + 1) for i in range(-k, k + 1)
    ]


def quadint_fromquadkey(key: str) -> int:
    t = mercantile.quadkey_to_tile(key)
    return quadint(t.x, t.y, t.z)


def quadint_sibling(q: int, direction: str) -> int:
    dx, dy = {"up": (0, -1), "right": (1, 0), "left": (-1, 0), "down": (0, 1)}[direction]
    x, y, z = quadint_tile(q)
    n = 1 << z
    return quadint((x + dx) % n, (y + dy) % n, z)


def quadint_toparent(q: int, r: int) -> int:
    t = mercantile.parent(*quadint_tile(q), zoom=r)
    return quadint(t.x, t.y, t.z)


def quadint_boundary(q: int) -> dict[str, Any]:
    x, y, z = quadint_tile(q)
    return mercantile.feature((x, y, z))["geometry"]


def quadint_polyfill(geojson: str, z: int) -> list[int]:
    tiles = map(quadbin.cell_to_tile, quadbin.geometry_to_cells(geojson, z))
    return [quadint(x, y, z) for x, y, z in tiles]


def quadint_children(q: int, r: int) -> list[int]:
    x, y, z = quadint_tile(q)
    d = r - z
    return [
        quadint(cx, cy, r)
        for cx in range(x << d, (x + 1) << d)
        for cy in range(y << d, (y + 1) << d)
    ]


# name -> (module, rows, reference function over one row, result kind)
# kind: "json" results are JSON text (SUPER / GeoJSON), "value" plain values.
Spec = tuple[str, list[list[Any]], Callable[..., Any], str]
SPECS: dict[str, Spec] = {
    "quadbin_fromlonglat": ("quadbin", [list(p) for p in POINTS], quadbin.point_to_cell, "value"),
    "quadbin_bbox": ("quadbin", [[c] for c in CELLS], quadbin.cell_to_bounding_box, "json"),
    "quadbin_boundary": ("quadbin", [[c] for c in CELLS], quadbin_boundary, "value"),
    "quadbin_center": (
        "quadbin",
        [[c] for c in CELLS],
        lambda c: quadbin.cell_to_point(c, geojson=True),
        "value",
    ),
    "quadbin_isvalid": ("quadbin", [[c] for c in CELLS], quadbin.is_valid_cell, "value"),
    "quadbin_toquadkey": (
        "quadbin",
        [[c] for c in CELLS],
        lambda c: mercantile.quadkey(*quadbin.cell_to_tile(c)),
        "value",
    ),
    "quadbin_fromquadkey": (
        "quadbin",
        [[mercantile.quadkey(*t)] for t in TILES],
        lambda k: quadbin.tile_to_cell(tuple(mercantile.quadkey_to_tile(k))),
        "value",
    ),
    "quadbin_fromzxy": (
        "quadbin",
        [[z, x, y] for x, y, z in TILES],
        lambda z, x, y: quadbin.tile_to_cell((x, y, z)),
        "value",
    ),
    "quadbin_sibling": ("quadbin", [[c, "up"] for c in CELLS], quadbin.cell_sibling, "value"),
    "__quadbin_fromquadint": (
        "quadbin",
        [[q] for q in QUADINTS],
        lambda q: quadbin.tile_to_cell(quadint_tile(q)),
        "value",
    ),
    "quadbin_kring": ("quadbin", [[c, 1] for c in CELLS], quadbin.k_ring, "json"),
    "quadbin_kring_distances": (
        "quadbin",
        [[c, 1] for c in CELLS],
        quadbin.k_ring_distances,
        "json",
    ),
    "quadbin_tochildren": (
        "quadbin",
        [[c, quadbin.get_resolution(c) + 1] for c in CELLS if quadbin.get_resolution(c) < 26],
        quadbin.cell_to_children,
        "json",
    ),
    "quadbin_polyfill": ("quadbin", [list(p) for p in POLYGONS], quadbin.geometry_to_cells, "json"),
    "quadint_bbox": ("quadkey", [[q] for q in QUADINTS], mercantile_bbox, "json"),
    "quadint_fromlonglat": ("quadkey", [list(p) for p in POINTS], quadint_fromlonglat, "value"),
    "quadint_toquadkey": (
        "quadkey",
        [[q] for q in QUADINTS],
        lambda q: mercantile.quadkey(*quadint_tile(q)),
        "value",
    ),
    "quadint_fromquadkey": (
        "quadkey",
        [[mercantile.quadkey(*t)] for t in TILES],
        quadint_fromquadkey,
        "value",
    ),
    "quadint_sibling": ("quadkey", [[q, "up"] for q in QUADINTS], quadint_sibling, "value"),
    "quadint_toparent": (
        "quadkey",
        [[q, (q & 31) // 2] for q in QUADINTS],
        quadint_toparent,
        "value",
    ),
    "quadkey_bbox": (
        "quadkey",
        [[mercantile.quadkey(*t)] for t in TILES],
        lambda k: list(mercantile.bounds(mercantile.quadkey_to_tile(k))),
        "json",
    ),
    "quadint_boundary": ("quadkey", [[q] for q in QUADINTS], quadint_boundary, "json"),
    "quadint_kring": ("quadkey", [[q, 1] for q in QUADINTS], quadint_kring, "json"),
    "__quadint_tochildren": (
        "quadkey",
        [[q, min((q & 31) + 1, 29)] for q in QUADINTS],
        quadint_children,
        "json",
    ),
    "quadint_polyfill": ("quadkey", [list(p) for p in POLYGONS], quadint_polyfill, "json"),
}


# ------------------------------------------------------------------------------ measuring


def measure(name: str, artifact: tuple[Path, str], limit: int | None) -> dict[str, float]:
    module, rows, reference, kind = SPECS[name]
    rows = rows[:limit]
    handler = load_handler(module, name)
    ev = event(rows)
    text = json.dumps(ev)

    # Lambda parses the payload before calling a handler: both get the parsed event.
    parsed = json.loads(text)

    def run_handler() -> Any:
        return handler(parsed)

    def run_baseline() -> str:
        args = parsed["arguments"]
        results = [reference(*row) for row in args]
        if kind == "json":
            results = [json.dumps(r) for r in results]
        return json.dumps({"success": True, "num_records": len(results), "results": results})

    response = json.loads(run_handler())
    if not response.get("success"):
        raise SystemExit(f"{name}: handler failed: {response.get('error_msg')}")
    results = response["results"]

    def run_floor() -> bytes:
        json.loads(text)
        return orjson.dumps({"success": True, "num_records": len(results), "results": results})

    expected = json.loads(run_baseline())["results"]
    if comparable(name, results) != comparable(name, expected):
        raise SystemExit(f"{name}: the handler's results differ from the reference's")

    timings = best_of(
        {"handler": (run_handler, 15), "baseline": (run_baseline, 5), "floor": (run_floor, 15)}
    )
    zip_path, runtime = artifact
    return {
        "rows": len(rows),
        **timings,
        "zip_kb": zip_path.stat().st_size / 1000,
        "import_ms": import_time_ms(zip_path, runtime),
    }


def comparable(name: str, results: list[Any]) -> list[Any]:
    """Results as values (JSON texts, GeoJSON included, parsed); polyfill's cells sorted,
    their order being unspecified."""
    values = [
        json.loads(r) if isinstance(r, str) and r.startswith(("{", "[")) else r for r in results
    ]
    if name.endswith("polyfill"):
        values = [sorted(v) for v in values]
    return values


# The targets: 2x the reference (h/base <= 0.5) on the quadbin functions named for it, parity
# with identical cells on polyfill, within 2x of the floor (h/floor <= 2) on scalar functions.
SCALAR = {
    "quadbin_fromlonglat",
    "quadbin_isvalid",
    "quadbin_toquadkey",
    "quadbin_fromquadkey",
    "quadbin_fromzxy",
    "quadbin_sibling",
    "__quadbin_fromquadint",
    "quadint_fromlonglat",
    "quadint_toquadkey",
    "quadint_fromquadkey",
    "quadint_sibling",
    "quadint_toparent",
}
# Both modules' functions of those names: quadbin's center has no quadkey counterpart, and
# quadkey's tochildren is the internal __quadint_tochildren.
BASELINE_2X = {
    *(f"quadbin_{name}" for name in ("fromlonglat", "boundary", "center", "kring", "tochildren")),
    *(f"quadint_{name}" for name in ("fromlonglat", "boundary", "kring")),
    "__quadint_tochildren",
}
PARITY = {"quadbin_polyfill", "quadint_polyfill"}


def targets(name: str) -> list[tuple[str, float]]:
    """(ratio, highest value allowed) for each target `name` has."""
    found = [("h/floor", 2.0)] if name in SCALAR else []
    if name in BASELINE_2X:
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


def _none(*args: Any) -> None:
    return None


def _overflow(*args: Any) -> None:
    raise OverflowError


# name -> the (module, attribute, stand-in) that switch its fast path off: the stand-in returns
# None ("not a batch the fast path takes") or fails to pack, so the plain loop runs. A module
# of None is the handler's own module (a name it imported).
FAST_PATHS: dict[str, tuple[str | None, str, Callable[..., Any]]] = {
    "quadbin_fromzxy": ("quadbin_core.batch", "_bulk_tiles_to_cells", _none),
    "__quadbin_fromquadint": ("quadbin_core.batch", "_bulk_quadints_to_cells", _none),
    "quadbin_sibling": ("quadbin_core.batch", "_bulk_siblings", _none),
    "quadbin_fromquadkey": ("quadbin_core.batch", "_bulk_quadkeys_to_cells", _none),
    "quadbin_isvalid": ("quadbin_core.batch", "pack", _overflow),
    "quadbin_kring": (None, "kring_cells", _none),
    "quadint_sibling": ("quadint_core.batch", "_lanes", _none),
    "quadint_toparent": ("quadint_core.batch", "_lanes", _none),
    "quadint_fromquadkey": ("quadint_core.batch", "_from_quadkeys", _none),
    "quadint_toquadkey": (None, "quadkeys_text", _none),
    "quadint_kring": (None, "kring_columns", _none),
    "__quadint_tochildren": (None, "children_columns", _none),
    "quadint_bbox": (None, "quadint_tiles", _none),
    "quadint_boundary": (None, "quadint_tiles", _none),
    "quadkey_bbox": (None, "quadkey_tiles", _none),
}


def measure_fast_path(name: str, limit: int | None) -> tuple[float, float]:
    """(handler with its fast path, handler with the plain loop), best of 7 each, on the same
    parsed event; both must answer the same text."""
    module, rows, _, _ = SPECS[name]
    handler = load_handler(module, name)
    owner, attribute, stand_in = FAST_PATHS[name]
    target = sys.modules[owner or f"bench_{name}"]
    original = getattr(target, attribute)
    parsed = json.loads(json.dumps(event(rows[:limit])))

    def run_loop() -> Any:
        setattr(target, attribute, stand_in)
        try:
            return handler(parsed)
        finally:
            setattr(target, attribute, original)

    if run_loop() != handler(parsed):
        raise SystemExit(f"{name}: the plain loop answers differently from the fast path")
    best = best_of({"fast": (lambda: handler(parsed), 7), "loop": (run_loop, 7)})
    return best["fast"], best["loop"]


def main_fast_paths(names: list[str], limit: int | None) -> None:
    names = [name for name in names if name in FAST_PATHS]
    build_artifacts(names)
    print(f"{'function':26} {'fast ms':>8} {'loop ms':>8} {'loop/fast':>9}  keep (>= 1.5)")
    for name in names:
        fast, loop = measure_fast_path(name, limit)
        keep = "yes" if loop / fast >= 1.5 else "NO: use the plain loop"
        print(f"{name:26} {fast * 1e3:8.2f} {loop * 1e3:8.2f} {loop / fast:9.2f}  {keep}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="functions to measure (default: all)")
    parser.add_argument(
        "--rows", type=int, help="rows per event (default 10,000; 1,000 for polyfill)"
    )
    parser.add_argument(
        "--fast-paths",
        action="store_true",
        help="time each whole-batch fast path against the plain loop it falls back on",
    )
    args = parser.parse_args(argv)
    names = args.names or list(SPECS)
    if args.fast_paths:
        main_fast_paths(names, args.rows)
        return
    artifacts = build_artifacts(names)
    # The inputs of every function live for the whole run: kept out of the collector's way,
    # they do not slow the collections a handler or baseline triggers (a Lambda's heap is small).
    gc.collect()
    gc.freeze()
    print(
        f"{'function':26} {'rows':>6} {'handler ms':>10} {'baseline':>9} {'floor':>7} "
        f"{'h/base':>7} {'h/floor':>8} {'zip kB':>7} {'import ms':>9}  target"
    )
    for name in names:
        m = measure(name, artifacts[name], args.rows)
        print(
            f"{name:26} {m['rows']:6d} {m['handler'] * 1e3:10.2f} {m['baseline'] * 1e3:9.2f} "
            f"{m['floor'] * 1e3:7.2f} {m['handler'] / m['baseline']:7.2f} "
            f"{m['handler'] / m['floor']:8.2f} {m['zip_kb']:7.1f} {m['import_ms']:9.1f}  "
            f"{verdict(name, m)}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
