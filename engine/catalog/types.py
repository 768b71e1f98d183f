"""The type vocabulary of function.yaml and how each type reaches Redshift and Lambda.

A function declares *public* types: what SQL users see. Lambda-backed external functions
accept only a fixed set of scalar types, so `geometry` and `super` exist only at the public
level: the external function carries them as VARCHAR(MAX) text (GeoJSON in, JSON out) and a
SQL wrapper converts (ST_ASGEOJSON in, JSON_PARSE out).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SqlType:
    name: str  # vocabulary name used in function.yaml
    public_sql: str  # type in the public SQL signature
    external_sql: str  # type the EXTERNAL FUNCTION declares (Lambda UDF compatible)
    json_kind: str  # how the value travels in the Redshift <-> Lambda JSON


_TYPES = [
    SqlType("smallint", "SMALLINT", "SMALLINT", "integer"),
    SqlType("int", "INTEGER", "INTEGER", "integer"),
    SqlType("bigint", "BIGINT", "BIGINT", "integer"),
    SqlType("decimal", "DECIMAL(38,10)", "DECIMAL(38,10)", "number"),
    SqlType("float", "REAL", "REAL", "number"),
    SqlType("double", "DOUBLE PRECISION", "DOUBLE PRECISION", "number"),
    SqlType("char", "CHAR(1)", "CHAR(1)", "string"),
    SqlType("string", "VARCHAR(MAX)", "VARCHAR(MAX)", "string"),
    SqlType("boolean", "BOOLEAN", "BOOLEAN", "boolean"),
    SqlType("date", "DATE", "DATE", "date"),
    SqlType("timestamp", "TIMESTAMP", "TIMESTAMP", "timestamp"),
    # Public-only types: carried as text through the external function.
    SqlType("geometry", "GEOMETRY", "VARCHAR(MAX)", "geojson"),
    SqlType("super", "SUPER", "VARCHAR(MAX)", "json"),
]

TYPES: dict[str, SqlType] = {t.name: t for t in _TYPES}
TYPE_NAMES: tuple[str, ...] = tuple(TYPES)
WRAPPED_TYPES = frozenset({"geometry", "super"})

# The Redshift types an EXTERNAL FUNCTION may declare (Lambda UDF documentation).
EXTERNAL_FUNCTION_TYPES = frozenset(
    {
        "SMALLINT",
        "INTEGER",
        "BIGINT",
        "DECIMAL",
        "REAL",
        "DOUBLE PRECISION",
        "CHAR",
        "VARCHAR",
        "BOOLEAN",
        "DATE",
        "TIMESTAMP",
    }
)


def sql_type(name: str) -> SqlType:
    """Look up a vocabulary type; raises KeyError with the known names."""
    try:
        return TYPES[name]
    except KeyError:
        raise KeyError(f"unknown type {name!r}; known types: {', '.join(TYPE_NAMES)}") from None


def needs_wrapper(type_names: list[str]) -> bool:
    """True when any of the types cannot cross the Lambda boundary as they are."""
    return any(t in WRAPPED_TYPES for t in type_names)
