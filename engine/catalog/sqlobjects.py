"""Which SQL objects a function's template creates, and whether they are the function's own.

The deploy records each function's SQL objects and `remove` drops them, so a template that
created another function's objects (a copied folder still creating `QUADBIN_CENTER`) would
silently redefine them, pointing at the copy's Lambda. Every object a template creates must
therefore be one of:

* the function's own name: the folder name in upper case (`quadbin_center` -> QUADBIN_CENTER);
  a function whose folder does not start with `__` must create it;
* one of its internal objects: a name equal to its internal name (`__` + the folder name, or
  the folder name itself for `__` folders) or starting with it followed by `_`
  (`__DESTINATION_INTERNAL` for `__destination`), unless another function's internal name is
  a longer match (`__QUADBIN_KRING_DISTANCES` belongs to `quadbin_kring_distances`, not to
  `quadbin_kring`);
* a name listed in the function's `clouds.redshift.sql_names` (CARTO's names over an internal
  function: ST_CENTROID and ST_CENTEROFMASS over `__centroid`), and not another function's.

And no two functions may create the same name with the same argument types: both places are
named, as file:line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from engine.catalog import yamlsrc
from engine.catalog.model import Function
from engine.catalog.sqltext.split import SplitError, position, scan
from engine.catalog.yamlsrc import Problem

_CREATE = re.compile(
    r"\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:EXTERNAL\s+)?(FUNCTION|PROCEDURE)\s+"
    r"@@SCHEMA@@\.([A-Za-z_][A-Za-z0-9_]*)\s*\(",
    re.IGNORECASE,
)
SQL_NAMES_KEY = ("clouds", "redshift", "sql_names")

# First words of Redshift type names: a procedure argument that does not start with one of
# these starts with its name.
_TYPE_WORDS = frozenset(
    [
        "SMALLINT",
        "INT",
        "INT2",
        "INT4",
        "INT8",
        "INTEGER",
        "BIGINT",
        "DECIMAL",
        "NUMERIC",
        "REAL",
        "FLOAT",
        "FLOAT4",
        "FLOAT8",
        "DOUBLE",
        "BOOLEAN",
        "BOOL",
        "CHAR",
        "CHARACTER",
        "NCHAR",
        "BPCHAR",
        "VARCHAR",
        "NVARCHAR",
        "TEXT",
        "DATE",
        "TIME",
        "TIMETZ",
        "TIMESTAMP",
        "TIMESTAMPTZ",
        "GEOMETRY",
        "GEOGRAPHY",
        "SUPER",
        "HLLSKETCH",
        "VARBYTE",
        "VARBINARY",
        "BINARY",
        "ANYELEMENT",
        "REFCURSOR",
    ]
)
_MODES = frozenset({"IN", "OUT", "INOUT"})
# Spellings of one type that Redshift treats as the same argument type.
_ALIASES = {
    "INT": "INTEGER",
    "INT4": "INTEGER",
    "INT2": "SMALLINT",
    "INT8": "BIGINT",
    "FLOAT": "DOUBLE PRECISION",
    "FLOAT8": "DOUBLE PRECISION",
    "FLOAT4": "REAL",
    "NUMERIC": "DECIMAL",
    "BOOL": "BOOLEAN",
    "TEXT": "VARCHAR",
    "CHARACTER VARYING": "VARCHAR",
    "NVARCHAR": "VARCHAR",
    "CHARACTER": "CHAR",
    "NCHAR": "CHAR",
    "BPCHAR": "CHAR",
}


@dataclass(frozen=True)
class SqlObject:
    """One CREATE in a template: `QUADBIN_CENTER(BIGINT)` at file:line."""

    kind: str  # FUNCTION or PROCEDURE
    name: str  # upper case
    types: tuple[str, ...]
    path: str
    line: int
    column: int

    @property
    def signature(self) -> str:
        return f"{self.name}({', '.join(self.types)})"

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def _normal_type(text: str) -> str:
    """'name INOUT varchar(max)' -> 'VARCHAR'; 'int4' -> 'INTEGER' (lengths do not count)."""
    words = [w for w in re.sub(r"\(.*\)", " ", text).upper().split() if w not in _MODES]
    if len(words) > 1 and words[0] not in _TYPE_WORDS:
        words = [w for w in words[1:] if w not in _MODES]
    joined = " ".join(words)
    return _ALIASES.get(joined, joined)


def _arguments(code: str, start: int) -> tuple[str, ...] | None:
    """The argument types of the list opening at `code[start] == '('`; None if unclosed."""
    depth, parts, begin = 0, [], start + 1
    for i in range(start, len(code)):
        c = code[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                parts.append(code[begin:i])
                break
        elif c == "," and depth == 1:
            parts.append(code[begin:i])
            begin = i + 1
    else:
        return None
    return tuple(_normal_type(p) for p in parts if p.strip())


def created_objects(path: Path) -> list[SqlObject]:
    """Every function or procedure a template creates (quotes, bodies and comments skipped)."""
    text = path.read_text(encoding="utf-8")
    try:
        spans = scan(text)
    except SplitError:
        return []  # reported by the template check
    code = "".join(
        text[s.start : s.end] if s.kind == "code" else " " * (s.end - s.start) for s in spans
    )
    found = []
    for m in _CREATE.finditer(code):
        types = _arguments(code, m.end() - 1)
        if types is None:
            continue
        line, column = position(text, m.start(2))
        found.append(
            SqlObject(m.group(1).upper(), m.group(2).upper(), types, str(path), line, column)
        )
    return found


def _internal_base(function: Function) -> str:
    upper = function.name.upper()
    return upper if upper.startswith("__") else "__" + upper


def declared_names(function: Function) -> tuple[list[str], yamlsrc.Locator]:
    """`clouds.redshift.sql_names`, upper case, and the locator of function.yaml."""
    data, loc, _ = yamlsrc.load(function.yaml_path)
    redshift = ((data or {}).get("clouds") or {}).get("redshift") or {}
    names = redshift.get("sql_names") or []
    return [str(n).upper() for n in names], loc


def _owner_by_prefix(name: str, functions: Iterable[Function]) -> Function | None:
    """The function whose own or internal name is `name`, or the longest `<internal>_` match."""
    best: tuple[int, Function] | None = None
    for function in functions:
        base = _internal_base(function)
        if name in (function.name.upper(), base):
            return function
        if name.startswith(base + "_") and (best is None or len(base) > best[0]):
            best = (len(base), function)
    return best[1] if best else None


def sql_object_problems(functions: list[Function]) -> list[Problem]:
    """Objects a template may not create, and SQL names and signatures created twice."""
    problems: list[Problem] = []
    with_template = [f for f in functions if f.template_file is not None]
    declared: dict[str, list[str]] = {}
    locators: dict[str, yamlsrc.Locator] = {}
    for function in with_template:
        declared[function.id], locators[function.id] = declared_names(function)
    declared_by: dict[str, Function] = {}
    for function in with_template:
        loc = locators[function.id]
        for name in declared[function.id]:
            owner = _owner_by_prefix(name, functions)
            if owner is not None and owner is not function:
                problems.append(
                    loc.problem(
                        SQL_NAMES_KEY,
                        f"{name} is the name of {owner.id} ({owner.yaml_path}); "
                        "list only names no other function owns",
                    )
                )
            elif name in declared_by and declared_by[name] is not function:
                other = declared_by[name]
                problems.append(
                    loc.problem(
                        SQL_NAMES_KEY,
                        f"{name} is also listed by {other.id} ({other.yaml_path}); "
                        "one function owns each SQL name",
                    )
                )
            declared_by.setdefault(name, function)

    seen: dict[tuple[str, tuple[str, ...]], tuple[SqlObject, Function]] = {}
    for function in with_template:
        assert function.template_file is not None
        objects = created_objects(function.template_file)
        names = {o.name for o in objects}
        own = function.name.upper()
        template = str(function.template_file)
        if not function.is_internal and own not in names:
            problems.append(
                Problem(
                    template,
                    1,
                    1,
                    own,
                    f"the template creates no {own}: a function's template creates the "
                    f"function named after its folder ({function.id})",
                )
            )
        for name in declared[function.id]:
            if name not in names:
                problems.append(
                    locators[function.id].problem(
                        SQL_NAMES_KEY,
                        f"{name} is listed but {template} does not create it; "
                        "remove it from sql_names",
                    )
                )
        for obj in objects:
            message = _ownership(obj, function, functions, declared[function.id])
            if message:
                problems.append(Problem(obj.path, obj.line, obj.column, obj.name, message))
            key = (obj.name, obj.types)
            if key in seen and seen[key][1] is not function:
                first, other = seen[key]
                for a, b, fn in ((obj, first, other), (first, obj, function)):
                    problems.append(
                        Problem(
                            a.path,
                            a.line,
                            a.column,
                            a.name,
                            f"{a.signature} is also created by {fn.id} at {b.where}; "
                            "two functions may not create the same SQL name and argument types",
                        )
                    )
            elif key in seen:
                problems.append(
                    Problem(
                        obj.path,
                        obj.line,
                        obj.column,
                        obj.name,
                        f"{obj.signature} is created twice in this template "
                        f"(also at line {seen[key][0].line})",
                    )
                )
            else:
                seen[key] = (obj, function)
    return problems


def _ownership(
    obj: SqlObject, function: Function, functions: list[Function], declared: list[str]
) -> str | None:
    """Why `function`'s template may not create `obj`, or None when it may."""
    if obj.name == function.name.upper() or obj.name in declared:
        return None
    owner = _owner_by_prefix(obj.name, functions)
    if owner is function:
        return None
    base = _internal_base(function)
    own = "" if function.is_internal else f"{function.name.upper()}, "
    allowed = f"{own}{base} or {base}_<suffix>, or a name listed in sql_names"
    if owner is not None:
        return (
            f"{obj.name} belongs to {owner.id} ({owner.yaml_path}); {function.id}'s template "
            f"may create only {allowed} (a copied folder must rename its SQL objects)"
        )
    return (
        f"{obj.name} is not a name of {function.id}: its template may create only {allowed}; "
        f"declare CARTO names under clouds.redshift.sql_names in {function.yaml_path}"
    )
