"""Vendor a function's requirements for its Lambda runtime and architecture, with a cache.

pip installs manylinux wheels for the *runtime's* Python and glibc (never the host's), and
any pip failure is fatal: an artifact without its dependencies must never be deployed. Only
plain requirement specifiers are accepted (engine.catalog.requirements): no option, path or
URL that could make pip build from source on the host.

The cache is keyed on what pip resolved, not on the requirements text: an entry is named by
the digest of every installed distribution's name, version and wheel sha256 (pip's install
report), for one runtime and architecture. Two files that resolve to the same wheels share it;
the same text resolving to other wheels (a new release, another index) gets its own. A memo
maps the text to its resolution for RESOLVE_TTL seconds, so a rebuild within that time runs
no pip at all; after it, pip resolves again. Each entry is created complete or not at all:
pip writes into a temporary directory that is renamed into place.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from engine.build.interpreters import runtime_version
from engine.catalog.requirements import parse as parse_requirements

# Bump when the pip command or the cache layout changes: old entries are then ignored.
CACHE_FORMAT = "v2"
RESOLVE_TTL = 3600  # seconds a requirements text's resolution is reused without asking pip
REPORT = "pip-report.json"
ARCHITECTURES = ("x86_64", "arm64")
SUPPORTED_RUNTIMES = ("python3.10", "python3.11", "python3.12", "python3.13")
PIP_TIMEOUT = 900  # seconds; a stuck index should fail the build, not hang it

# python3.10/3.11 run on Amazon Linux 2 (glibc 2.26), python3.12+ on Amazon Linux 2023
# (glibc 2.34). A wheel tagged for a newer glibc installs fine but fails at import time.
_GLIBC_MINOR = {10: 26, 11: 26, 12: 34, 13: 34}
_MACHINE = {"x86_64": "x86_64", "arm64": "aarch64"}


class VendorError(RuntimeError):
    """pip could not install the requirements; the message carries pip's output."""


@dataclass(frozen=True)
class Vendored:
    site: Path | None  # the installed tree, None when there is nothing to install
    resolved: tuple[str, ...]  # "name==version" for every installed distribution, sorted
    cache_hit: bool
    key: str | None  # the resolution's key: names, versions and wheel hashes


def platform_tags(runtime: str, architecture: str) -> list[str]:
    """Every manylinux tag the runtime's glibc accepts, newest first (pip's preference order).

    pip matches --platform values literally and does not imply older manylinux versions, so
    the whole range is listed.
    """
    if architecture not in _MACHINE:
        raise ValueError(f"unknown architecture {architecture!r}; use one of {ARCHITECTURES}")
    major, minor = runtime_version(runtime)
    if major != 3 or minor not in _GLIBC_MINOR:
        raise ValueError(f"unsupported runtime {runtime!r}; use one of {SUPPORTED_RUNTIMES}")
    glibc = _GLIBC_MINOR[minor]
    machine = _MACHINE[architecture]
    # aarch64 wheels start at manylinux2014 (glibc 2.17); x86_64 ones at manylinux1 (2.5).
    lowest = 17 if machine == "aarch64" else 5
    tags = [f"manylinux_2_{v}_{machine}" for v in range(glibc, lowest - 1, -1)]
    tags.append(f"manylinux2014_{machine}")
    if machine == "x86_64":
        tags += [f"manylinux2010_{machine}", f"manylinux1_{machine}"]
    return tags


def pip_command(
    requirements: Path, dest: Path, runtime: str, architecture: str, report: Path | None = None
) -> list[str]:
    major, minor = runtime_version(runtime)
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--target",
        str(dest),
        "--only-binary=:all:",
        "--implementation",
        "cp",
        "--python-version",
        f"{major}.{minor}",
        "--abi",
        f"cp{major}{minor}",
    ]
    for tag in platform_tags(runtime, architecture):
        cmd += ["--platform", tag]
    # --no-compile: .pyc files would be for the host's Python and break reproducibility.
    if report is not None:  # what pip installed: each wheel's name, version, URL and sha256
        cmd += ["--report", str(report)]
    cmd += [
        "--no-compile",
        "--no-input",
        "--disable-pip-version-check",
        "--no-warn-script-location",
        "-r",
        str(requirements),
    ]
    return cmd


def has_requirements(text: str) -> bool:
    """False for an empty file or one holding only comments and blank lines."""
    return any(line.split("#", 1)[0].strip() for line in text.splitlines())


def cache_key(text: str, runtime: str, architecture: str) -> str:
    """The key of a requirements text (its memo), not of a cache entry."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return f"{CACHE_FORMAT}-{runtime}-{architecture}-{digest}"


def resolution_key(pins: list[str], runtime: str, architecture: str) -> str:
    """The key of a cache entry: every installed distribution, version and wheel hash."""
    digest = hashlib.sha256("\n".join(sorted(pins)).encode("utf-8")).hexdigest()
    return f"{CACHE_FORMAT}-{runtime}-{architecture}-r{digest[:48]}"


def resolved_pins(site: Path, report: Path) -> list[str]:
    """'name==version wheel sha256:...' for each distribution pip installed.

    From pip's install report; without one, each distribution's RECORD (the sha256 of every
    file it installed) stands for its wheel's hash.
    """
    pins = []
    try:
        data = json.loads(report.read_text(encoding="utf-8"))
        items = data["install"]
    except (OSError, ValueError, KeyError, TypeError):
        items = None
    if isinstance(items, list):
        for item in items:
            meta = item.get("metadata") or {}
            info = item.get("download_info") or {}
            hashes = (info.get("archive_info") or {}).get("hashes") or {}
            wheel = str(info.get("url", "")).rsplit("/", 1)[-1]
            pins.append(
                f"{_normalise(str(meta.get('name')))}=={meta.get('version')} {wheel} "
                f"sha256:{hashes.get('sha256', '?')}"
            )
        return sorted(pins)
    for record in sorted(site.glob("*.dist-info/RECORD")):
        digest = hashlib.sha256(record.read_bytes()).hexdigest()
        pins.append(f"{record.parent.name} record-sha256:{digest}")
    return pins


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def resolved_set(site: Path) -> tuple[str, ...]:
    """'name==version' of every distribution pip installed (from .dist-info/METADATA)."""
    found = []
    for meta in site.glob("*.dist-info/METADATA"):
        fields: dict[str, str] = {}
        for line in meta.read_text(encoding="utf-8", errors="replace").splitlines():
            if not line.strip():
                break  # headers end at the first blank line
            key, sep, value = line.partition(":")
            if sep and key in ("Name", "Version"):
                fields.setdefault(key, value.strip())
        if "Name" in fields:
            found.append(f"{_normalise(fields['Name'])}=={fields.get('Version', '?')}")
    return tuple(sorted(found))


def _pip_env() -> dict[str, str]:
    # These would redirect or reshape the install; index and proxy settings are kept.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PIP_TARGET", "PIP_PREFIX", "PIP_USER", "PIP_ROOT", "PYTHONPATH"}
    }
    env["PIP_REQUIRE_VIRTUALENV"] = "0"
    return env


def run_pip(requirements: Path, dest: Path, runtime: str, architecture: str, label: str) -> None:
    """Install into `dest`; pip's install report goes beside it (dest.parent / REPORT)."""
    cmd = pip_command(requirements, dest, runtime, architecture, dest.parent / REPORT)
    try:
        proc = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            cwd=requirements.parent,  # relative paths inside the file resolve as pip expects
            env=_pip_env(),
            timeout=PIP_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        raise VendorError(
            f"{label}: pip did not finish within {PIP_TIMEOUT} s installing {requirements}; "
            "check the package index is reachable"
        ) from None
    if proc.returncode != 0:
        output = (proc.stderr.strip() + "\n" + proc.stdout.strip()).strip()
        tail = "\n".join(output.splitlines()[-30:])
        raise VendorError(
            f"{label}: pip could not install {requirements} for {runtime}/{architecture} "
            f"(exit {proc.returncode}). Every requirement needs a wheel for that runtime and "
            f"architecture (py3-none-any or one of the manylinux tags). pip said:\n{tail}"
        )


def _check(requirements: Path, label: str) -> str:
    """The requirements text, once every line is a plain specifier; VendorError otherwise."""
    _, problems = parse_requirements(requirements)
    if problems:
        raise VendorError(f"{label}: refused requirements:\n" + "\n".join(map(str, problems)))
    return requirements.read_text(encoding="utf-8")


def _memo(path: Path) -> str | None:
    """The resolution key a text resolved to, if resolved within RESOLVE_TTL seconds."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if time.time() - float(data["at"]) < RESOLVE_TTL:
            return str(data["key"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def _write_memo(path: Path, key: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps({"key": key, "at": time.time()}), encoding="utf-8")
    os.replace(tmp, path)


def _entry(final: Path) -> tuple[str, ...] | None:
    meta = final / "resolved.json"
    return tuple(json.loads(meta.read_text())) if meta.is_file() else None


def vendor(
    requirements: Path | None,
    runtime: str,
    architecture: str,
    cache_root: Path,
    label: str = "",
) -> Vendored:
    """Install `requirements` for the runtime/architecture into the cache (once per resolution)
    and return it."""
    label = label or str(requirements)
    text = _check(requirements, label) if requirements else ""
    if not has_requirements(text):
        return Vendored(site=None, resolved=(), cache_hit=False, key=None)
    assert requirements is not None
    text_key = cache_key(text, runtime, architecture)
    memo = cache_root / "by-text" / f"{text_key}.json"
    key = _memo(memo)
    if key is not None and (resolved := _entry(cache_root / key)) is not None:
        return Vendored(cache_root / key / "site", resolved, True, key)
    cache_root.mkdir(parents=True, exist_ok=True)
    # The lock makes parallel builders (threads, xdist workers) share one pip run per text.
    with FileLock(str(cache_root / f"{text_key}.lock"), timeout=PIP_TIMEOUT + 60):
        key = _memo(memo)
        if key is not None and (resolved := _entry(cache_root / key)) is not None:
            return Vendored(cache_root / key / "site", resolved, True, key)
        tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{text_key[:24]}-", dir=cache_root))
        try:
            run_pip(requirements, tmp / "site", runtime, architecture, label)
            (tmp / "site").mkdir(exist_ok=True)
            pins = resolved_pins(tmp / "site", tmp / REPORT)
            key = resolution_key(pins, runtime, architecture)
            final = cache_root / key
            with FileLock(str(cache_root / f"{key}.lock"), timeout=PIP_TIMEOUT + 60):
                resolved = _entry(final)
                hit = resolved is not None
                if resolved is None:
                    resolved = resolved_set(tmp / "site")
                    (tmp / "resolved.json").write_text(json.dumps(list(resolved)))
                    (tmp / "wheels.json").write_text(json.dumps(pins, indent=1))
                    (tmp / "command.json").write_text(
                        json.dumps(pip_command(requirements, Path("<site>"), runtime, architecture))
                    )
                    if final.exists():  # a stale entry without resolved.json: never complete
                        shutil.rmtree(final)
                    os.rename(tmp, final)
            _write_memo(memo, key)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    return Vendored(final / "site", resolved, hit, key)
