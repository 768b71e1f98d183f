"""Find a working Python interpreter for a Lambda runtime name ("python3.12").

The local target runs each artifact under the Python version its runtime names, so a test
on the local target catches syntax or stdlib differences the development venv would hide.
A candidate only counts once it has actually run: pyenv shims exist on PATH for every
installed version but fail unless that version is selected, so existence proves nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

_RUNTIME_RE = re.compile(r"^python(3)\.(\d+)$")
SYSTEM_DIRS: tuple[str, ...] = ("/usr/bin", "/usr/local/bin")

_cache: dict[tuple, Path] = {}
_lock = threading.Lock()


class InterpreterNotFound(RuntimeError):
    """No working interpreter for a runtime; the message says how to install one."""


def runtime_version(runtime: str) -> tuple[int, int]:
    """'python3.12' -> (3, 12); ValueError for anything else."""
    m = _RUNTIME_RE.match(runtime)
    if not m:
        raise ValueError(f"unknown runtime {runtime!r}; expected a name like 'python3.12'")
    return int(m.group(1)), int(m.group(2))


def _env_var(version: tuple[int, int]) -> str:
    return f"CARTO_PYTHON_{version[0]}_{version[1]}"


def _version_key(path: Path) -> tuple[int, ...]:
    # ~/.pyenv/versions/3.12.10 must sort above 3.12.9: compare numerically.
    parts = re.findall(r"\d+", path.name)
    return tuple(int(p) for p in parts)


def candidates(
    runtime: str,
    environ: Mapping[str, str] | None = None,
    system_dirs: Sequence[str] = SYSTEM_DIRS,
) -> list[Path]:
    """Every place an interpreter for `runtime` may be, most preferred first."""
    environ = os.environ if environ is None else environ
    version = runtime_version(runtime)
    exe = f"python{version[0]}.{version[1]}"
    found: list[Path] = []
    if environ.get(_env_var(version)):
        found.append(Path(environ[_env_var(version)]))
    for entry in environ.get("PATH", "").split(os.pathsep):
        if entry and (Path(entry) / exe).is_file():
            found.append(Path(entry) / exe)
    roots = []
    if environ.get("PYENV_ROOT"):
        roots.append(Path(environ["PYENV_ROOT"]))
    if environ.get("HOME"):
        roots.append(Path(environ["HOME"]) / ".pyenv")
    for root in roots:
        versions = root / "versions"
        if versions.is_dir():
            pattern = f"{version[0]}.{version[1]}.*"
            for d in sorted(versions.glob(pattern), key=_version_key, reverse=True):
                found.append(d / "bin" / exe)
    found += [Path(d) / exe for d in system_dirs]
    unique: list[Path] = []
    for path in found:
        if path not in unique:
            unique.append(path)
    return unique


def _works(path: Path, version: tuple[int, int]) -> Path | None:
    """The real executable behind `path` when it runs the wanted version, else None.

    A pyenv shim may work here (it finds the version through PATH) yet fail in the worker's
    isolated environment, so the worker is started with the executable the shim ran.
    """
    if not path.is_file() or not os.access(path, os.X_OK):
        return None
    try:
        proc = subprocess.run(
            [str(path), "-c", "import sys;print(sys.version_info[:2]);print(sys.executable)"],
            capture_output=True,
            text=True,
            timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = proc.stdout.splitlines()
    if proc.returncode != 0 or len(lines) < 2 or lines[0].strip() != str(version):
        return None
    return Path(lines[1].strip()) if lines[1].strip() else path


def find_interpreter(
    runtime: str,
    environ: Mapping[str, str] | None = None,
    system_dirs: Sequence[str] = SYSTEM_DIRS,
) -> Path:
    """The first candidate that runs and reports the runtime's version; cached per process.

    Raises InterpreterNotFound naming the runtime, what was tried and how to install one.
    """
    environ = os.environ if environ is None else environ
    version = runtime_version(runtime)
    tried = candidates(runtime, environ, system_dirs)
    key = (runtime, tuple(tried))
    with _lock:
        if key in _cache:
            return _cache[key]
    for candidate in tried:
        path = _works(candidate, version)
        if path is not None:
            with _lock:
                _cache[key] = path
            return path
    short = f"{version[0]}.{version[1]}"
    pyenv = (
        "pyenv install " + short
        if shutil.which("pyenv")
        else "install pyenv, then pyenv install " + short
    )
    raise InterpreterNotFound(
        f"runtime {runtime} needs a Python {short} interpreter to run on the local target, "
        f"but none works here (tried: {', '.join(str(p) for p in tried) or 'nothing'}). "
        f"Install one ({pyenv}, or your system's python{short} package), or set "
        f"{_env_var(version)} in the environment to its path."
    )
