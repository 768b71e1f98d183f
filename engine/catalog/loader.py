"""Discover `functions/<module>/<name>/function.yaml`, validate everything, build the Catalog.

Validation collects every problem in every file before reporting, so one run of
`carto-gateway validate` shows all that must be fixed. Nothing here imports user code:
handlers are checked by parsing them.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.catalog import yamlsrc
from engine.catalog.cases import load_cases
from engine.catalog.links import entry_link_problems, link_problems
from engine.catalog.model import (
    CONFIG_DEFAULTS,
    Argument,
    Example,
    Function,
    LambdaConfig,
)
from engine.catalog.requirements import requirement_problems
from engine.catalog.schema import schema_problems
from engine.catalog.sqlkind import dependency_problems, is_sql_kind
from engine.catalog.sqlkind import template_problems as sql_kind_template_problems
from engine.catalog.sqlobjects import sql_object_problems
from engine.catalog.sqltext.render import check_template
from engine.catalog.suggest import unknown_selection
from engine.catalog.yamlsrc import Locator, Problem

NAME_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
SHARED_DIR_NAME = "_shared"


class CatalogError(Exception):
    """The catalog (or a selection of it) is invalid; str() lists one problem per line."""

    def __init__(self, problems: Iterable[Problem | str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def find_repo_root(start: Path | None = None) -> Path:
    """The nearest directory, from `start` upwards, that holds a `functions/` folder."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "functions").is_dir():
            return candidate
    raise CatalogError([f"{here}: no 'functions/' folder here or above; run from the project"])


# ---------------------------------------------------------------------------------------------
# one function


def _handler_problems(code_file: Path, loc: Locator) -> list[Problem]:
    """The handler must parse and define `lambda_handler` at module level."""
    keys = ("clouds", "redshift", "code_file")
    try:
        tree = ast.parse(code_file.read_bytes(), filename=str(code_file))
    except SyntaxError as exc:
        return [
            Problem(
                str(code_file), exc.lineno or 1, exc.offset or 1, "", f"syntax error: {exc.msg}"
            )
        ]
    except (OSError, ValueError) as exc:
        return [loc.problem(keys, f"cannot read handler: {exc}")]
    for node in tree.body:
        names: list[str] = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names = [node.name]
        elif isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names = [node.target.id]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.asname or a.name for a in node.names]
        if "lambda_handler" in names:
            return []
    return [
        loc.problem(
            keys,
            f"{code_file.name} defines no module-level 'lambda_handler'; decorate the entry point "
            "with @redshift_handler or @batch_handler and name it lambda_handler",
        )
    ]


def _file_problems(directory: Path, redshift: dict[str, Any], loc: Locator) -> list[Problem]:
    problems = []
    for key in ("code_file", "requirements_file", "external_function_template"):
        rel = redshift.get(key)
        if not isinstance(rel, str):
            continue
        keys = ("clouds", "redshift", key)
        path = directory / rel
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            problems.append(loc.problem(keys, f"{rel!r} must be a path inside {directory}"))
        elif not path.is_file():
            problems.append(loc.problem(keys, f"file not found: {path}"))
    code = redshift.get("code_file")
    if isinstance(code, str) and not (code.endswith(".py") and Path(code).stem.isidentifier()):
        problems.append(
            loc.problem(
                ("clouds", "redshift", "code_file"),
                f"{code!r} must be a Python module: a .py file whose name is a valid identifier "
                "(Lambda imports it by that name)",
            )
        )
    return problems


def _shared_lib_problems(
    redshift: dict[str, Any], shared_root: Path, loc: Locator
) -> list[Problem]:
    problems = []
    known = (
        sorted(p.name for p in shared_root.glob("*") if (p / "__init__.py").is_file())
        if shared_root.is_dir()
        else []
    )
    for i, lib in enumerate(redshift.get("shared_libs") or []):
        if isinstance(lib, str) and lib in known:
            problems += link_problems(shared_root / lib)
        elif isinstance(lib, str):
            hint = f"known: {', '.join(known)}" if known else f"{shared_root} has no packages"
            problems.append(
                loc.problem(
                    ("clouds", "redshift", "shared_libs", i),
                    f"unknown shared lib {lib!r} (no {shared_root / lib}/__init__.py); {hint}",
                )
            )
    return problems


def _build_function(
    directory: Path, module: str, data: dict[str, Any], yaml_path: Path
) -> Function:
    redshift = data["clouds"]["redshift"]
    config = {**CONFIG_DEFAULTS, **(redshift.get("config") or {})}

    def rel(key: str) -> Path | None:
        value = redshift.get(key)
        return (directory / value).resolve() if value else None

    sql_only = is_sql_kind(redshift)

    return Function(
        name=directory.name,
        module=module,
        directory=directory.resolve(),
        description=data["description"].strip(),
        status=data.get("status", "development"),
        author=data.get("author", ""),
        arguments=tuple(
            Argument(a["name"], a["type"], a.get("description", "")) for a in data["arguments"]
        ),
        output=Argument(
            data["output"].get("name", "result"),
            data["output"]["type"],
            data["output"].get("description", ""),
        ),
        examples=tuple(
            Example(
                tuple(e["arguments"]),
                e["output"],
                e.get("description", ""),
                e.get("unordered", False),
            )
            for e in data.get("examples") or []
        ),
        code_file=rel("code_file"),  # type: ignore[arg-type]
        requirements_file=rel("requirements_file"),
        template_file=rel("template" if sql_only else "external_function_template"),
        shared_libs=tuple(redshift.get("shared_libs") or ()),
        lambda_name=redshift.get("lambda_name") or directory.name,
        config=LambdaConfig(**config),
        yaml_path=yaml_path.resolve(),
        kind="sql" if sql_only else "lambda",
        depends_on=tuple(redshift.get("depends_on") or ()),
    )


def load_function(
    directory: Path, module: str, shared_root: Path
) -> tuple[Function | None, list[Problem]]:
    """Validate one function folder; the Function is None whenever a problem was found."""
    yaml_path = directory / "function.yaml"
    links = link_problems(directory)
    if links:  # nothing behind a link is read
        return None, links
    data, loc, problems = yamlsrc.load(yaml_path)
    if data is None:
        return None, problems
    if not isinstance(data, dict):
        return None, [loc.problem((), "function.yaml must be a mapping of keys to values")]
    for label, value in (("function", directory.name), ("module", module)):
        if not NAME_RE.match(value):
            problems.append(
                loc.problem(
                    (),
                    f"{label} folder name {value!r} must match [a-z_][a-z0-9_]* "
                    "(it becomes a SQL identifier); rename the folder",
                )
            )
    problems += schema_problems(data, loc, "function")
    redshift = (data.get("clouds") or {}).get("redshift")
    if is_sql_kind(redshift):
        problems += _sql_kind_problems(directory, redshift, loc)
    elif isinstance(redshift, dict):
        problems += _file_problems(directory, redshift, loc)
        problems += _shared_lib_problems(redshift, shared_root, loc)
        code = redshift.get("code_file")
        if isinstance(code, str) and (directory / code).is_file() and code.endswith(".py"):
            problems += _handler_problems(directory / code, loc)
        problems += _template_problems(directory, redshift, loc)
        requirements = redshift.get("requirements_file")
        if isinstance(requirements, str) and (directory / requirements).is_file():
            problems += requirement_problems(directory / requirements)
    raw_args = data.get("arguments")
    names = (
        [a.get("name") for a in raw_args if isinstance(a, dict)]
        if isinstance(raw_args, list)
        else []
    )
    for i, name in enumerate(names):
        if name in names[:i]:
            problems.append(loc.problem(("arguments", i, "name"), f"duplicate argument {name!r}"))
    if problems:
        return None, sorted(set(problems))
    return _build_function(directory, module, data, yaml_path), []


def _sql_kind_problems(directory: Path, redshift: dict[str, Any], loc: Locator) -> list[Problem]:
    """A SQL-only function: its template exists, checks, and creates no external function."""
    rel = redshift.get("template")
    if not isinstance(rel, str):
        return []  # the schema reports it
    path = directory / rel
    if Path(rel).is_absolute() or ".." in Path(rel).parts:
        return [
            loc.problem(
                ("clouds", "redshift", "template"), f"{rel!r} must be a path inside {directory}"
            )
        ]
    if not path.is_file():
        return [loc.problem(("clouds", "redshift", "template"), f"file not found: {path}")]
    found = _template_problems(directory, {"external_function_template": rel}, loc)
    return found + sql_kind_template_problems(path)


def _template_problems(directory: Path, redshift: dict[str, Any], loc: Locator) -> list[Problem]:
    """Unknown @@VARIABLES@@ in the SQL template."""
    rel = redshift.get("external_function_template")
    if not isinstance(rel, str) or not (directory / rel).is_file():
        return []
    path = directory / rel
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        return [Problem(str(path), line, column, "", message)]
    return list(check_template(path))


# ---------------------------------------------------------------------------------------------
# the catalog


@dataclass(frozen=True)
class Catalog:
    root: Path
    functions: tuple[Function, ...]

    @property
    def shared_root(self) -> Path:
        return self.root / "functions" / SHARED_DIR_NAME

    @property
    def modules(self) -> list[str]:
        return sorted({f.module for f in self.functions})

    def get(self, name: str) -> Function:
        for function in self.functions:
            if name in (function.name, function.id, function.lambda_name):
                return function
        raise CatalogError([f"unknown function {name!r}; see `carto-gateway list`"])

    def select(
        self, modules: Iterable[str] | None = None, functions: Iterable[str] | None = None
    ) -> list[Function]:
        """Functions in any of `modules` and named in `functions` (case-insensitive)."""
        wanted_modules = {m.strip().lower() for m in modules or [] if m.strip()}
        wanted_functions = {f.strip().lower() for f in functions or [] if f.strip()}
        problems = unknown_selection(
            wanted_modules, wanted_functions, self.modules, [f.name for f in self.functions]
        )
        if problems:
            raise CatalogError(problems)
        return [
            f
            for f in self.functions
            if (not wanted_modules or f.module.lower() in wanted_modules)
            and (not wanted_functions or f.name.lower() in wanted_functions)
        ]


def function_dirs(root: Path) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """(directory, module) for every function folder, plus misplaced function.yaml files."""
    functions_dir = root / "functions"
    found: list[tuple[Path, str]] = []
    # A linked module or function folder (or _shared) would be skipped by the walk below.
    problems = entry_link_problems(functions_dir, 2)
    for yaml_path in sorted(functions_dir.rglob("function.yaml")):
        rel = yaml_path.relative_to(functions_dir).parts
        if rel[0] == SHARED_DIR_NAME:
            continue
        if len(rel) != 3:
            problems.append(
                Problem(
                    str(yaml_path),
                    1,
                    1,
                    "",
                    "function.yaml must live at functions/<module>/<name>/function.yaml; move it",
                )
            )
            continue
        found.append((yaml_path.parent, rel[0]))
    return found, problems


def _uniqueness_problems(functions: list[Function]) -> list[Problem]:
    problems = []
    for label, key, yaml_key in (
        ("function name", lambda f: f.name, ()),
        ("lambda name", lambda f: f.lambda_name.lower(), ("clouds", "redshift", "lambda_name")),
        ("SQL signature", lambda f: f.external_signature.split(" RETURNS")[0], ("arguments",)),
        ("public SQL signature", lambda f: f.public_signature.split(" RETURNS")[0], ("arguments",)),
    ):
        seen: dict[str, Function] = {}
        for function in functions:
            value = key(function)
            if value in seen:
                other = seen[value]
                loc = _locator_for(function.yaml_path)
                problems.append(
                    loc.problem(
                        yaml_key,
                        f"{label} {value!r} is also used by {other.yaml_path}; names must be "
                        "unique across the catalog (rename the folder or set lambda_name)",
                    )
                )
            else:
                seen[value] = function
    return problems


def _locator_for(path: Path) -> Locator:
    _, loc, _ = yamlsrc.load(path)
    return loc


def validate_catalog(root: Path) -> tuple[list[Function], list[Problem]]:
    """Every function that validated, and every problem found (cases files included)."""
    shared_root = root / "functions" / SHARED_DIR_NAME
    dirs, problems = function_dirs(root)
    functions = []
    for directory, module in dirs:
        function, found = load_function(directory, module, shared_root)
        problems += found
        if function is not None:
            functions.append(function)
            _, case_problems = load_cases(function)
            problems += case_problems
    problems += _uniqueness_problems(functions)
    problems += sql_object_problems(functions)
    problems += dependency_problems(functions, _locator_for)
    return functions, problems


def load_catalog(root: Path | None = None) -> Catalog:
    """The validated catalog; raises CatalogError listing every problem."""
    root = (root or find_repo_root()).resolve()
    functions, problems = validate_catalog(root)
    if problems:
        raise CatalogError(sorted(set(problems)))
    return Catalog(root, tuple(sorted(functions, key=lambda f: (f.module, f.name))))
