"""Deploy and state (issue class 10): without RS_PREFIX, a development deploy or remove must
not touch the production schema `carto`; PRODUCTION=1 is the only way there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engine.catalog.loader import load_catalog
from engine.config import ConfigError, resolve_settings
from engine.deploy import api
from tests.package.conftest import write_catalog


class Untouchable:
    """A target or SQL session any use of which fails the test: nothing may be changed."""

    name = "aws"

    def __getattr__(self, attr: str) -> Any:
        raise AssertionError(f"the target was used ({attr}) although the deploy was refused")


def _never_opened(settings: Any) -> Any:
    raise AssertionError("a SQL session was opened although the deploy was refused")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return write_catalog(tmp_path / "repo")


def _settings(repo: Path, **values: str):
    return resolve_settings({"CARTO_TARGET": "aws", **values}, environ={}, repo_root=repo)


def test_deploy_without_rs_prefix_is_refused_before_anything_changes(repo: Path) -> None:
    settings = _settings(repo)
    assert settings.schema == "carto"
    functions = list(load_catalog(repo).functions)
    with pytest.raises(ConfigError) as info:
        api.deploy(
            functions,
            settings,
            target=Untouchable(),
            sql=True,
            open_sql=_never_opened,
            out=lambda _: None,
        )
    message = str(info.value)
    assert "production schema carto" in message
    assert "RS_PREFIX" in message and "PRODUCTION=1" in message and "production=1" in message


def test_remove_without_rs_prefix_is_refused_too(repo: Path) -> None:
    with pytest.raises(ConfigError, match="production schema carto"):
        api.remove(
            None,
            _settings(repo),
            target=Untouchable(),
            sql=True,
            open_sql=_never_opened,
            out=lambda _: None,
        )


@pytest.mark.parametrize(
    ("values", "schema"),
    [({"PRODUCTION": "1"}, "carto"), ({"RS_PREFIX": "dev_ana_"}, "dev_ana_carto")],
)
def test_production_or_a_prefix_may_write(repo: Path, values: dict, schema: str) -> None:
    settings = _settings(repo, **values)
    assert settings.schema == schema
    settings.check_schema_write()  # no error


def test_a_lambda_only_deploy_is_not_refused(repo: Path) -> None:
    """No Redshift settings and no session: the SQL phase cannot run, so no schema is written."""
    settings = _settings(repo)
    api._check_sql_schema(settings, True, None)
    api._check_sql_schema(settings, True, None, removing=True)
    api._check_sql_schema(settings, False, _never_opened)


def test_cli_deploy_exits_2_with_the_fix(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    from engine.cli import main as cli

    monkeypatch.chdir(repo)
    for key in ("RS_PREFIX", "PRODUCTION", "AWS_PROFILE", "RS_SECRET_ARN", "RS_IAM"):
        monkeypatch.delenv(key, raising=False)
    for key, value in {
        "CARTO_TARGET": "aws",
        "AWS_REGION": "us-east-1",
        "RS_HOST": "example.invalid",
        "RS_DATABASE": "dev",
        "RS_USER": "u",
        "RS_PASSWORD": "p",
        "RS_LAMBDA_INVOKE_ROLE": "arn:aws:iam::123456789012:role/Invoke",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",  # never contacted
    }.items():
        monkeypatch.setenv(key, value)
    assert cli(["deploy", "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "production schema carto" in err and "Traceback" not in err
