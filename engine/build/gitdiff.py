"""`--diff`: which catalog functions changed in git.

A function changed when any file it ships changed: its own folder (code, function.yaml,
template, requirements), a file its code_file directory holds, a declared `_shared` lib, its
requirements file, or `carto_runtime` (shipped in every artifact). Paths are compared as
absolute paths, so it works when the repository is a submodule of another one too.

Without a base: the working tree (staged or not) and untracked files against HEAD. With a
base ref: everything since the merge-base of that ref and HEAD, plus the working tree, which
is what a pull request changes (changes landed on the base meanwhile are not ours).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from engine.build.layout import RUNTIME_DIR
from engine.catalog.model import Function
from engine.config import ConfigError


class GitDiffError(ConfigError):
    """--diff cannot be computed (not a git checkout, unknown ref); exit code 2."""


def _git(cwd: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise GitDiffError("--diff needs the git command, which is not installed") from exc
    if done.returncode != 0:
        raise GitDiffError(f"git {' '.join(args)} failed in {cwd}: {done.stderr.strip()}")
    return done.stdout


def _functions(catalog: Any) -> list[Function]:
    functions = getattr(catalog, "functions", catalog)
    if isinstance(functions, dict):
        functions = functions.values()
    return list(functions)


def _shared_root(catalog: Any, functions: list[Function]) -> Path | None:
    root = getattr(catalog, "shared_root", None)
    if root is not None:
        return Path(root)
    if functions:  # functions/<module>/<name>/ -> functions/_shared/
        return functions[0].directory.parent.parent / "_shared"
    return None


def changed_paths(cwd: Path, base: str | None) -> tuple[Path, set[Path]]:
    """(top level, absolute paths changed in the working tree against HEAD or base's merge-base)."""
    try:
        top = Path(_git(cwd, "rev-parse", "--show-toplevel").strip()).resolve()
    except GitDiffError as exc:
        raise GitDiffError(
            f"--diff needs a git checkout, but {cwd} is not inside one "
            "(run without --diff to select every function)"
        ) from exc

    if base is not None:
        try:
            against = _git(top, "merge-base", base, "HEAD").strip()
        except GitDiffError as exc:
            raise GitDiffError(
                f"--diff-base {base!r} is not a commit this checkout knows "
                "(fetch it first, e.g. `git fetch origin main`, or pass another ref)"
            ) from exc
    else:
        try:
            against = _git(top, "rev-parse", "--verify", "--quiet", "HEAD").strip()
        except GitDiffError:
            against = ""  # no commit yet: everything tracked or not is new

    names: list[str] = []
    if against:
        names += _git(top, "diff", "--name-only", "--no-renames", "-z", against, "--").split("\0")
    else:
        names += _git(top, "ls-files", "--cached", "-z").split("\0")
    names += _git(top, "ls-files", "--others", "--exclude-standard", "-z").split("\0")
    return top, {(top / n).resolve() for n in names if n}


def _under(path: Path, roots: Iterable[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def changed_functions(catalog: Any, base: str | None = None) -> list[Function]:
    """The catalog's functions whose artifact sources changed in git (catalog order).

    `catalog` is an engine.catalog.loader.Catalog (or any iterable of Function). Raises GitDiffError
    outside a git checkout or for an unknown base.
    """
    functions = _functions(catalog)
    if not functions:
        return []
    _, paths = changed_paths(functions[0].directory, base)
    if not paths:
        return []
    if _under_any(paths, [RUNTIME_DIR.resolve()]):
        return functions

    shared_root = _shared_root(catalog, functions)
    changed_libs = set()
    if shared_root is not None:
        root = shared_root.resolve()
        for p in paths:
            if root in p.parents:
                changed_libs.add(p.relative_to(root).parts[0])

    result = []
    for f in functions:
        roots = [f.directory.resolve(), f.handler_dir.resolve()]
        files = [x.resolve() for x in (f.requirements_file, f.template_file, f.yaml_path) if x]
        if (
            changed_libs.intersection(f.shared_libs)
            or any(x in paths for x in files)
            or _under_any(paths, roots)
        ):
            result.append(f)
    return result


def _under_any(paths: set[Path], roots: list[Path]) -> bool:
    return any(_under(p, roots) for p in paths)
