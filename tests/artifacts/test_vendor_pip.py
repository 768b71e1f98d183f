"""Real pip against the package index: a small pure-Python wheel, and a failure."""

from __future__ import annotations

import zipfile

from engine.build.builder import build_all, build_function


def test_requirements_vendored_cached_and_in_digest(repo, make_function):
    shared = repo / "functions" / "_shared"
    fn = make_function("qb", requirements="quadbin==0.2.2\n")
    cold = build_function(fn, shared, root=repo, force=True)
    assert cold.resolved == ("quadbin==0.2.2",)
    assert not cold.artifact.cache_hit
    with zipfile.ZipFile(cold.artifact.path) as zf:
        names = zf.namelist()
    assert "quadbin/__init__.py" in names
    assert any(n.startswith("quadbin-0.2.2.dist-info/") for n in names)  # kept on purpose
    # pip's own bytecode never ships; the build's (one per .py, the runtime's tag) does
    compiled = {n for n in names if n.endswith(".pyc")}
    assert "quadbin/__pycache__/__init__.cpython-312.pyc" in compiled
    assert len(compiled) == sum(n.endswith(".py") for n in names)

    warm = build_function(fn, shared, root=repo, force=True)
    assert warm.artifact.cache_hit
    assert warm.artifact.path.read_bytes() == cold.artifact.path.read_bytes()
    assert warm.artifact.digest == cold.artifact.digest

    # A comment changes the cache key but not the resolved set: same digest.
    fn.requirements_file.write_text("# pinned\nquadbin==0.2.2\n")
    assert build_function(fn, shared, root=repo).artifact.digest == cold.artifact.digest
    bare = make_function("bare")
    assert build_function(bare, shared, root=repo).artifact.digest != cold.artifact.digest
    leftovers = [p for p in (repo / ".carto/cache/deps").iterdir() if p.name.startswith(".tmp")]
    assert leftovers == []


def test_pip_failure_is_fatal_and_shows_pips_message(repo, make_function):
    fn = make_function("broken", requirements="carto-gateway-no-such-package-zz==9.9.9\n")
    report = build_all([fn], repo / "functions" / "_shared", root=repo)
    assert not report.ok and report.artifacts == {}
    error = report.failures[0].error
    assert "pip could not install" in error
    assert "carto-gateway-no-such-package-zz" in error
    assert "No matching distribution" in error or "Could not find a version" in error
    cache = repo / ".carto" / "cache" / "deps"
    assert [p for p in cache.iterdir() if not p.name.endswith(".lock")] == []
