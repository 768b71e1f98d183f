"""`carto-gateway build/deploy/invoke/status/remove` exit codes and output, on a tiny catalog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.cli import main

FUNCTION_YAML = """\
description: Echo the first argument.
arguments:
  - name: value
    type: bigint
output:
  type: bigint
clouds:
  redshift:
    type: lambda
    code_file: code/handler.py
    config:
      timeout: 5
"""

HANDLER = """\
import json


def lambda_handler(event, context):
    rows = event["arguments"]
    return json.dumps({"success": True, "num_records": len(rows), "results": [r[0] for r in rows]})
"""


@pytest.fixture
def catalog_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    fn = tmp_path / "functions" / "demo" / "echo"
    (fn / "code").mkdir(parents=True)
    (tmp_path / "functions" / "_shared").mkdir()
    (fn / "function.yaml").write_text(FUNCTION_YAML)
    (fn / "code" / "handler.py").write_text(HANDLER)
    (fn / "README.md").write_text("# echo\n")
    monkeypatch.chdir(tmp_path)
    for key in ("CARTO_TARGET", "RS_LAMBDA_PREFIX", "CARTO_RUNTIME"):
        monkeypatch.delenv(key, raising=False)
    return tmp_path


def test_build_prints_a_table(catalog_repo, capsys):
    assert main(["build"]) == 0
    out = capsys.readouterr().out
    assert "demo/echo" in out and "1 built, 0 failed" in out
    assert (catalog_repo / ".carto" / "build" / "demo" / "echo.zip").is_file()


def test_deploy_invoke_status_remove(catalog_repo, capsys):
    args = ["--target", "local", "--prefix", "cli-"]
    assert main(["deploy", "--dry-run", *args]) == 0
    assert "create  demo/echo -> cli-echo" in capsys.readouterr().out
    assert not (catalog_repo / ".carto" / "local").exists()

    assert main(["deploy", *args]) == 0
    assert "deploy ok: 1 created" in capsys.readouterr().out
    assert main(["deploy", *args]) == 0
    assert "deploy ok: 1 unchanged" in capsys.readouterr().out

    assert main(["invoke", "echo", "--args", "[[7], [8]]", *args]) == 0
    response = json.loads(capsys.readouterr().out)
    assert response["results"] == [7, 8]

    event = catalog_repo / "event.json"
    event.write_text(json.dumps({"num_records": 1, "arguments": [[3]]}))
    assert main(["invoke", "cli-echo", "--event", str(event), *args]) == 0
    assert json.loads(capsys.readouterr().out)["results"] == [3]

    assert main(["status", *args]) == 0
    out = capsys.readouterr().out
    assert "cli-echo" in out and "deployed" in out

    assert main(["remove", "--yes", *args]) == 0
    assert "deleted" in capsys.readouterr().out
    assert main(["invoke", "echo", "--args", "[[1]]", *args]) == 1
    assert "not deployed" in capsys.readouterr().err


def test_bad_input_exits_2(catalog_repo, capsys):
    assert main(["invoke", "echo", "--args", "{not json"]) == 2
    assert main(["invoke", "nope", "--args", "[[1]]"]) == 2
    assert "--event" in capsys.readouterr().err
    assert main(["build", "--functions", "missing"]) == 2
    (catalog_repo / "functions" / "demo" / "echo" / "function.yaml").write_text(
        "description: x\nbogus: 1\n"
    )
    assert main(["deploy"]) == 2
    assert "function.yaml" in capsys.readouterr().err


def test_failed_function_exits_1(catalog_repo, capsys):
    req = catalog_repo / "functions" / "demo" / "echo" / "code" / "requirements.txt"
    req.write_text("carto-gateway-no-such-package-zz==9.9.9\n")
    text = (catalog_repo / "functions" / "demo" / "echo" / "function.yaml").read_text()
    text = text.replace(
        "    code_file:", "    requirements_file: code/requirements.txt\n    code_file:"
    )
    (catalog_repo / "functions" / "demo" / "echo" / "function.yaml").write_text(text)
    assert main(["build"]) == 1
    assert "pip could not install" in capsys.readouterr().err
    assert main(["deploy", "--prefix", "cli-"]) == 1
