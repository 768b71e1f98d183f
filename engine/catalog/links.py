"""Symbolic links in a function's source tree or a shared lib: refused, never followed.

A link would ship (in the artifact and the distribution package) whatever it points at,
possibly from outside the repository, while a linked folder would be silently left out by
the tree walks. So validation refuses every link with its path, and the builders never meet one.
"""

from __future__ import annotations

import os
from pathlib import Path

from engine.catalog.yamlsrc import Problem

MESSAGE = "symbolic link: a function's files must be real files inside the repository; replace it"


def link_problems(tree: Path) -> list[Problem]:
    """A problem for `tree` itself if it is a link, else for every link inside it."""
    if tree.is_symlink():
        return [Problem(str(tree), 1, 1, "", MESSAGE)]
    problems = []
    for dirpath, dirnames, filenames in os.walk(tree):  # links are listed, never followed
        for name in sorted((*dirnames, *filenames)):
            path = Path(dirpath, name)
            if path.is_symlink():
                problems.append(Problem(str(path), 1, 1, "", MESSAGE))
    return problems


def entry_link_problems(folder: Path, depth: int) -> list[Problem]:
    """Links among the entries `depth` levels below `folder` (a linked module or function
    folder, which the catalog's own walk would silently skip)."""
    if folder.is_symlink():
        return [Problem(str(folder), 1, 1, "", MESSAGE)]
    problems: list[Problem] = []
    level = [folder]
    for _ in range(depth):
        nxt = []
        for parent in level:
            if not parent.is_dir() or parent.is_symlink():
                continue
            for entry in sorted(parent.iterdir()):
                if entry.is_symlink():
                    problems.append(Problem(str(entry), 1, 1, "", MESSAGE))
                else:
                    nxt.append(entry)
        level = nxt
    return problems
