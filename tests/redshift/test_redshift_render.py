"""Template rendering and the validation of every value that reaches SQL text."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.catalog.sqltext import validate
from engine.catalog.sqltext.render import VARIABLES, TemplateError, check_template, render

ROLE = "arn:aws:iam::123456789012:role/RedshiftInvoke"
ARN = "arn:aws:lambda:eu-west-1:123456789012:function:carto-at-qb_pf"

GOOD = {
    "SCHEMA": "dev_carto",
    "FUNCTION_NAME": "quadbin_polyfill",
    "LAMBDA_ARN": ARN,
    "IAM_ROLE_ARN": ROLE,
    "MAX_BATCH_ROWS": 95,
    "MAX_BATCH_SIZE": "512 KB",
    "RETRY_TIMEOUT": 0,
    "PACKAGE_VERSION": "1.2.3",
}

TEMPLATE = """-- @@FUNCTION_NAME@@ @@PACKAGE_VERSION@@
CREATE OR REPLACE EXTERNAL FUNCTION @@SCHEMA@@.__F(BIGINT)
RETURNS VARCHAR(MAX) STABLE
LAMBDA '@@LAMBDA_ARN@@'
IAM_ROLE '@@IAM_ROLE_ARN@@'
RETRY_TIMEOUT @@RETRY_TIMEOUT@@
MAX_BATCH_ROWS @@MAX_BATCH_ROWS@@
MAX_BATCH_SIZE @@MAX_BATCH_SIZE@@;
"""

INJECTIONS = [
    "x'; DROP TABLE users; --",
    "a;b",
    "carto -- comment",
    "carto/* c */",
    "carto$$",
    'carto"',
    "carto' OR '1'='1",
    "Carto",
    "",
    "1carto",
    "carto\n",
    "cartó",
]


def test_renders_every_variable() -> None:
    out = render(TEMPLATE, GOOD)
    assert "@@" not in out
    assert "dev_carto.__F(BIGINT)" in out
    assert f"LAMBDA '{ARN}'" in out
    assert "MAX_BATCH_SIZE 512 KB" in out
    assert "RETRY_TIMEOUT 0" in out
    assert out.startswith("-- quadbin_polyfill 1.2.3")


def test_unknown_variable_names_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "redshift.sql"
    path.write_text(
        "-- first;\nCREATE OR REPLACE FUNCTION @@SCHEMA@@.F() RETURNS INT\n  -- @@LAMBDA_ARNN@@\n"
    )
    problems = check_template(path)
    assert [str(p) for p in problems] == [
        f"{path}:3:6: @@LAMBDA_ARNN@@: unknown template variable; known: {', '.join(VARIABLES)}"
    ]
    with pytest.raises(TemplateError) as err:
        render(path, GOOD)
    assert f"{path}:3:6" in str(err.value)


def test_unset_variable_is_an_error_not_a_dropped_line() -> None:
    values = {**GOOD, "MAX_BATCH_ROWS": None}
    with pytest.raises(TemplateError) as err:
        render(TEMPLATE, values)
    (problem,) = err.value.problems
    assert (problem.line, problem.column, problem.key) == (7, 16, "@@MAX_BATCH_ROWS@@")
    assert "no value" in problem.message
    missing = {k: v for k, v in GOOD.items() if k != "LAMBDA_ARN"}
    with pytest.raises(TemplateError, match="<template>:4:9: @@LAMBDA_ARN@@"):
        render(TEMPLATE, missing)


def test_check_template_needs_no_settings_and_flags_sql_problems(tmp_path: Path) -> None:
    path = tmp_path / "t.sql"
    path.write_text(
        "CREATE FUNCTION other.F() RETURNS INT STABLE AS $$ SELECT 1 $$ LANGUAGE sql;\n@@ x\n"
    )
    keys = [(p.line, p.key) for p in check_template(path)]
    # objects outside @@SCHEMA@@ cannot be pruned; `@@ x` is no statement a template may run
    assert keys == [(1, "other.F"), (2, "@@"), (2, "statement 2")]
    path.write_text("SELECT 1;\nSELECT 'open;\n")
    (problem,) = check_template(path)
    assert (problem.line, problem.column, problem.key) == (2, 8, "sql")
    assert "unterminated string literal" in problem.message
    ok = tmp_path / "ok.sql"
    ok.write_text(TEMPLATE)
    assert check_template(ok) == []


@pytest.mark.parametrize("value", INJECTIONS)
def test_schema_injection_is_refused_before_rendering(value: str) -> None:
    with pytest.raises(validate.SqlValueError, match="schema"):
        render(TEMPLATE, {**GOOD, "SCHEMA": value})


@pytest.mark.parametrize(
    "value",
    [
        ARN + "'; DROP TABLE x; --",
        ARN + ":$LATEST",
        ARN.replace("123456789012", "12345"),
        "arn:aws:lambda:eu-west-1:123456789012:function:a$$b",
        "arn:aws:iam::123456789012:role/x",
        ARN + " ",
        ARN + "\n-- x",
    ],
)
def test_lambda_arn_grammar(value: str) -> None:
    with pytest.raises(validate.SqlValueError, match="Lambda ARN"):
        validate.lambda_arn(value)


def test_lambda_arn_accepts_partitions_and_aliases() -> None:
    validate.lambda_arn("arn:aws-cn:lambda:cn-north-1:123456789012:function:f")
    validate.lambda_arn("arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f:live")
    validate.lambda_arn("arn:aws:lambda:eu-west-1:123456789012:function:f:7")


@pytest.mark.parametrize(
    "value",
    [
        f"{ROLE}, {ROLE}",  # a space in the chain
        f"{ROLE},",
        f"{ROLE}'--",
        f"{ROLE};",
        "arn:aws:iam::123456789012:role/a$$b",
        "arn:aws:iam::123456789012:user/alice",
        "default",
        ",".join([ROLE] * 11),
    ],
)
def test_iam_role_grammar(value: str) -> None:
    with pytest.raises(validate.SqlValueError, match="IAM role"):
        validate.iam_role_chain(value)


def test_iam_role_chain_and_paths() -> None:
    chain = f"{ROLE},arn:aws:iam::210987654321:role/path/to/RoleB"
    assert validate.iam_role_chain(chain) == chain
    assert f"IAM_ROLE '{chain}'" in render(TEMPLATE, {**GOOD, "IAM_ROLE_ARN": chain})


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, "1 KB"), ("512 KB", "512 KB"), ("5MB", "5 MB"), (5120, "5120 KB"), (" 2 MB", "2 MB")],
)
def test_max_batch_size(value: object, expected: str) -> None:
    assert validate.max_batch_size(value) == expected


@pytest.mark.parametrize(
    "value", [0, "6 MB", "5121 KB", "1 GB", "1; DROP", True, "1.5 MB", "-1 KB"]
)
def test_max_batch_size_rejects(value: object) -> None:
    with pytest.raises(validate.SqlValueError):
        validate.max_batch_size(value)


@pytest.mark.parametrize("value", [0, -1, 2_147_483_648, "10; DROP TABLE x", "1e3", True, 1.5])
def test_max_batch_rows_rejects(value: object) -> None:
    with pytest.raises(validate.SqlValueError, match="MAX_BATCH_ROWS"):
        validate.max_batch_rows(value)


@pytest.mark.parametrize("name", ["PACKAGE_VERSION", "FUNCTION_NAME", "RETRY_TIMEOUT"])
def test_other_variables_refuse_injection(name: str) -> None:
    with pytest.raises(validate.SqlValueError):
        render(TEMPLATE, {**GOOD, name: "1'; DROP TABLE t; --"})


def test_unknown_variable_value_is_refused() -> None:
    with pytest.raises(KeyError, match="NOPE"):
        render(TEMPLATE, {**GOOD, "NOPE": "x"})
