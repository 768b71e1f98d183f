"""--carto-modules/--carto-functions: checked against the catalog, and applied to every test
of a function folder (its cases and its own tests/unit/test_*.py), not only to function.yaml.

Also which file collects a function: its tests/unit/cases.yaml when it has one (so node ids
and failure locations point at the cases, and `pytest .../cases.yaml` selects them), else its
function.yaml; a function.yaml named on the command line still collects its function.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.catalog.suggest import unknown_selection

# Folders of functions/ that hold no function.
NOT_FUNCTIONS = ("_shared", "_testing")


def split(value: str | None) -> set[str]:
    return {v.strip().lower() for v in (value or "").split(",") if v.strip()}


def selection(config: pytest.Config) -> tuple[set[str], set[str]]:
    return split(config.getoption("carto_modules")), split(config.getoption("carto_functions"))


def _named_paths(config: pytest.Config) -> list[Path]:
    base = Path(config.invocation_params.dir)
    return [(base / str(arg).split("::")[0]).resolve() for arg in config.args]


def functions_dir(config: pytest.Config) -> Path | None:
    """The catalog's functions/ folder: above (or at) a path named on the command line, else
    under the invocation or root folder."""
    candidates = []
    for path in _named_paths(config):
        candidates += [path, *path.parents]
    candidates += [Path(config.invocation_params.dir), Path(str(config.rootpath))]
    for path in candidates:
        if path.name == "functions" and (path / NOT_FUNCTIONS[0]).is_dir():
            return path
        if (path / "functions" / NOT_FUNCTIONS[0]).is_dir():
            return path / "functions"
    return None


def catalog_names(directory: Path) -> tuple[set[str], set[str]]:
    """(modules, function names) of the function folders: a listing, no YAML parsed."""
    modules, functions = set(), set()
    for yaml_path in directory.glob("*/*/function.yaml"):
        if yaml_path.parent.parent.name in NOT_FUNCTIONS:
            continue
        modules.add(yaml_path.parent.parent.name)
        functions.add(yaml_path.parent.name)
    return modules, functions


def check(config: pytest.Config) -> None:
    """Unknown names stop the run as the CLI does, instead of selecting nothing silently."""
    modules, functions = selection(config)
    if not (modules or functions):
        return
    directory = functions_dir(config)
    if directory is None:
        return  # no catalog in reach: nothing is collected for the selection anyway
    known_modules, known_functions = catalog_names(directory)
    problems = unknown_selection(modules, functions, known_modules, known_functions)
    if problems:
        where = "--carto-modules/--carto-functions (or ini carto_modules/carto_functions)"
        raise pytest.UsageError(f"{where}: " + "; ".join(problems))


def ignored(path: Path, config: pytest.Config) -> bool:
    """True for a module or function folder (and everything in it) outside the selection."""
    modules, functions = selection(config)
    if not (modules or functions):
        return False
    directory = functions_dir(config)
    if directory is None:
        return False
    try:
        parts = path.resolve().relative_to(directory.resolve()).parts
    except ValueError:
        return False
    if not parts or parts[0] in NOT_FUNCTIONS:
        return False
    if modules and parts[0].lower() not in modules:
        return True
    if len(parts) >= 2 and functions and (directory / parts[0] / parts[1]).is_dir():
        return parts[1].lower() not in functions
    return False


def function_folder(file_path: Path) -> Path | None:
    """The function folder `file_path` collects, when it is the collecting file."""
    parts = file_path.parts
    if file_path.name == "function.yaml":
        # functions/<module>/<name>/function.yaml, never the shared libraries
        if len(parts) < 4 or parts[-4] != "functions" or parts[-3] in NOT_FUNCTIONS:
            return None
        return file_path.parent
    if file_path.name == "cases.yaml" and parts[-3:-1] == ("tests", "unit"):
        folder = file_path.parent.parent.parent
        in_catalog = len(folder.parts) >= 3 and folder.parts[-3] == "functions"
        if in_catalog and folder.parts[-2] not in NOT_FUNCTIONS:
            return folder if (folder / "function.yaml").is_file() else None
    return None


def collects(file_path: Path, config: pytest.Config) -> bool:
    """Exactly one file collects each function (no duplicate items)."""
    cases = file_path.parent / "tests" / "unit" / "cases.yaml"
    if file_path.name == "cases.yaml":
        yaml_path = file_path.parent.parent.parent / "function.yaml"
        return yaml_path.resolve() not in _named_paths(config)
    return not cases.is_file() or file_path.resolve() in _named_paths(config)
