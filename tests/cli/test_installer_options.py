"""scripts/install.py: without a terminal it needs --yes and says so; it takes the Redshift
settings the CLI reads (IAM, the Data API, grantees, cluster or workgroup) as flags."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pytest

from engine.config import resolve_settings
from engine.redshift import missing_settings

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def installer():
    spec = importlib.util.spec_from_file_location("install_script", REPO / "scripts" / "install.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_without_a_terminal_or_yes_it_says_to_pass_yes(installer, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal
    monkeypatch.setattr("builtins.input", lambda _: pytest.fail("prompted"))
    # The checksums are checked first (their own tests build packages): taken as matching here.
    monkeypatch.setattr(installer, "verify_package", lambda root, skip=(): [])
    monkeypatch.setattr(installer, "_import_engine", lambda root: pytest.fail("engine imported"))
    assert installer.main(["--lambda-only"], environ={}) == installer.EXIT_REFUSED
    captured = capsys.readouterr()
    assert "pass --yes" in captured.err and "no terminal" in captured.err
    assert "cancelled" not in captured.err + captured.out


def test_iam_grantees_and_cluster_come_from_flags(installer, monkeypatch):
    monkeypatch.setattr(installer.getpass, "getpass", lambda _: pytest.fail("prompted"))
    args = installer.parse_args(
        [
            "--yes",
            "--iam",
            "--cluster-id",
            "analytics",
            "--grantees",
            "alice,GROUP analysts",
            "--user",
            "deployer",
            "--database",
            "dev",
            "--aws-region",
            "eu-west-1",
            "--invoke-role",
            "arn:aws:iam::123456789012:role/RedshiftInvoke",
        ]
    )
    sources: dict[str, str] = {}
    values = installer.gather(args, REPO, {}, sources)
    assert values["RS_IAM"] == "1" and sources["RS_IAM"] == "flag --iam"
    assert values["RS_CLUSTER_ID"] == "analytics"
    assert values["RS_GRANTEES"] == "alice,GROUP analysts"
    assert "RS_PASSWORD" not in values
    # What install.py's run() does with them: the engine's Redshift settings are complete.
    settings = resolve_settings(
        {**values, "CARTO_TARGET": "aws"}, environ={}, repo_root=REPO, dotenv=False
    )
    assert missing_settings(settings) == []


@pytest.mark.parametrize(
    ("argv", "environ", "key", "value"),
    [
        (["--data-api"], {}, "RS_DATA_API", "1"),
        ([], {"RS_DATA_API": "true"}, "RS_DATA_API", "true"),
        ([], {"RS_IAM": "1"}, "RS_IAM", "1"),
    ],
)
def test_no_password_prompt_with_iam_or_the_data_api(
    installer, monkeypatch, argv, environ, key, value
):
    monkeypatch.setattr(installer.getpass, "getpass", lambda _: pytest.fail("password asked"))
    asked: list[str] = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "")
    values = installer.gather(installer.parse_args(argv), REPO, environ)
    assert asked  # the other interactive prompts still ran
    assert values[key] == value and "RS_PASSWORD" not in values


def test_a_password_is_still_asked_for_without_them(installer, monkeypatch):
    monkeypatch.setattr(installer.getpass, "getpass", lambda _: "s3cret")
    monkeypatch.setattr("builtins.input", lambda _: "")
    values = installer.gather(installer.parse_args([]), REPO, {})
    assert values["RS_PASSWORD"] == "s3cret"


def test_no_ssl_and_lambda_only(installer):
    values = installer.gather(installer.parse_args(["--yes", "--no-ssl"]), REPO, {})
    assert values["RS_SSL"] == "0"
    values = installer.gather(
        installer.parse_args(["--yes", "--lambda-only", "--iam", "--grantees", "bob"]), REPO, {}
    )
    assert "RS_IAM" not in values and "RS_GRANTEES" not in values  # no SQL phase
