"""Names given to AWS and Redshift objects, and their limits."""

from __future__ import annotations

import pytest

from engine import naming


@pytest.mark.parametrize(
    ("prefix", "role"),
    [
        ("carto-at-", "CartoATLambdaExecutionRole"),
        ("dev-carto-at-", "DevCartoATLambdaExecutionRole"),
        ("ci_a1b2c3d4_678901_", "CiA1b2c3d4678901LambdaExecutionRole"),
        ("atlas-", "AtlasLambdaExecutionRole"),  # 'at' only as a whole segment
        ("dev1x-", "Dev1xLambdaExecutionRole"),
        ("AT_", "ATLambdaExecutionRole"),
    ],
)
def test_execution_role_name(prefix: str, role: str) -> None:
    assert naming.execution_role_name(prefix) == role


def test_ci_prefix_names_fit() -> None:
    prefix = "ci_a1b2c3d4_678901_"
    assert naming.check_all(prefix, f"{prefix}carto", ["quadbin_polyfill"]) == []
    assert len(naming.execution_role_name(prefix)) == 35


def test_schema_name_is_the_settings_schema() -> None:
    from engine.config import Settings

    assert naming.schema_name("myname_", False) == "myname_carto"
    assert naming.schema_name("myname_", True) == "carto"
    assert Settings(rs_prefix="myname_").schema == "myname_carto"
    assert Settings(rs_prefix="myname_", production=True).schema == "carto"


def test_lambda_name_too_long_says_how_to_fix() -> None:
    prefix = "a-rather-long-development-prefix-for-me-"
    names = {"quadbin_polyfill_long_name": "quadbin/qp", "short": "quadbin/s"}
    problems = naming.check_all(prefix, "carto", names)
    assert len(problems) == 1
    msg = problems[0]
    full = prefix + "quadbin_polyfill_long_name"
    assert len(full) == 66
    assert f"is {len(full)} characters; the limit is 64" in msg
    assert "RS_LAMBDA_PREFIX" in msg and "lambda_name" in msg and "quadbin/qp" in msg


def test_exactly_64_is_allowed() -> None:
    prefix = "p-"
    assert naming.check_all(prefix, "carto", ["x" * 62]) == []
    assert naming.check_all(prefix, "carto", ["x" * 63])


def test_role_name_too_long() -> None:
    # Prefix alone is short enough for Lambda names but its role name is over 64 characters.
    prefix = "abcdefghij-" * 5
    problems = naming.check_all(prefix, "carto", [])
    assert any("IAM execution role name" in p and "RS_LAMBDA_EXECUTION_ROLE" in p for p in problems)
    # A pre-created role makes the derived name irrelevant.
    arn = "arn:aws:iam::123456789012:role/Mine"
    assert naming.check_all(prefix, "carto", [], execution_role=arn) == []


@pytest.mark.parametrize("prefix", ["", "bad prefix-", "p.q-"])
def test_bad_prefix(prefix: str) -> None:
    assert naming.check_all(prefix, "carto", [])


@pytest.mark.parametrize("schema", ["MyName_carto", "1x_carto", "my-name_carto"])
def test_bad_schema(schema: str) -> None:
    (problem,) = naming.check_all("carto-at-", schema, [])
    assert "RS_PREFIX" in problem


def test_schema_length_in_bytes() -> None:
    (problem,) = naming.check_all("carto-at-", "a" * 123 + "carto", [])
    assert "128 bytes; the limit is 127" in problem


def test_statement_id_follows_the_role() -> None:
    a = naming.invoke_statement_id("arn:aws:iam::111111111111:role/A")
    b = naming.invoke_statement_id("arn:aws:iam::111111111111:role/B")
    assert a != b and a.startswith(naming.INVOKE_STATEMENT_PREFIX)
    assert naming.STATEMENT_ID_RE.match(a) and len(a) <= naming.STATEMENT_ID_MAX


def test_role_account_and_policy_scope() -> None:
    assert naming.role_account("arn:aws:iam::222222222222:role/path/R") == "222222222222"
    assert naming.role_account("R") is None
    scope = naming.function_arn_pattern("us-east-1", "111111111111", "carto-at-")
    assert scope == "arn:aws:lambda:us-east-1:111111111111:function:carto-at-*"
