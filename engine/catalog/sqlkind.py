"""SQL-only functions (`clouds.redshift.type: sql`) and the `depends_on` order between functions.

A SQL-only function is a template of SQL UDFs over other catalog functions: nothing is built,
no Lambda is deployed and nothing runs in-process, but its SQL is validated, rendered, planned,
recorded and removed like any other function's. Its SQL calls other functions, so those are
named in `depends_on`: a deploy of the function brings them along and creates them first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from engine.catalog.model import Function
from engine.catalog.sqltext.render import VARIABLES
from engine.catalog.sqltext.split import SplitError, scan
from engine.catalog.yamlsrc import Locator, Problem

SQL_KIND = "sql"
# What a SQL-only template may substitute: nothing about a Lambda exists for it.
SQL_KIND_VARIABLES = ("SCHEMA", "FUNCTION_NAME", "PACKAGE_VERSION")
_EXTERNAL = re.compile(r"\bCREATE\s+(?:OR\s+REPLACE\s+)?EXTERNAL\s+FUNCTION\b", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"@@([A-Za-z0-9_]*)@@")


def is_sql_kind(redshift: Any) -> bool:
    return isinstance(redshift, dict) and redshift.get("type") == SQL_KIND


def template_problems(path: Path) -> list[Problem]:
    """A SQL-only template creates no external function and uses no Lambda variable."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []  # reported by the loader's own template checks
    problems = []
    lambda_only = set(VARIABLES) - set(SQL_KIND_VARIABLES)
    for m in _PLACEHOLDER.finditer(text):
        if m.group(1) in lambda_only:
            line, col = _position(text, m.start())
            problems.append(
                Problem(
                    str(path),
                    line,
                    col,
                    m.group(0),
                    "a SQL-only function has no Lambda: its template may use only "
                    + ", ".join(f"@@{v}@@" for v in SQL_KIND_VARIABLES),
                )
            )
    try:
        code = [text[s.start : s.end] if s.kind == "code" else "" for s in scan(text)]
    except SplitError:
        return problems  # reported by the loader's own template checks
    joined = " ".join(code)
    if _EXTERNAL.search(joined):
        problems.append(
            Problem(
                str(path),
                1,
                1,
                "EXTERNAL FUNCTION",
                "a SQL-only function creates SQL UDFs only; an external function needs a Lambda"
                " (clouds.redshift.type: lambda)",
            )
        )
    return problems


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def dependency_problems(functions: list[Function], locate) -> list[Problem]:
    """Unknown, self and circular `depends_on` entries. `locate(path)` gives a Locator."""
    by_name = {f.name: f for f in functions}
    problems: list[Problem] = []
    for function in functions:
        loc: Locator | None = None
        for i, name in enumerate(function.depends_on):
            message = None
            if name == function.name:
                message = "a function cannot depend on itself"
            elif name not in by_name:
                message = f"unknown function {name!r}; depends_on names catalog function folders"
            if message:
                loc = loc or locate(function.yaml_path)
                problems.append(loc.problem(("clouds", "redshift", "depends_on", i), message))
    for cycle in _cycles(functions, by_name):
        first = cycle[0]
        loc = locate(first.yaml_path)
        path = " -> ".join(f.name for f in (*cycle, first))
        problems.append(
            loc.problem(("clouds", "redshift", "depends_on"), f"circular dependency: {path}")
        )
    return problems


def _cycles(functions: list[Function], by_name: dict[str, Function]) -> list[list[Function]]:
    state: dict[str, int] = {}  # 1 visiting, 2 done
    found: list[list[Function]] = []

    def visit(function: Function, stack: list[Function]) -> None:
        state[function.name] = 1
        stack.append(function)
        for name in function.depends_on:
            dep = by_name.get(name)
            if dep is None or dep is function:
                continue
            if state.get(name) == 1:
                found.append(stack[stack.index(dep) :])
            elif name not in state:
                visit(dep, stack)
        stack.pop()
        state[function.name] = 2

    for function in sorted(functions, key=lambda f: f.id):
        if function.name not in state:
            visit(function, [])
    return found


def with_dependencies(catalog: Iterable[Function], selected: Iterable[Function]) -> list[Function]:
    """`selected` and everything they depend on, directly or not (each once, by id)."""
    by_name = {f.name: f for f in catalog}
    out: dict[str, Function] = {}
    todo = list(selected)
    while todo:
        function = todo.pop()
        if function.id in out:
            continue
        out[function.id] = function
        todo += [by_name[n] for n in function.depends_on if n in by_name]
    return sorted(out.values(), key=lambda f: f.id)


def sql_order(functions: Iterable[Function]) -> list[Function]:
    """By id, except that each function comes after those it depends on (among `functions`)."""
    pending = sorted(functions, key=lambda f: f.id)
    names = {f.name for f in pending}
    placed: set[str] = set()
    out: list[Function] = []
    while pending:
        ready = [f for f in pending if all(d in placed or d not in names for d in f.depends_on)]
        if not ready:  # a cycle (validation reports it): keep the id order for the rest
            ready = pending[:1]
        first = ready[0]
        out.append(first)
        placed.add(first.name)
        pending.remove(first)
    return out


def lambda_functions(functions: Iterable[Function]) -> list[Function]:
    """Those with a Lambda: what a build, a Lambda deploy and an in-process run cover."""
    return [f for f in functions if f.has_lambda]


def missing_dependencies(
    functions: Iterable[Function], deployed_ids: Iterable[str] | None
) -> list[str]:
    """One message per `depends_on` entry that is neither among `functions` nor recorded as
    deployed (`deployed_ids`, function ids; None when the state could not be read): the SQL
    calling it would fail to create, so the plan says which function to add instead."""
    if deployed_ids is None:
        return []
    functions = list(functions)
    present = {f.name for f in functions} | {fid.rsplit("/", 1)[-1] for fid in deployed_ids}
    return [
        f"{f.id} calls {name}, which is neither in this deploy nor deployed: deploy it too"
        f" (--functions {f.name},{name})"
        for f in functions
        for name in f.depends_on
        if name not in present
    ]


def with_sql_only(catalog: Iterable[Function], deployed: Iterable[Function]) -> list[Function]:
    """`deployed` (functions with a Lambda on a target) and every SQL-only function of the
    catalog all of whose `depends_on`, directly or not, are among them: the SQL that can load
    over what a target runs (a SQL-only function has no Lambda state of its own)."""
    out = list(deployed)
    names = {f.name for f in out}
    pending = [f for f in catalog if not f.has_lambda and f.name not in names]
    grew = True
    while grew:
        grew = False
        for function in list(pending):
            if all(d in names for d in function.depends_on):
                out.append(function)
                names.add(function.name)
                pending.remove(function)
                grew = True
    return out
