"""`carto-gateway sql`: the rendered SQL of a catalog, with placeholder ARNs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.cli import main

YAML = """\
description: echo
arguments:
- name: geog
  type: geometry
output:
  type: super
clouds:
  redshift:
    type: lambda
    lambda_name: echo
    code_file: code/handler.py
    config:
      max_batch_rows: 250
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    for key in list(os.environ):
        if key.startswith(("RS_", "AWS_", "CARTO_")) or key == "PRODUCTION":
            monkeypatch.delenv(key)
    fdir = tmp_path / "functions" / "geo" / "f_echo"
    (fdir / "code").mkdir(parents=True)
    (fdir / "function.yaml").write_text(YAML)
    (fdir / "code" / "handler.py").write_text(
        "def lambda_handler(event, context):\n    return '{}'\n"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_sql_prints_generated_sql_with_placeholders(repo: Path, capsys) -> None:
    (repo / ".env").write_text("RS_PREFIX=alice_\nAWS_REGION=eu-west-1\n")
    assert main(["sql"]) == 0
    out = capsys.readouterr().out
    assert (
        "-- IAM role: placeholder arn:aws:iam::000000000000:role/set-RS_LAMBDA_INVOKE_ROLE" in out
    )
    assert "-- geo/f_echo: generated from function.yaml" in out
    assert "CREATE OR REPLACE EXTERNAL FUNCTION alice_carto.__F_ECHO(VARCHAR(MAX))" in out
    assert "LAMBDA 'arn:aws:lambda:eu-west-1:000000000000:function:carto-at-echo'" in out
    assert "MAX_BATCH_ROWS 250;" in out
    assert "CREATE OR REPLACE FUNCTION alice_carto.F_ECHO(GEOMETRY)" in out


def test_sql_uses_the_invoke_role_account(repo: Path, capsys) -> None:
    role = "arn:aws:iam::111122223333:role/A,arn:aws:iam::444455556666:role/B"
    (repo / ".env").write_text(f"RS_LAMBDA_INVOKE_ROLE={role}\nRS_LAMBDA_PREFIX=dev-\n")
    assert main(["sql", "--functions", "f_echo"]) == 0
    out = capsys.readouterr().out
    assert "placeholder" not in out.split("\n")[0]
    assert f"IAM_ROLE '{role}'" in out
    assert "function:dev-echo'" in out and ":444455556666:" in out


def test_sql_reports_template_problems(repo: Path, capsys) -> None:
    fdir = repo / "functions" / "geo" / "f_echo"
    (fdir / "code" / "redshift.sql").write_text(
        "CREATE OR REPLACE EXTERNAL FUNCTION @@SCHEMA@@.__F_ECHO(VARCHAR(MAX)) RETURNS"
        " VARCHAR(MAX) STABLE LAMBDA '@@LAMBDA_ARN@@' IAM_ROLE '@@IAM_ROLE@@';\n"
    )
    yaml = (fdir / "function.yaml").read_text()
    (fdir / "function.yaml").write_text(
        yaml.replace(
            "    code_file:", "    external_function_template: code/redshift.sql\n    code_file:"
        )
    )
    assert main(["sql"]) == 2
    err = capsys.readouterr().err
    assert "redshift.sql:1:" in err and "@@IAM_ROLE@@" in err


def test_sql_refuses_an_injecting_prefix(repo: Path, capsys) -> None:
    (repo / ".env").write_text("RS_PREFIX=x;drop_\n")
    assert main(["sql"]) == 2
    assert "schema" in capsys.readouterr().err
