"""The configuration resolver: precedence, masking, name checks at read time."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.config import (
    VARIABLES,
    ConfigError,
    env_file_credentials,
    read_dotenv,
    resolve_settings,
)

REPO = Path(__file__).resolve().parents[2]


def write_env(root: Path, text: str) -> None:
    (root / ".env").write_text(text, encoding="utf-8")


def test_flag_beats_environment_beats_dotenv(tmp_path: Path) -> None:
    write_env(tmp_path, "RS_LAMBDA_PREFIX=dotenv-\nRS_PREFIX=dot_\nAWS_REGION=eu-west-1\n")
    environ = {"RS_LAMBDA_PREFIX": "env-", "RS_PREFIX": "env_"}
    s = resolve_settings({"RS_LAMBDA_PREFIX": "flag-", "RS_PREFIX": None}, environ, tmp_path)
    assert s.lambda_prefix == "flag-"
    assert s.rs_prefix == "env_"  # a None flag is "not given"
    assert s.aws_region == "eu-west-1"
    assert s.sources["RS_LAMBDA_PREFIX"] == "command line"
    assert s.sources["RS_PREFIX"] == "environment"
    assert s.sources["AWS_REGION"] == ".env"


def test_only_the_root_dotenv_is_read(tmp_path: Path) -> None:
    sub = tmp_path / "gateway"
    sub.mkdir()
    write_env(sub, "RS_LAMBDA_PREFIX=sub-\n")
    s = resolve_settings({}, {}, tmp_path)
    assert s.lambda_prefix == "carto-at-"


def test_defaults(tmp_path: Path) -> None:
    s = resolve_settings({}, {}, tmp_path)
    assert s.target == "local"
    assert s.lambda_prefix == "carto-at-"
    assert s.schema == "carto"
    assert s.jobs == 8
    assert s.s3_bucket is None


def test_schema_production_and_prefix(tmp_path: Path) -> None:
    assert resolve_settings({}, {"RS_PREFIX": "myname_"}, tmp_path).schema == "myname_carto"
    prod = resolve_settings({"PRODUCTION": "1"}, {"RS_PREFIX": "myname_"}, tmp_path)
    assert prod.schema == "carto"


def test_unrelated_environment_is_not_kept(tmp_path: Path) -> None:
    s = resolve_settings({}, {"PATH": "/bin", "HOME": "/root", "CARTO_RUNTIME": "x"}, tmp_path)
    assert "PATH" not in s.values and "HOME" not in s.values
    assert s.values["CARTO_RUNTIME"] == "x"


def test_secrets_are_masked_and_aws_secrets_not_kept(tmp_path: Path) -> None:
    environ = {
        "RS_PASSWORD": "hunter2-rs",
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI-secret",
        "AWS_SESSION_TOKEN": "tok-secret-123",
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
    }
    s = resolve_settings({}, environ, tmp_path)
    assert s.values["RS_PASSWORD"] == "hunter2-rs"  # the Redshift phase needs it
    assert "AWS_SECRET_ACCESS_KEY" not in s.values
    assert "AWS_SESSION_TOKEN" not in s.values
    shown = repr(s) + str(s) + repr(s.values) + str(s.values) + "\n".join(s.describe())
    for secret in ("hunter2-rs", "wJalrXUtnFEMI-secret", "tok-secret-123"):
        assert secret not in shown
    assert "RS_PASSWORD=*** (environment)" in s.describe()


def test_env_file_credentials_are_detected(tmp_path: Path) -> None:
    write_env(tmp_path, "AWS_ACCESS_KEY_ID=AKIDFROMFILE\nAWS_SECRET_ACCESS_KEY=s\n")
    s = resolve_settings({}, {}, tmp_path)
    assert env_file_credentials(s) == ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]
    exported = resolve_settings(
        {}, {"AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"}, tmp_path
    )
    assert env_file_credentials(exported) == []


def test_dotenv_parsing(tmp_path: Path) -> None:
    write_env(
        tmp_path,
        "# comment\n\nexport RS_PREFIX=a_\nRS_HOST='h.example' \nRS_USER=\"u\"\n"
        "RS_DATABASE=dev # trailing comment\n",
    )
    assert read_dotenv(tmp_path / ".env") == {
        "RS_PREFIX": "a_",
        "RS_HOST": "h.example",
        "RS_USER": "u",
        "RS_DATABASE": "dev",
    }


@pytest.mark.parametrize("jobs", ["0", "-1", "many"])
def test_bad_jobs(tmp_path: Path, jobs: str) -> None:
    with pytest.raises(ConfigError, match="CARTO_JOBS"):
        resolve_settings({"CARTO_JOBS": jobs}, {}, tmp_path)


def test_unknown_target(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown target 'gcp'"):
        resolve_settings({}, {"CARTO_TARGET": "gcp"}, tmp_path)


def test_names_are_checked_when_read(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        resolve_settings(
            {},
            {"RS_LAMBDA_PREFIX": "p" * 40},
            tmp_path,
            lambda_names={"quadbin_polyfill_with_a_long_name": "quadbin/qp"},
        )
    message = str(info.value)
    assert "Lambda function name" in message and "is 73 characters; the limit is 64" in message
    assert "quadbin/qp" in message and "lambda_name" in message


def test_invoke_role_chain(tmp_path: Path) -> None:
    chain = "arn:aws:iam::111111111111:role/A,arn:aws:iam::222222222222:role/B"
    s = resolve_settings({}, {"RS_LAMBDA_INVOKE_ROLE": chain}, tmp_path)
    assert s.invoke_roles[-1] == "arn:aws:iam::222222222222:role/B"
    with pytest.raises(ConfigError, match="not a role ARN"):
        resolve_settings({}, {"RS_LAMBDA_INVOKE_ROLE": "A, B"}, tmp_path)


def test_template_documents_every_variable() -> None:
    template = (REPO / ".env.template").read_text(encoding="utf-8")
    documented = {
        line.lstrip("# ").split("=", 1)[0]
        for line in template.splitlines()
        if "=" in line and line.lstrip("# ").split("=", 1)[0].isupper()
    }
    missing = set(VARIABLES) - documented
    assert not missing, f".env.template lacks {sorted(missing)}"
    unknown = {k for k in documented if k not in VARIABLES}
    assert not unknown, f".env.template documents unknown keys {sorted(unknown)}"
