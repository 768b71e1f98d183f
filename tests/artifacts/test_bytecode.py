"""Bytecode in the artifact: compiled by the runtime's Python, used as is, cached, optional."""

from __future__ import annotations

import subprocess
import zipfile

import pytest

from engine.build import bytecode
from engine.build.builder import BuildError, build_function
from engine.build.interpreters import InterpreterNotFound, find_interpreter


def _build(fn, repo, **kw):
    return build_function(fn, repo / "functions" / "_shared", root=repo, **kw)


def _no_interpreter(monkeypatch):
    def refuse(runtime, *args, **kwargs):
        raise InterpreterNotFound(f"no {runtime} in this test")

    monkeypatch.setattr(bytecode, "find_interpreter", refuse)


def test_pyc_names_follow_the_import_system():
    assert bytecode.pyc_name("handler.py", "cpython-312") == "__pycache__/handler.cpython-312.pyc"
    assert bytecode.pyc_name("a/b/c.py", "cpython-310") == "a/b/__pycache__/c.cpython-310.pyc"


def test_the_runtime_imports_the_shipped_bytecode_without_compiling(repo, make_function, tmp_path):
    fn = make_function(files={"pkg/__init__.py": "VALUE = 41\n"})
    artifact = _build(fn, repo).artifact
    extracted = tmp_path / "task"
    with zipfile.ZipFile(artifact.path) as zf:
        zf.extractall(extracted)
        shipped = {n: zf.read(n) for n in zf.namelist() if n.endswith(".pyc")}
    assert "pkg/__pycache__/__init__.cpython-312.pyc" in shipped
    for name, data in shipped.items():
        # PEP 552 flags: hash-based (bit 0), not checked against the source (bit 1 clear)
        assert int.from_bytes(data[4:8], "little") == 0b01, name
        assert str(repo).encode() not in data, f"{name} records a path of the build machine"
    python = find_interpreter("python3.12")
    code = f"import sys; sys.path.insert(0, {str(extracted)!r}); import handler, pkg"
    proc = subprocess.run(
        [str(python), "-v", "-I", "-S", "-c", code], capture_output=True, text=True, check=True
    )
    for module in ("__pycache__/handler", "pkg/__pycache__/__init__"):
        assert f"code object from '{extracted}/{module}.cpython-312.pyc'" in proc.stderr
    after = {p.relative_to(extracted).as_posix() for p in extracted.rglob("*.pyc")}
    assert after == set(shipped)  # nothing was compiled at import


def test_a_module_the_runtime_cannot_compile_fails_the_build(repo, make_function):
    # valid for the venv running this test (3.10+), not for the function's Python 3.11
    fn = make_function(files={"lib/newer.py": "type Alias = int\n"}, runtime="python3.11")
    with pytest.raises(BuildError) as info:
        _build(fn, repo)
    message = str(info.value)
    assert "lib/newer.py" in message and "python3.11" in message
    assert "line 1" in message or "invalid syntax" in message
    assert not (repo / ".carto" / "build" / "demo" / "echo.zip").exists()


def test_bytecode_is_cached_per_file(repo, make_function, monkeypatch):
    fn = make_function(files={"lib/helpers.py": "X = 1\n"})
    first = _build(fn, repo).artifact
    _no_interpreter(monkeypatch)
    # every file's bytecode is in the cache: no interpreter needed, same bytes
    again = _build(fn, repo, force=True)
    assert again.warnings == () and again.artifact.path.read_bytes() == first.path.read_bytes()
    # one changed file needs compiling: without an interpreter, sources only, and it says so
    (fn.handler_dir / "lib" / "helpers.py").write_text("X = 2\n")
    changed = _build(fn, repo, force=True)
    assert any("without bytecode" in w for w in changed.warnings)
    with zipfile.ZipFile(changed.artifact.path) as zf:
        assert not [n for n in zf.namelist() if n.endswith(".pyc")]
    assert changed.artifact.digest != first.digest


def test_bytecode_does_not_depend_on_the_hash_seed(repo, make_function, monkeypatch):
    # Python 3.10 marshals a frozenset constant in hash order: the build fixes the seed
    sets = "def f(x):\n    return x in {'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'}\n"
    fn = make_function(files={"lib/sets.py": sets}, runtime="python3.10")
    outputs = set()
    for seed in ("1", "2", "3"):
        monkeypatch.setenv("PYTHONHASHSEED", seed)
        for cached in (repo / ".carto").rglob("bytecode"):
            for pyc in cached.rglob("*.pyc"):
                pyc.unlink()
        outputs.add(_build(fn, repo, force=True).artifact.path.read_bytes())
    assert len(outputs) == 1
