"""What this tool deployed: the `<schema>.carto_gateway_objects` state table.

Why a table rather than `COMMENT ON FUNCTION` markers: Redshift's COMMENT statement documents
TABLE, COLUMN, CONSTRAINT, DATABASE, VIEW and SCHEMA only, so a function comment cannot be
relied on. The table is written in the same transaction as each function's DDL, so it can
never disagree with what was committed. Every row is the marker of one object this tool
created (`carto-gateway:<function id>:<digest>`); remove and prune drop exactly those rows'
objects and nothing else in the schema. `pg_proc` is read as well, only to learn which
recorded objects still exist (DROP FUNCTION has no IF EXISTS in Redshift) and which functions
in the schema are not ours.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from engine.catalog.sqltext import validate
from engine.redshift.literals import quote_string
from engine.redshift.objects import SqlObject, _split_args, canonical_type
from engine.redshift.session import SqlSession

STATE_TABLE = "carto_gateway_objects"
MARKER_PREFIX = "carto-gateway"


def state_table(schema: str) -> str:
    return f"{validate.identifier(schema, 'schema')}.{STATE_TABLE}"


def create_state_table(schema: str) -> list[str]:
    table = state_table(schema)
    return [
        f"CREATE TABLE IF NOT EXISTS {table} (\n"
        "  function_id VARCHAR(256) NOT NULL,\n"
        "  object_kind VARCHAR(16) NOT NULL,\n"
        "  object_name VARCHAR(127) NOT NULL,\n"
        "  arg_types VARCHAR(4096) NOT NULL,\n"
        "  return_type VARCHAR(256) NOT NULL,\n"
        "  marker VARCHAR(512) NOT NULL\n"
        ")",
        f"COMMENT ON TABLE {table} IS 'Functions created by carto-gateway; it drops only"
        " these. Do not edit.'",
    ]


@dataclass(frozen=True)
class DeployedObject:
    function_id: str
    obj: SqlObject
    digest: str
    exists: bool = True  # False when the object was dropped outside this tool


@dataclass(frozen=True)
class SqlState:
    """What the schema holds, as `plan_sql(previous=...)` needs it."""

    schema: str
    schema_exists: bool
    objects: dict[str, list[DeployedObject]] = field(default_factory=dict)
    # Every function in the schema (ours or not) as (name, canonical argument types).
    existing: frozenset[tuple[str, tuple[str, ...]]] = frozenset()

    def for_function(self, function_id: str) -> list[DeployedObject]:
        return self.objects.get(function_id, [])


def record_statements(
    schema: str, function_id: str, objects: Iterable[SqlObject], digest: str
) -> list[str]:
    """Replace the function's rows (run inside the function's transaction)."""
    table = state_table(schema)
    fid = quote_string(validate.function_id(function_id))
    marker = quote_string(f"{MARKER_PREFIX}:{function_id}:{digest}")
    statements = [f"DELETE FROM {table} WHERE function_id = {fid}"]
    for obj in objects:
        values = ", ".join(
            [
                fid,
                quote_string(obj.kind),
                quote_string(obj.name),
                quote_string(encode_arg_types(obj.arg_types)),
                quote_string(obj.return_type),
                marker,
            ]
        )
        statements.append(
            f"INSERT INTO {table} (function_id, object_kind, object_name, arg_types, return_type,"
            f" marker) VALUES ({values})"
        )
    return statements


def encode_arg_types(arg_types: Iterable[str]) -> str:
    """The arg_types column: a JSON array of the types as written in the DDL. A comma-joined
    text cannot be split back, since a type may hold commas itself (DECIMAL(38,10))."""
    return json.dumps(list(arg_types))


def decode_arg_types(text: str) -> tuple[str, ...]:
    """The types of an arg_types column, ValueError when malformed. Rows written before the
    JSON form hold `TYPE, TYPE`: those are split on top-level commas only."""
    text = text.strip()
    if not text.startswith("["):
        return tuple(_split_args(text))
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"arg_types is not a JSON array ({exc.msg})") from None
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise ValueError("arg_types is not a JSON array of type names")
    return tuple(value)


def forget_statement(schema: str, function_id: str) -> str:
    fid = quote_string(validate.function_id(function_id))
    return f"DELETE FROM {state_table(schema)} WHERE function_id = {fid}"


_EXISTS = "SELECT COUNT(*) FROM pg_namespace WHERE nspname = :schema"
_TABLE_EXISTS = (
    "SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = :schema AND c.relname = :table"
)
_FUNCTIONS = (
    "SELECT p.proname, oidvectortypes(p.proargtypes) FROM pg_proc p"
    " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = :schema"
)


def _rows_to_state(
    schema: str, rows: Iterable[tuple], existing: frozenset
) -> dict[str, list[DeployedObject]]:
    objects: dict[str, list[DeployedObject]] = {}
    for function_id, kind, name, arg_types, return_type, marker in rows:
        # Values read back are validated again before they can reach a DROP statement.
        prefix, _, rest = str(marker).partition(":")
        fid, _, digest = rest.rpartition(":")
        if prefix != MARKER_PREFIX or fid != function_id:
            continue
        try:
            types = decode_arg_types(str(arg_types))
            obj = SqlObject(str(kind), str(name), types, str(return_type))
        except ValueError as exc:
            raise ValueError(
                f"{state_table(schema)}: the row of {function_id} is not valid ({exc});"
                " fix or delete that row"
            ) from None
        objects.setdefault(validate.function_id(function_id), []).append(
            DeployedObject(function_id, obj, digest, exists=obj.key in existing)
        )
    return objects


def read_state(session: SqlSession, schema: str) -> SqlState:
    """Read the state table and the schema's functions (read-only; run before planning)."""
    validate.identifier(schema, "schema")
    if not _count(session.query(_EXISTS, {"schema": schema})):
        return SqlState(schema, schema_exists=False)
    existing = frozenset(
        (str(name), _canonical_list(str(types)))
        for name, types in session.query(_FUNCTIONS, {"schema": schema})
    )
    rows: list[tuple] = []
    if _count(session.query(_TABLE_EXISTS, {"schema": schema, "table": STATE_TABLE})):
        rows = session.query(
            "SELECT function_id, object_kind, object_name, arg_types, return_type, marker"
            f" FROM {state_table(schema)} ORDER BY function_id, object_kind, object_name"
        )
    return SqlState(schema, True, _rows_to_state(schema, rows, existing), existing)


def _canonical_list(types: str) -> tuple[str, ...]:
    out = []
    for t in (x.strip() for x in types.split(",")):
        if not t:
            continue
        try:
            out.append(canonical_type(t))
        except ValueError:
            out.append(t.lower())  # a type we never create; kept so the key stays distinct
    return tuple(out)


def _count(rows: list[tuple]) -> int:
    try:
        return int(rows[0][0])
    except (IndexError, TypeError, ValueError):
        return 0
