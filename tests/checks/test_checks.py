"""`carto-gateway check` on moto, with a closed localhost port standing in for Redshift."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from engine.cli import main
from engine.config import resolve_settings
from engine.ops.checks import FAIL, PASS, SKIP, names_check, principal_arn, run_checks

SECRET_KEY = "NotARealSecretButUnique0123456789"
PASSWORD = "pw-that-must-never-print"
ACCOUNT = "123456789012"
CLEAN = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_SESSION_TOKEN",
    "CARTO_TARGET",
    "CARTO_RUNTIME",
    "PRODUCTION",
)
RS_KEYS = ("RS_HOST", "RS_PORT", "RS_DATABASE", "RS_USER", "RS_PASSWORD", "RS_DATA_API", "RS_IAM")
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "redshift.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """An empty catalog in tmp_path as the working directory; dummy keys; no Redshift."""
    from moto import mock_aws

    for key in (*CLEAN, *RS_KEYS):
        monkeypatch.delenv(key, raising=False)
    for key in list(__import__("os").environ):
        if key.startswith("RS_LAMBDA"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIATESTCHECKS")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "false")
    (tmp_path / "functions").mkdir()
    monkeypatch.chdir(tmp_path)
    with mock_aws(config={"iam": {"load_aws_managed_policies": False}}):
        yield tmp_path


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def by_name(results):
    return {r.name: r for r in results}


def check(root: Path, **values: str):
    settings = resolve_settings(values, repo_root=root)
    return by_name(run_checks(settings, {"quadbin_polyfill": "quadbin/quadbin_polyfill"}))


def test_credentials_show_account_and_source_never_the_secret(env, capsys) -> None:
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert f"PASS  AWS credentials: account {ACCOUNT}" in out
    assert "environment keys" in out
    assert SECRET_KEY not in out
    assert "PASS  Lambda permissions: ListFunctions allowed" in out
    assert "SKIP  Redshift connection: not configured; missing" in out
    assert "RS_HOST" in out and "RS_PASSWORD" in out


def test_keys_in_dotenv_fail_with_the_fix(env, capsys, monkeypatch) -> None:
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    (env / ".env").write_text(f"AWS_SECRET_ACCESS_KEY={SECRET_KEY}\n")
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  AWS credentials" in out and "export them" in out
    assert "SKIP  Lambda permissions: needs working AWS credentials" in out
    assert SECRET_KEY not in out


def test_no_credentials_at_all(env, capsys, monkeypatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert main(["check"]) == 1
    assert "FAIL  AWS credentials: no credentials found" in capsys.readouterr().out


def test_execution_role_given_must_exist(env) -> None:
    role = f"arn:aws:iam::{ACCOUNT}:role/PreCreated"
    result = check(env, RS_LAMBDA_EXECUTION_ROLE=role)["Lambda execution role"]
    assert result.status == FAIL and "PreCreated" in result.detail
    assert "RS_LAMBDA_EXECUTION_ROLE" in result.fix
    boto3.client("iam").create_role(RoleName="PreCreated", AssumeRolePolicyDocument=TRUST)
    result = check(env, RS_LAMBDA_EXECUTION_ROLE=role)["Lambda execution role"]
    assert result.status == PASS


def test_derived_execution_role_absent_is_not_a_failure(env) -> None:
    result = check(env)["Lambda execution role"]
    assert result.status in (PASS, SKIP)
    assert "CartoATLambdaExecutionRole" in result.detail


def test_invoke_role_same_account_must_exist(env) -> None:
    arn = f"arn:aws:iam::{ACCOUNT}:role/RedshiftInvoke"
    result = check(env, RS_LAMBDA_INVOKE_ROLE=arn)["Redshift invoke role"]
    assert result.status == FAIL and arn in result.detail
    boto3.client("iam").create_role(RoleName="RedshiftInvoke", AssumeRolePolicyDocument=TRUST)
    assert check(env, RS_LAMBDA_INVOKE_ROLE=arn)["Redshift invoke role"].status == PASS


def test_invoke_role_in_another_account_is_not_guessed(env) -> None:
    arn = "arn:aws:iam::999999999999:role/Elsewhere"
    result = check(env, RS_LAMBDA_INVOKE_ROLE=arn)["Redshift invoke role"]
    assert result.status == PASS and "not checked" in result.detail


def test_invoke_role_unset_is_skipped(env) -> None:
    assert check(env)["Redshift invoke role"].status == SKIP


def test_bad_invoke_role_syntax_fails_the_command(env, capsys) -> None:
    (env / ".env").write_text("RS_LAMBDA_INVOKE_ROLE=RedshiftRole\n")
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  Configuration" in out and "RedshiftRole" in out


def test_redshift_on_a_closed_port_fails_without_the_password(env, capsys) -> None:
    (env / ".env").write_text(
        "\n".join(
            [
                "RS_HOST=127.0.0.1",
                f"RS_PORT={closed_port()}",
                "RS_DATABASE=dev",
                "RS_USER=admin",
                f"RS_PASSWORD={PASSWORD}",
                "RS_SSL=0",
                f"RS_LAMBDA_INVOKE_ROLE=arn:aws:iam::{ACCOUNT}:role/x",
            ]
        )
        + "\n"
    )
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  Redshift connection" in out
    assert "RS_HOST/RS_PORT" in out
    assert PASSWORD not in out


def test_redshift_select_1_passes_through_the_session(env) -> None:
    class Session:
        closed = False

        def query(self, sql):
            assert sql == "SELECT 1"
            return [(1,)]

        def close(self):
            Session.closed = True

    settings = resolve_settings(
        {
            "RS_HOST": "h",
            "RS_DATABASE": "d",
            "RS_USER": "u",
            "RS_PASSWORD": PASSWORD,
            "RS_LAMBDA_INVOKE_ROLE": f"arn:aws:iam::{ACCOUNT}:role/x",
        },
        repo_root=env,
    )
    results = by_name(run_checks(settings, {}, open_session=lambda s: Session()))
    assert results["Redshift connection"].status == PASS
    assert Session.closed
    assert PASSWORD not in results["Redshift connection"].detail


def test_names_too_long_for_the_prefix(env) -> None:
    settings = resolve_settings({"RS_LAMBDA_PREFIX": "a-rather-long-prefix-"}, repo_root=env)
    result = names_check(settings, {"x" * 50: "mod/x"})
    assert result.status == FAIL and "64" in result.detail and "mod/x" in result.detail
    ok = names_check(settings, {"short": "mod/short"})
    assert ok.status == PASS and "a-rather-long-prefix-short" in ok.detail


def test_assumed_role_sessions_simulate_as_their_role() -> None:
    arn = "arn:aws:sts::123456789012:assumed-role/Deployer/ci-run"
    assert principal_arn(arn) == "arn:aws:iam::123456789012:role/Deployer"
    user = "arn:aws:iam::123456789012:user/alice"
    assert principal_arn(user) == user
