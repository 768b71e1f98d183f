"""SQL generated from function.yaml, and templates turned into statement lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.catalog.sqltext.render import TemplateError
from engine.catalog.types import TYPES
from engine.redshift.generate import SqlContext, function_sql
from engine.redshift.objects import EXTERNAL, SQL_UDF, canonical_type, parse_create_function

ROLE = "arn:aws:iam::123456789012:role/RedshiftInvoke"
ARN = "arn:aws:lambda:eu-west-1:123456789012:function:carto-at-f"
CTX = SqlContext("dev_carto", ROLE, package_version="1.0.0")

EXTERNAL_SQL = {
    "smallint": "SMALLINT",
    "int": "INTEGER",
    "bigint": "BIGINT",
    "decimal": "DECIMAL(38,10)",
    "float": "REAL",
    "double": "DOUBLE PRECISION",
    "char": "CHAR(1)",
    "string": "VARCHAR(MAX)",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "geometry": "VARCHAR(MAX)",
    "super": "VARCHAR(MAX)",
}


def test_vocabulary_is_covered() -> None:
    assert set(EXTERNAL_SQL) == set(TYPES)


@pytest.mark.parametrize("type_name", sorted(set(EXTERNAL_SQL) - {"geometry", "super"}))
def test_scalar_types_need_no_wrapper(fn, type_name: str) -> None:
    f = fn("f_echo", [("a", type_name), ("b", "int")], type_name)
    sql = function_sql(f, CTX, ARN)
    ext = EXTERNAL_SQL[type_name]
    assert sql.statements == (
        f"CREATE OR REPLACE EXTERNAL FUNCTION dev_carto.F_ECHO({ext}, INTEGER)\n"
        f"RETURNS {ext}\n"
        "STABLE\n"
        f"LAMBDA '{ARN}'\n"
        f"IAM_ROLE '{ROLE}'\n"
        "MAX_BATCH_ROWS 10000",
    )
    (obj,) = sql.objects
    assert (obj.kind, obj.name, obj.arg_types) == (EXTERNAL, "f_echo", (ext, "INTEGER"))


def test_geometry_input_and_super_output_get_a_wrapper(fn) -> None:
    f = fn(
        "quadbin_polyfill",
        [("geog", "geometry"), ("resolution", "int")],
        "super",
        max_batch_rows=95,
        retry_timeout=0,
        max_batch_size="512 KB",
        volatility="VOLATILE",
    )
    sql = function_sql(f, CTX, ARN)
    external, wrapper = sql.statements
    assert external == (
        "CREATE OR REPLACE EXTERNAL FUNCTION dev_carto.__QUADBIN_POLYFILL(VARCHAR(MAX), INTEGER)\n"
        "RETURNS VARCHAR(MAX)\n"
        "VOLATILE\n"
        f"LAMBDA '{ARN}'\n"
        f"IAM_ROLE '{ROLE}'\n"
        "RETRY_TIMEOUT 0\n"
        "MAX_BATCH_ROWS 95\n"
        "MAX_BATCH_SIZE 512 KB"
    )
    assert wrapper == (
        "CREATE OR REPLACE FUNCTION dev_carto.QUADBIN_POLYFILL(GEOMETRY, INTEGER)\n"
        "RETURNS SUPER\n"
        "VOLATILE\n"
        "AS $$\n"
        "  SELECT JSON_PARSE(dev_carto.__QUADBIN_POLYFILL(ST_ASGEOJSON(CASE WHEN ST_SRID($1) = 0"
        " THEN ST_SETSRID($1, 4326) ELSE ST_TRANSFORM($1, 4326) END), $2))\n"
        "$$ LANGUAGE sql"
    )
    assert [(o.kind, o.name) for o in sql.objects] == [
        (EXTERNAL, "__quadbin_polyfill"),
        (SQL_UDF, "quadbin_polyfill"),
    ]
    assert sql.objects[1].arg_types == ("GEOMETRY", "INTEGER")


def test_geometry_output_and_super_input(fn) -> None:
    f = fn("quadbin_boundary", [("q", "bigint"), ("opts", "super")], "geometry")
    _, wrapper = function_sql(f, CTX, ARN).statements
    assert "RETURNS GEOMETRY" in wrapper
    assert (
        "SELECT ST_GEOMFROMGEOJSON(dev_carto.__QUADBIN_BOUNDARY($1, JSON_SERIALIZE($2)))" in wrapper
    )


def test_internal_function_is_external_only(fn) -> None:
    f = fn("__helper", [("g", "geometry")], "string")
    sql = function_sql(f, CTX, ARN)
    assert len(sql.statements) == 1
    assert sql.statements[0].startswith(
        "CREATE OR REPLACE EXTERNAL FUNCTION dev_carto.__HELPER(VARCHAR(MAX))"
    )


def test_zero_argument_function(fn) -> None:
    sql = function_sql(fn("f_version", [], "string"), CTX, ARN)
    assert sql.statements[0].startswith("CREATE OR REPLACE EXTERNAL FUNCTION dev_carto.F_VERSION()")
    assert sql.objects[0].arg_types == ()


def test_output_is_stable_and_never_bare_varchar(fn) -> None:
    f = fn("f", [("a", "string"), ("g", "geometry")], "super")
    a, b = function_sql(f, CTX, ARN), function_sql(f, CTX, ARN)
    assert a == b and a.digest == b.digest
    text = "\n".join(a.statements)
    assert "VARCHAR(MAX)" in text
    assert "VARCHAR " not in text.replace("VARCHAR(MAX)", "") and "VARCHAR\n" not in text
    assert "20" not in a.statements[1]  # no year or date anywhere


def test_digest_follows_the_sql(fn) -> None:
    f = fn("f")
    other = fn("f", max_batch_rows=5)
    assert function_sql(f, CTX, ARN).digest != function_sql(other, CTX, ARN).digest


def test_template_statements_and_objects(fn, tmp_path: Path) -> None:
    template = tmp_path / "redshift.sql"
    template.write_text(
        "-- header; with a semicolon\n"
        "CREATE OR REPLACE EXTERNAL FUNCTION @@SCHEMA@@.__F(quadbin BIGINT, s VARCHAR(MAX))\n"
        "RETURNS VARCHAR(MAX) STABLE LAMBDA '@@LAMBDA_ARN@@' IAM_ROLE '@@IAM_ROLE_ARN@@'\n"
        "RETRY_TIMEOUT @@RETRY_TIMEOUT@@ MAX_BATCH_SIZE @@MAX_BATCH_SIZE@@;\n"
        "CREATE OR REPLACE FUNCTION @@SCHEMA@@.F(BIGINT, VARCHAR(MAX)) RETURNS SUPER STABLE AS $$\n"
        "  SELECT JSON_PARSE(@@SCHEMA@@.__F($1, $2 || ';'))\n"
        "$$ LANGUAGE sql;\n"
    )
    f = fn("f", [("quadbin", "bigint"), ("s", "string")], "super", template=template)
    sql = function_sql(f, CTX, ARN)
    assert len(sql.statements) == 2
    assert "RETRY_TIMEOUT 20000 MAX_BATCH_SIZE 5 MB" in sql.statements[0]  # Redshift defaults
    assert sql.statements[1].endswith("$$ LANGUAGE sql")
    assert [(o.name, o.arg_types, o.return_type) for o in sql.objects] == [
        ("__f", ("BIGINT", "VARCHAR(MAX)"), "VARCHAR(MAX)"),
        ("f", ("BIGINT", "VARCHAR(MAX)"), "SUPER"),
    ]
    assert sql.source == str(template)


def test_template_creating_nothing_or_elsewhere_is_refused(fn, tmp_path: Path) -> None:
    template = tmp_path / "redshift.sql"
    template.write_text("-- nothing;\n")
    with pytest.raises(TemplateError, match="creates no function"):
        function_sql(fn("f", template=template), CTX, ARN)
    template.write_text(
        "-- first;\nCREATE FUNCTION public.F(INT) RETURNS INT STABLE"
        " AS $$ SELECT 1 $$ LANGUAGE sql;"
    )
    with pytest.raises(TemplateError) as err:
        function_sql(fn("f", template=template), CTX, ARN)
    assert err.value.problems[0].line == 2


def test_parse_create_function_reads_names_and_types() -> None:
    obj = parse_create_function(
        "/* c */ create or replace function dev_carto.g(x DOUBLE PRECISION, DECIMAL(38, 10))"
        " returns timestamp volatile as $$ select 1 $$ language sql",
        "dev_carto",
    )
    assert obj is not None
    assert obj.key == ("g", ("double precision", "numeric"))
    assert obj.canonical_return == "timestamp without time zone"
    assert (
        parse_create_function("GRANT EXECUTE ON FUNCTION dev_carto.g(INT) TO bob", "dev_carto")
        is None
    )


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("VARCHAR(MAX)", "character varying"), ("int4", "integer"), ("CHAR(1)", "character")],
)
def test_canonical_types(text: str, canonical: str) -> None:
    assert canonical_type(text) == canonical


@pytest.mark.parametrize("text", ["INT); DROP TABLE x; --", "VARCHAR(MAX)'", "FOO"])
def test_canonical_type_refuses_non_types(text: str) -> None:
    with pytest.raises(ValueError):
        canonical_type(text)


def test_bad_arn_or_role_fails_before_sql(fn) -> None:
    with pytest.raises(ValueError, match="Lambda ARN"):
        function_sql(fn("f"), CTX, "arn:aws:lambda:eu-west-1:123456789012:function:f';--")
    with pytest.raises(ValueError, match="IAM role"):
        SqlContext("dev_carto", ROLE + "';--")
    with pytest.raises(ValueError, match="schema"):
        SqlContext("dev_carto; DROP SCHEMA x", ROLE)
