"""CLI inputs (issue class 14): invoke names, package versions, AWS_REGION, RS_GRANTEES."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.cli import main as cli
from engine.config import ConfigError, resolve_settings
from engine.redshift.settings import Grantee
from tests.package.conftest import write_catalog


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_catalog(tmp_path / "repo")
    monkeypatch.chdir(root)
    for key in ("AWS_REGION", "AWS_DEFAULT_REGION", "CARTO_TARGET", "AWS_PROFILE"):
        monkeypatch.delenv(key, raising=False)
    return root


@pytest.mark.parametrize("name", ["../../../etc/passwd", "..", "a/b", "x" * 65, "a b"])
def test_invoke_refuses_a_name_that_is_not_a_lambda_name(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture, name: str
) -> None:
    event = tmp_path / "event.json"
    event.write_text('{"num_records": 0, "arguments": []}')
    assert cli(["invoke", name, "--event", str(event)]) == 2
    err = capsys.readouterr().err
    assert "not a Lambda function name" in err or "neither a catalog function" in err


@pytest.mark.parametrize("version", ["1.0\n", "1.0\nX", "", "-1", "a" * 65, "1.0 beta"])
def test_package_version_is_checked_first_and_exits_2(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture, version: str
) -> None:
    assert cli(["package", "--version", version, "--out", str(tmp_path / "dist")]) == 2
    assert "must match" in capsys.readouterr().err
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize("region", ["Bad!", "us-east-1\n", "us east 1", "../x"])
def test_bad_aws_region_is_a_config_error(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, region: str
) -> None:
    monkeypatch.setenv("AWS_REGION", region)
    assert cli(["sql"]) == 2
    err = capsys.readouterr().err
    assert "is not an AWS region name" in err and "Traceback" not in err
    with pytest.raises(ConfigError, match="AWS_REGION"):
        resolve_settings({}, environ={"AWS_REGION": region}, repo_root=repo)


@pytest.mark.parametrize("region", ["us-east-1", "eu-central-2", "us-gov-west-1", "cn-north-1"])
def test_real_region_names_are_accepted(repo: Path, region: str) -> None:
    assert resolve_settings({}, environ={"AWS_REGION": region}, repo_root=repo).aws_region == region


def test_grantees_as_the_env_template_writes_them() -> None:
    template = Path(__file__).resolve().parents[2] / ".env.template"
    line = next(x for x in template.read_text().splitlines() if "RS_GRANTEES=" in x)
    value = line.split("=", 1)[1]
    assert value == "group analysts,alice"
    assert Grantee.parse_list(value) == (Grantee("analysts", True), Grantee("alice"))
    assert [g.sql for g in Grantee.parse_list("GROUP ops_team , group:bi,bob")] == [
        "GROUP ops_team",
        "GROUP bi",
        "bob",
    ]
