"""What every handler benchmark shares: the Redshift event, artifacts built as a deploy builds
them, a handler imported from its source folder, turn-taking best-of timings, and import times
measured from an artifact's own files under the runtime's Python.

Each module's benchmark (handlers.py, s2.py, placekey_random.py, transformations.py,
processing_clustering.py) brings only its inputs, baselines and printout.
"""

from __future__ import annotations

import gc
import importlib.util
import math
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from engine.build.builder import build_all, effective_config
from engine.build.interpreters import find_interpreter
from engine.catalog.loader import load_catalog

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / "functions" / "_shared"


def event(rows: list[list[Any]]) -> dict[str, Any]:
    """A Redshift external-function event carrying `rows`."""
    return {
        "request_id": "bench",
        "cluster": "arn:aws:redshift:us-east-1:000000000000:cluster:bench",
        "user": "bench",
        "database": "dev",
        "external_function": "carto.bench",
        "query_id": 1,
        "num_records": len(rows),
        "arguments": rows,
    }


def best_of(runs: dict[str, tuple[Callable[[], Any], int]]) -> dict[str, float]:
    """The fastest of each function's runs, the functions taking turns, so that a busy moment
    of the machine falls on all of them alike; each run starts from a collected heap (the
    garbage of one run is not charged to the next). runs: name -> (function, runs wanted)."""
    best = dict.fromkeys(runs, math.inf)
    for round_ in range(max(count for _, count in runs.values())):
        for name, (fn, count) in runs.items():
            if round_ < count:
                gc.collect()
                start = time.perf_counter()
                fn()
                best[name] = min(best[name], time.perf_counter() - start)
    return best


def load_handler(module: str, name: str) -> Callable[..., str]:
    """Import a handler by path, with its directory and the shared libs importable."""
    handler_dir = ROOT / "functions" / module / name / "code" / "lambda" / "python"
    for path in (str(SHARED), str(ROOT)):
        if path not in sys.path:
            sys.path.append(path)
    sys.path.insert(0, str(handler_dir))
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", handler_dir / "handler.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod  # found by name (handlers.py --fast-paths patches it)
        spec.loader.exec_module(mod)
    finally:
        sys.path.remove(str(handler_dir))
    return mod.lambda_handler


def build_artifacts(names: list[str]) -> dict[str, tuple[Path, str]]:
    """Build (or reuse) each function's artifact, as a deploy does: name -> (zip, runtime)."""
    catalog = load_catalog(ROOT)
    by_name = {f.name: f for f in catalog.functions}
    chosen = [by_name[name] for name in dict.fromkeys(names)]  # each built once
    report = build_all(chosen, catalog.shared_root, root=ROOT)
    if not report.ok:
        raise SystemExit("\n".join(o.error or "" for o in report.failures))
    return {
        o.function.name: (o.artifact.path, effective_config(o.function).runtime)
        for o in report.outcomes
        if o.artifact is not None
    }


def import_times_ms(
    zip_path: Path, runtime: str, modules: Sequence[str] = ("handler",), runs: int = 1
) -> dict[str, float]:
    """Cumulative import time (ms) of each of `modules` while `handler` is imported from the
    artifact's files, under the runtime's Python, isolated (-I -S) as the local target runs
    it; the best of `runs` fresh processes."""
    best = dict.fromkeys(modules, math.inf)
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(tmp)
        code = f"import sys; sys.path.insert(0, {tmp!r}); import handler"
        for _ in range(runs):
            out = subprocess.run(
                [str(find_interpreter(runtime)), "-X", "importtime", "-I", "-S", "-c", code],
                capture_output=True,
                text=True,
                check=True,
            ).stderr
            for name in modules:
                match = re.search(rf"\|\s*(\d+) \|\s+{re.escape(name)}$", out, re.M)
                best[name] = min(best[name], int(match.group(1)) / 1000 if match else math.nan)
    return best


def import_time_ms(zip_path: Path, runtime: str, runs: int = 1) -> float:
    """Cumulative import time (ms) of `handler` from the artifact's files."""
    return import_times_ms(zip_path, runtime, ("handler",), runs)["handler"]
