"""Which source files make up a function's artifact, and under which names.

The artifact builder zips exactly these files (plus vendored requirements); the in-process
test runner stages exactly these files too, so a test imports what the artifact ships.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from engine.catalog.model import Function

# Located without importing it: the runtime is shipped, not used, by the engine here.
RUNTIME_DIR = Path(importlib.util.find_spec("carto_runtime").submodule_search_locations[0])

# Never shipped: caches and files that only make sense in the repository.
_EXCLUDED_DIRS = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "tests"}
_EXCLUDED_SUFFIXES = {".pyc", ".pyo"}


def _tree(root: Path, prefix: str, skip: set[Path]) -> list[tuple[str, Path]]:
    entries = []
    if root.is_symlink():
        raise ValueError(f"{root}: symbolic link; an artifact ships only real files")
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if path.is_symlink():  # validate refuses these; a link must never ship its target
            raise ValueError(f"{path}: symbolic link; an artifact ships only real files")
        if path.is_dir() or path in skip:
            continue
        if any(part in _EXCLUDED_DIRS for part in rel.parts[:-1]):
            continue
        if path.suffix in _EXCLUDED_SUFFIXES or path.name.startswith("."):
            continue
        entries.append((f"{prefix}{rel.as_posix()}", path))
    return entries


def source_files(function: Function, shared_root: Path) -> list[tuple[str, Path]]:
    """(archive name, absolute path) for every source file of the artifact, sorted by name.

    Raises ValueError when two sources would land on the same archive name.
    """
    skip = {function.requirements_file} if function.requirements_file else set()
    entries = _tree(function.handler_dir, "", skip)
    for lib in function.shared_libs:
        entries += _tree(shared_root / lib, f"{lib}/", set())
    entries += _tree(RUNTIME_DIR, "carto_runtime/", set())
    seen: dict[str, Path] = {}
    for name, path in entries:
        if name in seen:
            raise ValueError(
                f"{function.id}: {path} and {seen[name]} would both be '{name}' in the artifact; "
                "rename one of them"
            )
        seen[name] = path
    return sorted(entries)
