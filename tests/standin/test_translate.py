"""The SQL rewriting alone (no server): statements split, VARCHAR(MAX), EXTERNAL FUNCTION."""

from __future__ import annotations

import pytest

from engine.redshift.standin import TranslationError, split_sql, translate
from engine.redshift.standin.binaries import install_command
from engine.redshift.standin.session import _pyformat
from engine.redshift.standin.translate import parse_external, rewrite_varchar_max, split_types

EXTERNAL = """-- header comment; with a semicolon
CREATE OR REPLACE EXTERNAL FUNCTION carto.__QUADBIN_POLYFILL(VARCHAR(MAX), INTEGER)
RETURNS VARCHAR(MAX)
STABLE
LAMBDA 'arn:aws:lambda:eu-west-1:123456789012:function:carto-at-qb_pf'
IAM_ROLE 'arn:aws:iam::123456789012:role/r'
MAX_BATCH_ROWS 95
MAX_BATCH_SIZE 5 MB"""


def test_split_respects_quotes_comments_and_bodies():
    script = (
        "-- a; comment\nCREATE SCHEMA s;\n"
        "CREATE FUNCTION s.f(BIGINT) RETURNS BIGINT AS $$ SELECT $1; $$ LANGUAGE sql;\n"
        "COMMENT ON SCHEMA s IS 'it''s; fine';\n"
        "/* only; a comment */;\n"
        'SELECT 1 AS "a;b"'
    )
    assert split_sql(script) == [
        "-- a; comment\nCREATE SCHEMA s",
        "CREATE FUNCTION s.f(BIGINT) RETURNS BIGINT AS $$ SELECT $1; $$ LANGUAGE sql",
        "COMMENT ON SCHEMA s IS 'it''s; fine'",
        'SELECT 1 AS "a;b"',
    ]


def test_split_tagged_dollar_quotes():
    script = "CREATE FUNCTION f() RETURNS int AS $body$ SELECT $$;$$ $body$ LANGUAGE sql; SELECT 2"
    assert split_sql(script) == [
        "CREATE FUNCTION f() RETURNS int AS $body$ SELECT $$;$$ $body$ LANGUAGE sql",
        "SELECT 2",
    ]


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        # where a value is made: the checked domain
        ("SELECT x::VARCHAR(MAX)", "SELECT x::redshift_compat.varchar_max"),
        ("SELECT CAST(x AS varchar ( max ))", "SELECT CAST(x AS redshift_compat.varchar_max)"),
        (
            "CREATE FUNCTION s.f(VARCHAR(MAX)) RETURNS VARCHAR(MAX) AS $$ SELECT $1 $$",
            "CREATE FUNCTION s.f(varchar) RETURNS redshift_compat.varchar_max AS $$ SELECT $1 $$",
        ),
        # signatures: plain varchar, as pg_proc reports Redshift's
        ("GRANT EXECUTE ON FUNCTION s.f(VARCHAR(MAX), INT) TO u", "GRANT EXECUTE ON FUNCTION"
         " s.f(varchar, INT) TO u"),
        ("DROP FUNCTION s.f(NVARCHAR(MAX))", "DROP FUNCTION s.f(varchar)"),
        # table columns hold values
        ("CREATE TABLE t (a VARCHAR(MAX), b INT)", "CREATE TABLE t (a redshift_compat.varchar_max,"
         " b INT)"),
        # literals and comments are not code
        ("COMMENT ON FUNCTION s.f(VARCHAR(MAX)) IS 'takes VARCHAR(MAX)'",
         "COMMENT ON FUNCTION s.f(varchar) IS 'takes VARCHAR(MAX)'"),
        ("SELECT 1 -- ::VARCHAR(MAX)", "SELECT 1 -- ::VARCHAR(MAX)"),
        ("SELECT 'a'::VARCHAR(256)", "SELECT 'a'::VARCHAR(256)"),
    ],
)  # fmt: skip
def test_varchar_max_rewrite(sql, expected):
    assert rewrite_varchar_max(sql) == expected


def test_split_types_keeps_parenthesised_commas():
    assert split_types("VARCHAR(MAX), DECIMAL(10, 2),  INTEGER") == [
        "VARCHAR(MAX)",
        "DECIMAL(10, 2)",
        "INTEGER",
    ]
    assert split_types("") == []


def test_parse_external():
    fn = parse_external(EXTERNAL)
    assert fn is not None
    assert fn.name == "carto.__QUADBIN_POLYFILL"
    assert fn.arg_types == ("VARCHAR(MAX)", "INTEGER")
    assert fn.returns == "VARCHAR(MAX)"
    assert fn.volatility == "STABLE"
    assert fn.lambda_name == "carto-at-qb_pf"
    assert fn.region == "eu-west-1"
    assert fn.replace is True
    assert (
        parse_external("CREATE FUNCTION s.f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql") is None
    )


def test_translated_external_function():
    sql = translate(EXTERNAL, "http://127.0.0.1:9999/")
    head = sql.split("AS $carto_external$")[0]
    assert head == (
        "CREATE OR REPLACE FUNCTION carto.__QUADBIN_POLYFILL(varchar, INTEGER)\n"
        "RETURNS redshift_compat.varchar_max\nSTABLE\nLANGUAGE plpython3u\n"
    )
    # The call: endpoint without its trailing slash, the ARN's function name, Redshift's
    # lower-case qualified name, the region, and which arguments are VARCHAR(MAX).
    assert (
        "invoke('http://127.0.0.1:9999', 'carto-at-qb_pf', 'carto.__quadbin_polyfill',"
        " 'eu-west-1', args, (0,))" in sql
    )
    assert sql.rstrip().endswith("$carto_external$")


def test_function_map_renames_the_lambda():
    sql = translate(EXTERNAL, "http://h:1", {"carto-at-qb_pf": "pt1-qb_pf"})
    assert "'pt1-qb_pf'" in sql and "'carto-at-qb_pf'" not in sql


def test_plain_lambda_name_and_volatile():
    sql = translate(
        "CREATE EXTERNAL FUNCTION s.f(BIGINT) RETURNS BIGINT VOLATILE LAMBDA 'f1'"
        " IAM_ROLE default RETRY_TIMEOUT 0",
        "http://h:1",
    )
    assert sql.startswith("CREATE FUNCTION s.f(BIGINT)\nRETURNS BIGINT\nVOLATILE\n")
    assert "'f1', 's.f', 'us-east-1', args, ()" in sql


@pytest.mark.parametrize(
    ("clauses", "message"),
    [
        ("STABLE LAMBDA 'f'", "the IAM_ROLE clause is required"),
        ("STABLE IAM_ROLE default", "the LAMBDA clause is required"),
        ("IMMUTABLE LAMBDA 'f' IAM_ROLE default", "STABLE or VOLATILE, not IMMUTABLE"),
        ("STABLE LAMBDA 'f' IAM_ROLE default MAX_BATCH_ROWS 0", "MAX_BATCH_ROWS must be between"),
        ("STABLE LAMBDA 'f' IAM_ROLE default MAX_BATCH_SIZE 6 MB", "between 1 KB and 5 MB"),
        ("STABLE LAMBDA 'f' IAM_ROLE default MAX_BATCH_SIZE 0", "between 1 KB and 5 MB"),
        ("STABLE LAMBDA 'f' LAMBDA 'g' IAM_ROLE default", "LAMBDA given twice"),
        ("STABLE LAMBDA 'f' IAM_ROLE default BATCH 3", "unexpected clause near 'BATCH 3'"),
    ],
)
def test_external_clauses_checked(clauses, message):
    with pytest.raises(TranslationError, match=message):
        translate(f"CREATE EXTERNAL FUNCTION s.f(BIGINT) RETURNS BIGINT {clauses}", "http://h:1")


@pytest.mark.parametrize(
    ("signature", "message"),
    [
        ("(GEOMETRY) RETURNS BIGINT", "argument 1 has type GEOMETRY"),
        ("(BIGINT, SUPER) RETURNS BIGINT", "argument 2 has type SUPER"),
        ("(BIGINT) RETURNS GEOMETRY", "RETURNS has type GEOMETRY"),
    ],
)
def test_external_types_checked(signature, message):
    with pytest.raises(TranslationError, match=message):
        translate(
            f"CREATE EXTERNAL FUNCTION s.f{signature} STABLE LAMBDA 'f' IAM_ROLE default",
            "http://h:1",
        )


def test_external_function_needs_an_endpoint():
    with pytest.raises(TranslationError, match="needs the Lambda endpoint's URL"):
        translate(EXTERNAL, None)
    # Any other statement needs none.
    assert translate("SELECT 1", None) == "SELECT 1"


def test_named_parameters_become_pyformat():
    sql = "SELECT :a, x::int, ':not' || '%' FROM t WHERE n = :schema AND m LIKE 'a%'"
    assert _pyformat(sql) == (
        "SELECT %(a)s, x::int, ':not' || '%%' FROM t WHERE n = %(schema)s AND m LIKE 'a%%'"
    )


def test_install_command_pins_the_server_version(monkeypatch):
    from engine.redshift.standin import binaries

    monkeypatch.setattr(binaries, "server_package_version", lambda major: "15.18-0+deb12u1")
    assert install_command(15, server_installed=True) == (
        "apt-get update && apt-get install -y --no-install-recommends"
        " postgresql-plpython3-15=15.18-0+deb12u1 postgresql-15-postgis-3"
    )
    assert install_command(17) == (
        "apt-get update && apt-get install -y --no-install-recommends"
        " postgresql-17 postgresql-plpython3-17 postgresql-17-postgis-3"
    )
