"""Each function's SQL as a list of statements: rendered from its template or generated.

Generated SQL follows function.yaml: one `EXTERNAL FUNCTION` with the types Lambda UDFs accept
and, when public GEOMETRY/SUPER types are involved, a SQL UDF wrapper that converts them
around the internal `__NAME` external function. The output depends only on its inputs (no
dates), so a digest of it tells whether a function's SQL changed since the last deploy.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from importlib import metadata

from engine.catalog.model import Function
from engine.catalog.sqltext import validate
from engine.catalog.sqltext.render import Problem, TemplateError, render
from engine.catalog.sqltext.split import position, split_statements
from engine.catalog.types import EXTERNAL_FUNCTION_TYPES
from engine.redshift.objects import SqlObject, parse_create_function

# Redshift's own defaults, used when a template names the variable but function.yaml leaves
# it unset: the rendered SQL then behaves exactly as if the clause were omitted.
DEFAULT_RETRY_TIMEOUT = 20_000
DEFAULT_MAX_BATCH_SIZE = "5 MB"


def package_version() -> str:
    try:
        return metadata.version("carto-at-gateway")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0.0.0"


@dataclass(frozen=True)
class SqlContext:
    """Deploy-wide values every function's SQL needs (already validated)."""

    schema: str
    iam_role: str
    package_version: str = field(default_factory=package_version)

    def __post_init__(self) -> None:
        validate.identifier(self.schema, "schema")
        validate.iam_role_chain(self.iam_role)
        validate.package_version(self.package_version)


@dataclass(frozen=True)
class FunctionSql:
    """The statements that create one catalog function, and the objects they create."""

    function_id: str
    statements: tuple[str, ...]
    objects: tuple[SqlObject, ...]
    source: str  # "generated" or the template path

    @property
    def digest(self) -> str:
        text = "\n;\n".join(self.statements)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def marker(self) -> str:
        """What identifies this tool's objects (stored in the state table with each object)."""
        return f"carto-gateway:{self.function_id}:{self.digest}"


def template_variables(function: Function, ctx: SqlContext, lambda_arn: str) -> dict[str, object]:
    cfg = function.config
    if not function.has_lambda:  # a SQL-only function: no Lambda, no external function clauses
        return {
            "SCHEMA": ctx.schema,
            "FUNCTION_NAME": function.name,
            "PACKAGE_VERSION": ctx.package_version,
        }
    return {
        "SCHEMA": ctx.schema,
        "FUNCTION_NAME": function.name,
        "LAMBDA_ARN": lambda_arn,
        "IAM_ROLE_ARN": ctx.iam_role,
        "MAX_BATCH_ROWS": cfg.max_batch_rows,
        "MAX_BATCH_SIZE": (
            cfg.max_batch_size if cfg.max_batch_size is not None else DEFAULT_MAX_BATCH_SIZE
        ),
        "RETRY_TIMEOUT": cfg.retry_timeout
        if cfg.retry_timeout is not None
        else DEFAULT_RETRY_TIMEOUT,
        "PACKAGE_VERSION": ctx.package_version,
    }


def function_sql(function: Function, ctx: SqlContext, lambda_arn: str) -> FunctionSql:
    """Statements for one function. Raises TemplateError / SqlValueError before any SQL runs."""
    validate.function_id(function.id)
    if function.has_lambda:  # a SQL-only function calls no Lambda: its ARN is not used
        validate.lambda_arn(lambda_arn)
    if function.template_file is not None:
        return _from_template(function, ctx, lambda_arn)
    statements = [external_function(function, ctx, lambda_arn)]
    if function.needs_wrapper and not function.is_internal:
        statements.append(wrapper_function(function, ctx.schema))
    objects = tuple(o for s in statements if (o := parse_create_function(s, ctx.schema)))
    return FunctionSql(function.id, tuple(statements), objects, "generated")


def _from_template(function: Function, ctx: SqlContext, lambda_arn: str) -> FunctionSql:
    path = function.template_file
    assert path is not None
    text = render(path, template_variables(function, ctx, lambda_arn))
    statements = split_statements(text)
    objects, problems = [], []
    for statement in statements:
        try:
            obj = parse_create_function(statement, ctx.schema)
        except ValueError as exc:
            line, col = position(text, max(text.find(statement), 0))
            problems.append(Problem(str(path), line, col, "sql", str(exc)))
            continue
        if obj is not None:
            objects.append(obj)
    if not objects and not problems:
        problems.append(Problem(str(path), 1, 1, "sql", "the template creates no function"))
    if problems:
        raise TemplateError(problems)
    return FunctionSql(function.id, tuple(statements), tuple(objects), str(path))


def _check_external_type(sql: str, where: str) -> str:
    base = re.sub(r"\(.*\)$", "", sql).strip()
    if base not in EXTERNAL_FUNCTION_TYPES:
        raise ValueError(f"{where}: {sql} cannot cross a Lambda UDF boundary")
    if base == "VARCHAR" and sql != "VARCHAR(MAX)":
        # Bare VARCHAR means VARCHAR(256) in Redshift and would truncate JSON and GeoJSON.
        raise ValueError(f"{where}: use VARCHAR(MAX), not {sql}")
    return sql


def external_function(function: Function, ctx: SqlContext, lambda_arn: str) -> str:
    """`CREATE OR REPLACE EXTERNAL FUNCTION` for the function's Lambda."""
    cfg = function.config
    name = validate.identifier(function.name, "function name").upper()
    ext_name = function.external_sql_name
    validate.identifier(ext_name.lower(), "function name")
    assert ext_name.lower() in (name.lower(), "__" + name.lower())
    types = [
        _check_external_type(a.sql.external_sql, f"{function.id} {a.name}")
        for a in function.arguments
    ]
    ret = _check_external_type(function.output.sql.external_sql, f"{function.id} output")
    lines = [
        f"CREATE OR REPLACE EXTERNAL FUNCTION {ctx.schema}.{ext_name}({', '.join(types)})",
        f"RETURNS {ret}",
        validate.volatility(cfg.volatility),
        f"LAMBDA '{validate.lambda_arn(lambda_arn)}'",
        f"IAM_ROLE '{validate.iam_role_chain(ctx.iam_role)}'",
    ]
    if cfg.retry_timeout is not None:
        lines.append(f"RETRY_TIMEOUT {validate.retry_timeout(cfg.retry_timeout)}")
    if cfg.max_batch_rows is not None:
        lines.append(f"MAX_BATCH_ROWS {validate.max_batch_rows(cfg.max_batch_rows)}")
    if cfg.max_batch_size is not None:
        lines.append(f"MAX_BATCH_SIZE {validate.max_batch_size(cfg.max_batch_size)}")
    return "\n".join(lines)


def _to_external(type_name: str, ref: str) -> str:
    """SQL that turns a public argument into what the Lambda receives."""
    if type_name == "geometry":
        # GeoJSON is WGS84 by definition: SRID 0 (unknown) is taken as 4326, others reprojected.
        return (
            f"ST_ASGEOJSON(CASE WHEN ST_SRID({ref}) = 0 THEN ST_SETSRID({ref}, 4326)"
            f" ELSE ST_TRANSFORM({ref}, 4326) END)"
        )
    if type_name == "super":
        return f"JSON_SERIALIZE({ref})"
    return ref


def _from_external(type_name: str, expr: str) -> str:
    if type_name == "super":
        return f"JSON_PARSE({expr})"
    if type_name == "geometry":
        return f"ST_GEOMFROMGEOJSON({expr})"
    return expr


def wrapper_function(function: Function, schema: str) -> str:
    """The public SQL UDF converting GEOMETRY/SUPER around the internal external function."""
    name = validate.identifier(function.name, "function name").upper()
    types = ", ".join(a.sql.public_sql for a in function.arguments)
    args = ", ".join(_to_external(a.type, f"${i}") for i, a in enumerate(function.arguments, 1))
    call = _from_external(function.output.type, f"{schema}.{function.external_sql_name}({args})")
    return "\n".join(
        [
            f"CREATE OR REPLACE FUNCTION {schema}.{name}({types})",
            f"RETURNS {function.output.sql.public_sql}",
            validate.volatility(function.config.volatility),
            "AS $$",
            f"  SELECT {call}",
            "$$ LANGUAGE sql",
        ]
    )
