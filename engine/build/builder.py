"""Build one deterministic Lambda zip per function: sources + vendored requirements.

The zip holds exactly `engine.build.layout.source_files` (what in-process tests import) plus the
requirements pip installed for the function's runtime and architecture, and the bytecode of
every .py compiled by the runtime's Python version (`engine.build.bytecode`). Its digest covers
every (name, mode, content) and the build parameters, so the planner can skip unchanged
functions without trusting zip bytes. Artifacts land in .carto/build/<module>/<name>.zip
with a sidecar .json; an existing zip whose digest and bytes still match is reused.
"""

from __future__ import annotations

import dataclasses
import json
import os
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from engine.build import layout, zipper
from engine.build.artifact import Artifact
from engine.build.bytecode import BytecodeError, bytecode_entries, cache_tag
from engine.catalog.model import Function, LambdaConfig
from engine.build.vendor import ARCHITECTURES, SUPPORTED_RUNTIMES, Vendored, VendorError, vendor

MB = 1024 * 1024
# Lambda quotas. Above the zipped limit a direct upload is refused but an S3 upload works,
# so that one is a warning; the unzipped limit holds for every upload path.
MAX_ZIPPED_BYTES = 50 * MB
MAX_UNZIPPED_BYTES = 250 * MB
DEFAULT_JOBS = min(4, os.cpu_count() or 2)


class BuildError(RuntimeError):
    """One function could not be built; the message says why and what to do."""


@dataclass(frozen=True)
class BuildOutcome:
    function: Function
    artifact: Artifact | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()
    resolved: tuple[str, ...] = ()  # vendored "name==version"
    has_requirements: bool = False
    reused: bool = False  # the zip on disk already matched the digest


@dataclass
class BuildReport:
    outcomes: list[BuildOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(o.error is None for o in self.outcomes)

    @property
    def artifacts(self) -> dict[str, Artifact]:
        return {o.function.id: o.artifact for o in self.outcomes if o.artifact is not None}

    @property
    def failures(self) -> list[BuildOutcome]:
        return [o for o in self.outcomes if o.error is not None]


def build_dir(root: Path) -> Path:
    return root / ".carto" / "build"


def deps_cache_dir(root: Path) -> Path:
    return root / ".carto" / "cache" / "deps"


def runtime_override(values: Mapping[str, str]) -> str | None:
    """The global CARTO_RUNTIME override from Settings.values, if set."""
    return values.get("CARTO_RUNTIME") or None


def effective_config(function: Function, runtime: str | None = None) -> LambdaConfig:
    """The function's Lambda configuration with the global runtime override applied."""
    config = function.config
    if runtime:
        config = dataclasses.replace(config, runtime=runtime)
    if config.runtime not in SUPPORTED_RUNTIMES:
        raise BuildError(
            f"{function.id}: runtime {config.runtime!r} is not supported; "
            f"use one of {', '.join(SUPPORTED_RUNTIMES)}"
        )
    if config.architecture not in ARCHITECTURES:
        raise BuildError(
            f"{function.id}: architecture {config.architecture!r} is not supported; "
            f"use one of {', '.join(ARCHITECTURES)}"
        )
    return config


def _site_entries(vendored: Vendored, cache_root: Path) -> list[zipper.Entry]:
    """Entries of the vendored tree; their hashes are cached next to the immutable tree."""
    if vendored.site is None:
        return []
    manifest = cache_root / str(vendored.key) / "manifest.json"
    if manifest.is_file():
        rows = json.loads(manifest.read_text())
        return [zipper.Entry(a, vendored.site / a, m, s, h) for a, m, s, h in rows]
    entries = [zipper.make_entry(a, p) for a, p in zipper.tree_files(vendored.site)]
    tmp = manifest.with_name(f".manifest.{os.getpid()}.{id(entries)}.tmp")
    tmp.write_text(json.dumps([[e.arcname, e.mode, e.size, e.sha256] for e in entries]))
    os.replace(tmp, manifest)
    return entries


def _check_unzipped(function: Function, entries: list[zipper.Entry]) -> int:
    total = sum(e.size for e in entries)
    if total <= MAX_UNZIPPED_BYTES:
        return total
    by_top: dict[str, int] = {}
    for e in entries:
        top = e.arcname.split("/", 1)[0] + ("/" if "/" in e.arcname else "")
        by_top[top] = by_top.get(top, 0) + e.size
    biggest = sorted(by_top.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    listing = ", ".join(f"{name} {size / MB:.1f} MB" for name, size in biggest)
    raise BuildError(
        f"{function.id}: the artifact unzips to {total / MB:.1f} MB, over Lambda's "
        f"{MAX_UNZIPPED_BYTES / MB:.0f} MB limit. Biggest contributors: {listing}. "
        "Drop or slim the largest requirements (or split the function)."
    )


def _reusable(zip_path: Path, sidecar: Path, digest: str) -> dict | None:
    if not (zip_path.is_file() and sidecar.is_file()):
        return None
    try:
        meta = json.loads(sidecar.read_text())
    except ValueError:
        return None
    if meta.get("digest") != digest or meta.get("size") != zip_path.stat().st_size:
        return None
    if zipper.file_sha256(zip_path) != meta.get("zip_sha256"):
        return None
    return meta


def build_function(
    function: Function,
    shared_root: Path,
    *,
    root: Path,
    runtime: str | None = None,
    force: bool = False,
) -> BuildOutcome:
    """Build (or reuse) the artifact of one function. Raises BuildError or VendorError."""
    config = effective_config(function, runtime)
    try:
        sources = layout.source_files(function, shared_root)
    except ValueError as exc:
        raise BuildError(str(exc)) from None
    cache_root = deps_cache_dir(root)
    vendored = vendor(
        function.requirements_file, config.runtime, config.architecture, cache_root, function.id
    )
    entries = [zipper.make_entry(a, p) for a, p in sources]
    source_names = {e.arcname: e.source for e in entries}
    for e in _site_entries(vendored, cache_root):
        if e.arcname in source_names:
            raise BuildError(
                f"{function.id}: requirement file '{e.arcname}' collides with "
                f"{source_names[e.arcname]}; rename the module in the function's code"
            )
        entries.append(e)
    try:
        compiled, no_bytecode = bytecode_entries(entries, config.runtime, cache_root)
    except BytecodeError as exc:
        raise BuildError(f"{function.id}: {exc}") from None
    entries += compiled
    entries.sort(key=lambda e: e.arcname)
    unzipped = _check_unzipped(function, entries)
    params = [f"runtime={config.runtime}", f"architecture={config.architecture}"]
    params += [f"requirement={r}" for r in vendored.resolved]
    params.append(f"bytecode={cache_tag(config.runtime) if compiled else 'none'}")
    digest = zipper.content_digest(entries, params)

    zip_path = build_dir(root) / function.module / f"{function.name}.zip"
    sidecar = zip_path.with_suffix(".json")
    meta = None if force else _reusable(zip_path, sidecar, digest)
    reused = meta is not None
    if meta is None:
        try:
            zipper.write_zip(entries, zip_path, cache_root / "deflate")
        except zipper.ZipLimitError as exc:
            raise BuildError(f"{function.id}: {exc}") from None
        meta = {
            "function": function.id,
            "digest": digest,
            "size": zip_path.stat().st_size,
            "zip_sha256": zipper.file_sha256(zip_path),
            "unzipped_size": unzipped,
            "runtime": config.runtime,
            "architecture": config.architecture,
            "requirements": list(vendored.resolved),
        }
        tmp = sidecar.with_name(f".{sidecar.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")
        os.replace(tmp, sidecar)
    warnings = [f"{function.id}: {no_bytecode}"] if no_bytecode else []
    if meta["size"] > MAX_ZIPPED_BYTES:
        warnings.append(
            f"{function.id}: the zip is {meta['size'] / MB:.1f} MB, over the "
            f"{MAX_ZIPPED_BYTES / MB:.0f} MB direct-upload limit; the aws target uploads it via S3"
        )
    artifact = Artifact(
        function_id=function.id,
        path=zip_path,
        digest=digest,
        size=meta["size"],
        unzipped_size=unzipped,
        cache_hit=vendored.cache_hit,
    )
    return BuildOutcome(
        function=function,
        artifact=artifact,
        warnings=tuple(warnings),
        resolved=vendored.resolved,
        has_requirements=vendored.site is not None,
        reused=reused,
    )


def build_all(
    functions: list[Function],
    shared_root: Path,
    *,
    root: Path,
    runtime: str | None = None,
    jobs: int | None = None,
    force: bool = False,
) -> BuildReport:
    """Build every function with a small bounded pool; one failure never stops the others.
    SQL-only functions have nothing to build and get no outcome."""
    functions = [f for f in functions if f.has_lambda]

    def one(function: Function) -> BuildOutcome:
        try:
            return build_function(function, shared_root, root=root, runtime=runtime, force=force)
        except (BuildError, VendorError, OSError) as exc:
            return BuildOutcome(function=function, error=str(exc))

    workers = max(1, min(jobs or DEFAULT_JOBS, len(functions) or 1))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="build") as pool:
        outcomes = list(pool.map(one, functions))
    return BuildReport(outcomes=outcomes)


def format_size(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.1f} MB"
    return f"{size / 1024:.1f} kB"
