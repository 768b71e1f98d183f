"""Plan the Redshift phase: actions whose `data["statements"]` hold the exact SQL to run.

Planning only computes (the deploy's `--dry-run` prints these same actions); `apply_sql`
runs them. Each function's action is one transaction: drops of signatures that changed,
the function's DDL, its grants and its state-table rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from engine.catalog.model import Function
from engine.catalog.sqlkind import missing_dependencies, sql_order
from engine.catalog.sqltext import validate
from engine.catalog.sqltext.render import TemplateError
from engine.config import Settings
from engine.deploy.models import Action, ActionKind
from engine.redshift.generate import FunctionSql, SqlContext, function_sql
from engine.redshift.objects import SQL_UDF, SqlObject
from engine.redshift.settings import Grantee, RedshiftSettings
from engine.redshift.state import (
    DeployedObject,
    SqlState,
    create_state_table,
    forget_statement,
    record_statements,
)


class SqlPlanError(ValueError):
    """Everything that prevents planning, all at once, before any SQL runs."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class PlanContext:
    ctx: SqlContext
    grantees: tuple[Grantee, ...]


def plan_context(settings: Settings, *, invoke_role: str | None = None) -> PlanContext:
    """Schema, invoke role and grantees from settings; `invoke_role` overrides (sql command)."""
    rs = RedshiftSettings.from_settings(settings)
    role = invoke_role or rs.invoke_role
    if not role:
        raise SqlPlanError(
            ["RS_LAMBDA_INVOKE_ROLE is not set: Redshift needs a role to invoke Lambda"]
        )
    return PlanContext(SqlContext(rs.schema, role), rs.grantees)


def grant_statements(
    schema: str, objects: Iterable[SqlObject], grantees: tuple[Grantee, ...]
) -> list[str]:
    if not grantees:
        return []
    to = ", ".join(g.sql for g in grantees)
    return [f"GRANT EXECUTE ON {obj.sql_kind} {obj.signature(schema)} TO {to}" for obj in objects]


def drop_statement(schema: str, obj: SqlObject) -> str:
    return f"DROP {obj.sql_kind} {obj.signature(schema)}"


def _drop_order(objects: Iterable[DeployedObject]) -> list[DeployedObject]:
    # Wrappers call the external functions, so they go first.
    return sorted(objects, key=lambda d: (d.obj.kind != SQL_UDF, d.obj.name, d.obj.arg_types))


def ensure_schema_action(
    schema: str, grantees: tuple[Grantee, ...], previous: SqlState | None
) -> Action:
    statements = [f"CREATE SCHEMA IF NOT EXISTS {validate.identifier(schema, 'schema')}"]
    statements += create_state_table(schema)
    if grantees:
        statements.append(f"GRANT USAGE ON SCHEMA {schema} TO {', '.join(g.sql for g in grantees)}")
    if previous is None:
        reason = "create the schema and state table if missing"
    elif previous.schema_exists:
        reason = "schema exists; ensure the state table and USAGE grants"
    else:
        reason = "create schema"
    return Action(
        ActionKind.ENSURE,
        f"schema {schema}",
        reason,
        data={"schema": schema, "statements": statements},
    )


def function_action(
    fsql: FunctionSql,
    schema: str,
    grantees: tuple[Grantee, ...],
    previous: SqlState | None,
    name: str,
) -> Action:
    prev = previous.for_function(fsql.function_id) if previous else []
    desired = {obj.key: obj for obj in fsql.objects}
    drops: list[DeployedObject] = []
    changes: list[str] = []
    for old in prev:
        if not old.exists:
            continue
        new = desired.get(old.obj.key)
        if new is None:
            drops.append(old)
            changes.append(f"signature: drop {old.obj.signature(schema)}")
        elif new.canonical_return != old.obj.canonical_return or new.kind != old.obj.kind:
            # CREATE OR REPLACE keeps the return type and kind; only a drop can change them.
            drops.append(old)
            changes.append(f"return type: drop {old.obj.signature(schema)}")
    statements = [drop_statement(schema, d.obj) for d in _drop_order(drops)]
    statements += list(fsql.statements)
    statements += grant_statements(schema, fsql.objects, grantees)
    statements += record_statements(schema, fsql.function_id, fsql.objects, fsql.digest)

    ours = {d.obj.key for d in prev}
    foreign = [
        obj.signature(schema)
        for obj in fsql.objects
        if previous and obj.key in previous.existing and obj.key not in ours
    ]
    data = {
        "function_id": fsql.function_id,
        "schema": schema,
        "statements": statements,
        "objects": [obj.signature(schema) for obj in fsql.objects],
        "digest": fsql.digest,
        "marker": fsql.marker,
        "source": fsql.source,
    }
    unchanged = bool(
        previous is not None
        and prev
        and all(d.exists and d.digest == fsql.digest for d in prev)
        and {d.obj.key for d in prev} == set(desired)
    )
    if unchanged:
        return Action(ActionKind.SKIP, name, f"SQL unchanged ({fsql.digest})", data=data)
    if not prev:
        reason = "create"
    elif any(not d.exists for d in prev):
        reason = "recreate (objects were dropped outside carto-gateway)"
    else:
        reason = "update" + ("" if not changes else " with signature change")
        changes.insert(0, "digest")
    if foreign:
        reason += "; replaces function(s) not created by carto-gateway: " + ", ".join(foreign)
    return Action(ActionKind.RUN_SQL, name, reason, changes=tuple(changes), data=data)


def plan_sql(
    functions: Iterable[Function],
    settings: Settings,
    lambda_arns: Mapping[str, str],
    *,
    previous: SqlState | None = None,
    invoke_role: str | None = None,
) -> list[Action]:
    """ENSURE (schema, state table, USAGE grants) then one RUN_SQL/SKIP action per function.

    `lambda_arns` maps function id -> Lambda ARN. `previous` is `read_state(...)`; without it
    (dry-run with no connection) no signature-change drops can be planned. Raises SqlPlanError
    listing every template, value or ARN problem before anything runs.
    """
    pc = plan_context(settings, invoke_role=invoke_role)
    schema = pc.ctx.schema
    if previous is not None and previous.schema != schema:
        raise SqlPlanError(
            [f"state was read for schema {previous.schema!r}, deploying to {schema!r}"]
        )
    actions = [ensure_schema_action(schema, pc.grantees, previous)]
    functions = list(functions)
    errors: list[str] = missing_dependencies(
        functions, previous.objects if previous is not None else None
    )
    # By id, but a function whose SQL calls others (depends_on) after them.
    for function in sql_order(functions):
        arn = lambda_arns.get(function.id, "" if not function.has_lambda else None)
        if arn is None:
            errors.append(f"{function.id}: no Lambda ARN (deploy the Lambda first)")
            continue
        try:
            fsql = function_sql(function, pc.ctx, arn)
        except TemplateError as exc:
            errors.extend(str(p) for p in exc.problems)
            continue
        except ValueError as exc:
            errors.append(f"{function.id}: {exc}")
            continue
        actions.append(
            function_action(fsql, schema, pc.grantees, previous, f"{schema}.{function.sql_name}")
        )
    if errors:
        raise SqlPlanError(errors)
    return actions


def _drop_action(state: SqlState, function_id: str, reason: str) -> Action:
    schema = state.schema
    objects = state.for_function(function_id)
    statements = [drop_statement(schema, d.obj) for d in _drop_order(objects) if d.exists]
    statements.append(forget_statement(schema, function_id))
    # Named after the public function (the one users call), as deploy actions are.
    public = sorted(d.obj.name for d in objects if not d.obj.name.startswith("__"))
    name = (public or sorted(d.obj.name for d in objects) or [function_id])[0]
    return Action(
        ActionKind.DELETE,
        f"{schema}.{name.upper()}",
        reason,
        data={
            "function_id": function_id,
            "schema": schema,
            "statements": statements,
            "objects": [d.obj.signature(schema) for d in objects],
        },
    )


def remove_sql(previous: SqlState, function_ids: Iterable[str] | None = None) -> list[Action]:
    """DELETE actions dropping the recorded objects of `function_ids` (all recorded if None).

    Only objects in the state table are ever dropped: other functions in the schema are never
    touched, whatever their names.
    """
    wanted = set(previous.objects) if function_ids is None else set(function_ids)
    return [
        _drop_action(previous, fid, "remove") for fid in sorted(wanted) if fid in previous.objects
    ]


def prune_sql(previous: SqlState, catalog_ids: Iterable[str]) -> list[Action]:
    """DELETE actions for recorded functions that are no longer in the catalog."""
    keep = set(catalog_ids)
    return [
        _drop_action(previous, fid, "prune: no longer in the catalog")
        for fid in sorted(previous.objects)
        if fid not in keep
    ]
