"""Compiled bytecode shipped in the artifact.

Lambda's task directory is read-only, so Python cannot write `__pycache__` there: without
bytecode in the zip, every cold start compiles every module it imports (for a catalog
handler that is most of its import time). Each `.py` of the artifact therefore gets its
`__pycache__/<name>.cpython-3XY.pyc`, compiled by the runtime's own Python version:

- hash-based and unchecked (PEP 552): no source timestamp inside, and the import never
  reads the source to validate it; the zip is immutable, so there is nothing to revalidate;
- deterministic: PYTHONHASHSEED is fixed while compiling (set constants), and the recorded
  file name is the name inside the zip, never a path of the build machine;
- cached in the dependency cache by (runtime, name in the zip, content), so a rebuild that
  changed one file compiles one file and a warm rebuild runs no interpreter at all.

Without an interpreter of the runtime's version the artifact ships sources only, and the
build says so: cold starts then compile them, as before.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from pathlib import Path

from engine.build import zipper
from engine.build.interpreters import InterpreterNotFound, find_interpreter, runtime_version

# Run by the runtime's interpreter: compile each (source, name in the zip, output) it reads.
_COMPILE = """
import json, py_compile, sys
for source, dfile, cfile in json.load(sys.stdin):
    try:
        py_compile.compile(source, cfile=cfile, dfile=dfile, doraise=True,
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    except py_compile.PyCompileError as exc:
        sys.stderr.write(json.dumps([source, exc.msg.strip()]))
        sys.exit(3)
"""


class BytecodeError(RuntimeError):
    """A source of the artifact does not compile under the runtime's Python."""


def cache_tag(runtime: str) -> str:
    major, minor = runtime_version(runtime)
    return f"cpython-{major}{minor}"


def pyc_name(arcname: str, tag: str) -> str:
    """'pkg/mod.py' -> 'pkg/__pycache__/mod.<tag>.pyc' (where the import system looks)."""
    folder, _, file = arcname.rpartition("/")
    cached = f"__pycache__/{file[:-3]}.{tag}.pyc"
    return f"{folder}/{cached}" if folder else cached


def bytecode_entries(
    entries: list[zipper.Entry], runtime: str, cache_root: Path
) -> tuple[list[zipper.Entry], str | None]:
    """(an entry for the bytecode of every .py entry, None) or ([], why there is none)."""
    sources = [e for e in entries if e.arcname.endswith(".py")]
    if not sources:
        return [], None
    tag = cache_tag(runtime)
    folder = cache_root / "bytecode" / tag
    cached = {e.arcname: folder / f"{_key(e)}.pyc" for e in sources}
    missing = [e for e in sources if not cached[e.arcname].is_file()]
    if missing:
        try:
            python = find_interpreter(runtime)
        except InterpreterNotFound:
            major, minor = runtime_version(runtime)
            return [], (
                f"no Python {major}.{minor} interpreter here: the artifact ships sources "
                f"without bytecode, so each cold start compiles them (install one to ship it)"
            )
        _compile(python, missing, cached, folder)
    return [zipper.make_entry(pyc_name(e.arcname, tag), cached[e.arcname]) for e in sources], None


def _key(entry: zipper.Entry) -> str:
    return hashlib.sha256(f"{entry.arcname}\0{entry.sha256}".encode()).hexdigest()


def _compile(
    python: Path, sources: list[zipper.Entry], cached: dict[str, Path], folder: Path
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".compile-") as tmp:
        work = Path(tmp).resolve()  # the compiler runs in it: every path given is absolute
        jobs = [
            [str(e.source.resolve()), e.arcname, str(work / f"{i}.pyc")]
            for i, e in enumerate(sources)
        ]
        # -I would ignore PYTHONHASHSEED too: the other PYTHON* variables are dropped instead
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env["PYTHONHASHSEED"] = "0"
        proc = subprocess.run(
            [str(python), "-s", "-S", "-c", _COMPILE],
            input=json.dumps(jobs),
            capture_output=True,
            text=True,
            env=env,
            cwd=work,  # without -I the current folder is importable: an empty one
            check=False,
        )
        if proc.returncode != 0:
            try:
                source, message = json.loads(proc.stderr)
            except ValueError:
                source, message = "a source", proc.stderr.strip() or f"exit {proc.returncode}"
            raise BytecodeError(
                f"{source} does not compile under {python.name}, the function's runtime:\n"
                f"{message}\nFix it so that this Python version accepts it."
            )
        for _, arcname, out in jobs:
            os.replace(out, cached[arcname])
