"""The SQL functions one catalog function owns, identified by name and argument types.

Redshift identifies a function by its name and argument type list (overloads are distinct
objects), so a signature is the unit this tool records, compares, grants and drops. Types are
compared in the spelling `pg_proc` reports (`oidvectortypes`), so `VARCHAR(MAX)`, `varchar`
and `character varying` are the same argument type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.catalog.sqltext import validate
from engine.catalog.sqltext.split import strip_comments

EXTERNAL = "external"
SQL_UDF = "sql"
PROCEDURE = "procedure"

_ALIASES = {
    "smallint": "smallint",
    "int2": "smallint",
    "integer": "integer",
    "int": "integer",
    "int4": "integer",
    "bigint": "bigint",
    "int8": "bigint",
    "decimal": "numeric",
    "numeric": "numeric",
    "real": "real",
    "float4": "real",
    "double precision": "double precision",
    "float8": "double precision",
    "float": "double precision",
    "char": "character",
    "character": "character",
    "nchar": "character",
    "bpchar": "character",
    "varchar": "character varying",
    "character varying": "character varying",
    "nvarchar": "character varying",
    "text": "character varying",
    "boolean": "boolean",
    "bool": "boolean",
    "date": "date",
    "timestamp": "timestamp without time zone",
    "timestamp without time zone": "timestamp without time zone",
    "timestamptz": "timestamp with time zone",
    "timestamp with time zone": "timestamp with time zone",
    "geometry": "geometry",
    "geography": "geography",
    "super": "super",
    "varbyte": "varbyte",
    "time": "time without time zone",
    "timetz": "time with time zone",
}
# A type as written in DDL: words, then an optional (MAX) / (n) / (p, s).
_TYPE_RE = re.compile(
    r"[A-Za-z][A-Za-z0-9 ]*?(?:\s*\(\s*(?:MAX|max|[0-9]+)(?:\s*,\s*[0-9]+)?\s*\))?"
)


def canonical_type(sql_type: str) -> str:
    """`VARCHAR(MAX)` -> `character varying`; raises ValueError for text that is not a type."""
    text = " ".join(sql_type.split())
    if not _TYPE_RE.fullmatch(text):
        raise ValueError(f"not a SQL type: {sql_type!r}")
    base = re.sub(r"\s*\(.*\)$", "", text).lower()
    try:
        return _ALIASES[base]
    except KeyError:
        raise ValueError(f"unsupported SQL type {sql_type!r}") from None


@dataclass(frozen=True)
class SqlObject:
    """One function in the schema. `arg_types` are as written in the DDL (used to drop/grant)."""

    kind: str  # EXTERNAL, SQL_UDF or PROCEDURE
    name: str  # lower case, unqualified
    arg_types: tuple[str, ...]
    return_type: str  # "" for a procedure (it returns through INOUT arguments)

    def __post_init__(self) -> None:
        validate.identifier(self.name, "function name")
        for t in self.arg_types:
            canonical_type(t)
        if self.kind != PROCEDURE or self.return_type:
            canonical_type(self.return_type)

    @property
    def sql_kind(self) -> str:
        """The word DROP and GRANT take: FUNCTION or PROCEDURE."""
        return "PROCEDURE" if self.kind == PROCEDURE else "FUNCTION"

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        """What identifies the object in Redshift: name and canonical argument types."""
        return self.name, tuple(canonical_type(t) for t in self.arg_types)

    @property
    def canonical_return(self) -> str:
        return canonical_type(self.return_type) if self.return_type else ""

    def signature(self, schema: str) -> str:
        return f"{schema}.{self.name.upper()}({', '.join(self.arg_types)})"


def _split_args(text: str) -> list[str]:
    """Split an argument list on top-level commas (DECIMAL(38,10) holds one)."""
    args, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "," and depth == 0:
            args.append(text[start:i])
            start = i + 1
    args.append(text[start:])
    return [a.strip() for a in args if a.strip()]


def _arg_type(arg: str) -> str:
    """`name TYPE` or `TYPE` -> `TYPE` (argument names are optional in Redshift DDL)."""
    words = arg.split(None, 1)
    for candidate in (arg, words[1] if len(words) > 1 else None):
        if candidate is None:
            continue
        try:
            canonical_type(candidate)
            return " ".join(candidate.split())
        except ValueError:
            continue
    raise ValueError(f"cannot read the argument type in {arg!r}")


_CREATE = re.compile(
    r"\s*CREATE\s+(?:OR\s+REPLACE\s+)?(EXTERNAL\s+)?FUNCTION\s+([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)\s*\(",
    re.IGNORECASE,
)
_PROCEDURE = re.compile(
    r"\s*CREATE\s+(?:OR\s+REPLACE\s+)?PROCEDURE\s+([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)\s*\(",
    re.IGNORECASE,
)
# A procedure argument's mode, before or after its name: `[name] [IN|OUT|INOUT] type`.
_MODE = re.compile(r"^(?:(\w+)\s+)?(?:IN|OUT|INOUT)\s+", re.IGNORECASE)
_RETURNS = re.compile(r"\s*RETURNS\s+(.+?)\s+(?:STABLE|VOLATILE|IMMUTABLE)\b", re.I | re.S)


def parse_create_function(statement: str, schema: str) -> SqlObject | None:
    """The object a `CREATE [OR REPLACE] [EXTERNAL] FUNCTION` statement creates, else None.

    Raises ValueError when the statement creates a function outside `schema` or its signature
    cannot be read: such an object could never be tracked, granted or dropped.
    """
    code = strip_comments(statement)
    m = _CREATE.match(code)
    procedure = None if m else _PROCEDURE.match(code)
    if not m and not procedure:
        if re.match(r"\s*CREATE\b[^;]*\b(?:FUNCTION|PROCEDURE)\b", code, re.I):
            raise ValueError(f"functions must be created as {schema}.<NAME>: {code.strip()[:80]}")
        return None
    if procedure:
        return _procedure(code, procedure, schema)
    if m.group(2).lower() != schema:
        raise ValueError(f"function created outside schema {schema!r}: {m.group(2)}.{m.group(3)}")
    i = _closing(code, m.end())
    args = tuple(_arg_type(a) for a in _split_args(code[m.end() : i - 1]))
    r = _RETURNS.match(code, i)
    if not r:
        raise ValueError(f"cannot find RETURNS <type> STABLE|VOLATILE in {code.strip()[:80]}")
    return SqlObject(
        kind=EXTERNAL if m.group(1) else SQL_UDF,
        name=m.group(3).lower(),
        arg_types=args,
        return_type=" ".join(r.group(1).split()),
    )


def _closing(code: str, start: int) -> int:
    """The index after the parenthesis closing the one opened just before `start`."""
    depth, i = 1, start
    while i < len(code) and depth:
        depth += {"(": 1, ")": -1}.get(code[i], 0)
        i += 1
    if depth:
        raise ValueError(f"unbalanced parentheses in {code.strip()[:80]}")
    return i


def _procedure(code: str, m: re.Match[str], schema: str) -> SqlObject:
    """A stored procedure: recorded so that remove drops it as it drops functions."""
    if m.group(1).lower() != schema:
        raise ValueError(f"procedure created outside schema {schema!r}: {m.group(1)}.{m.group(2)}")
    i = _closing(code, m.end())
    # The mode goes; the type stays (IN and INOUT arguments both identify a procedure).
    args = tuple(
        _arg_type(_MODE.sub(lambda x: f"{x.group(1) or ''} ", a).strip())
        for a in _split_args(code[m.end() : i - 1])
    )
    return SqlObject(kind=PROCEDURE, name=m.group(2).lower(), arg_types=args, return_type="")
