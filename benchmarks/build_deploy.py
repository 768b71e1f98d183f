"""Build and deploy timings for the catalog, with ratios measured in the same run.

    .venv/bin/python benchmarks/build_deploy.py [--functions 50]

- cold build: empty dependency cache and build directory (pip runs per requirements set)
- warm rebuild: dependency cache kept, every zip rewritten (target: <= 10% of cold)
- no-op rebuild: nothing changed, zips reused
- determinism: two forced builds give identical bytes
- full deploy vs no-op redeploy of N functions to the local target (target: < 1 s per 50)

Everything happens in a temporary directory; the repository's .carto/ is not touched.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

from engine.build.builder import build_all
from engine.build.vendor import has_requirements
from engine.catalog.loader import find_repo_root, load_catalog
from engine.config import Settings
from engine.deploy.api import deploy
from engine.deploy.targets.local.target import LocalTarget


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def replicate(functions, count):
    """`count` distinct functions cycling through the catalog's (same code, new names)."""
    out = []
    for i in range(count):
        f = functions[i % len(functions)]
        out.append(dataclasses.replace(f, name=f"{f.name}_b{i}", lambda_name=f"bench{i}"))
    return out


# Pure-Python wheels from the package index, so a cold build exercises pip as real
# functions with requirements do; two functions share each set (one pip run per set).
REQUIREMENT_SETS = ["quadbin==0.2.2\n", "mercantile==1.2.1\n"]


def with_requirements(functions, tmp: Path):
    extra = []
    for i, text in enumerate(REQUIREMENT_SETS):
        req = tmp / f"requirements-{i}.txt"
        req.write_text(text)
        for j in range(2):
            f = functions[(i + j) % len(functions)]
            extra.append(
                dataclasses.replace(
                    f, name=f"{f.name}_req{i}{j}", lambda_name=f"req{i}{j}", requirements_file=req
                )
            )
    return extra


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functions", type=int, default=50, help="functions deployed")
    parser.add_argument(
        "--catalog-only",
        action="store_true",
        help="build only the catalog (by default functions with requirements are added)",
    )
    args = parser.parse_args()

    catalog = load_catalog(find_repo_root())
    functions = list(catalog.functions)
    if not functions:
        print("the catalog is empty: nothing to measure")
        return 1
    shared = catalog.shared_root
    with tempfile.TemporaryDirectory(prefix="carto-bench-") as tmp:
        root = Path(tmp)
        if not args.catalog_only:
            functions += with_requirements(functions, root)

        def build(force: bool):
            report = build_all(functions, shared, root=root, force=force)
            if not report.ok:
                raise SystemExit("\n".join(o.error or "" for o in report.failures))
            return report

        cold, t_cold = timed(lambda: build(True))
        first = {k: a.path.read_bytes() for k, a in cold.artifacts.items()}
        warm, t_warm = timed(lambda: build(True))
        same = all(a.path.read_bytes() == first[k] for k, a in warm.artifacts.items())
        _, t_noop_build = timed(lambda: build(False))

        with_reqs = sum(
            1
            for f in functions
            if f.requirements_file and has_requirements(f.requirements_file.read_text())
        )
        print(f"built: {len(functions)} function(s), {with_reqs} with requirements")
        print(f"cold build (empty cache)      {t_cold:8.3f} s")
        print(
            f"warm rebuild (cache, rezip)   {t_warm:8.3f} s   {t_warm / t_cold:6.1%} of cold"
            f"   [target <= 10%: {'ok' if t_warm <= 0.1 * t_cold else 'MISSED'}]"
        )
        print(
            f"no-op rebuild (zips reused)   {t_noop_build:8.3f} s   "
            f"{t_noop_build / t_cold:6.1%} of cold"
        )
        print(f"determinism (two builds)      {'identical bytes' if same else 'DIFFERENT BYTES'}")

        many = replicate(functions, args.functions)
        settings = Settings(repo_root=root, lambda_prefix="bench-")
        target = LocalTarget(root / ".carto" / "local")
        quiet = lambda line: None  # noqa: E731
        full, t_full = timed(lambda: deploy(many, settings, target=target, out=quiet))
        noop, t_noop = timed(lambda: deploy(many, settings, target=target, out=quiet))
        target.close()
        per50 = t_noop * 50 / len(many)
        print(f"full deploy ({len(many)} functions)    {t_full:8.3f} s   {full.counts()}")
        print(
            f"no-op redeploy                {t_noop:8.3f} s   {noop.counts()}   "
            f"{t_noop / t_full:6.1%} of full"
        )
        print(
            f"no-op redeploy per 50         {per50:8.3f} s   "
            f"[target < 1 s: {'ok' if per50 < 1 else 'MISSED'}]"
        )
        ok = same and full.ok and noop.ok and noop.counts() == {"unchanged": len(many)}
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
