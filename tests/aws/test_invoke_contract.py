"""`invoke` says "not a Redshift response" (exit 1) when an answer lacks the contract
(issue 20, item 6): unit cases, then moto without Docker, which echoes the request."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.cli import main
from engine.invoke.redshift_check import contract_problem

EVENT = {"request_id": "r", "num_records": 1, "arguments": [[7]]}
FUNCTION_YAML = """\
description: echo
arguments:
  - name: value
    type: bigint
output:
  type: bigint
clouds:
  redshift:
    type: lambda
    code_file: code/handler.py
"""
HANDLER = """\
import json


def lambda_handler(event, context):
    rows = event["arguments"]
    return json.dumps({"success": True, "num_records": len(rows), "results": [r[0] for r in rows]})
"""


@pytest.mark.parametrize(
    "payload",
    [
        {"success": True, "num_records": 1, "results": [7]},
        json.dumps(json.dumps({"success": True, "results": [None]})),  # encoded twice
        {"success": False, "error_msg": "row 1: out of range"},  # a failure is a response
    ],
)
def test_responses_keeping_the_contract_pass(payload: object) -> None:
    assert contract_problem(EVENT, payload) is None


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        (EVENT, "neither 'success' nor 'results' (its keys: arguments, num_records, request_id)"),
        ({"errorMessage": "boom", "errorType": "KeyError"}, "the Lambda failed (KeyError: boom)"),
        ({"success": True, "results": [1, 2]}, "2 results for 1 rows"),
        ({"success": "maybe", "results": [1]}, "'success' is 'maybe', not a boolean"),
        ("Simple Lambda happy path OK", "not valid JSON"),
        ("[1]", "not a JSON object"),
    ],
)
def test_answers_without_the_contract_are_named(payload: object, fragment: str) -> None:
    problem = contract_problem(EVENT, payload)
    assert problem is not None
    assert problem.startswith("not a Redshift response: ")
    assert fragment in problem


def _post(url: str, body: dict) -> None:
    request = urllib.request.Request(
        url, json.dumps(body).encode(), {"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status in (200, 201)


@pytest.fixture(scope="module")
def moto_server() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moto_server: str, aws_env: None) -> Path:
    # As the README says: moto must load AWS managed policies for the first deploy.
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    _post(f"{moto_server}/moto-api/reset", {})
    _post(f"{moto_server}/moto-api/config", {"lambda": {"use_docker": False}})
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
    d = tmp_path / "functions" / "demo" / "echo"
    (d / "code").mkdir(parents=True)
    (tmp_path / "functions" / "_shared").mkdir()
    (d / "function.yaml").write_text(FUNCTION_YAML)
    (d / "code" / "handler.py").write_text(HANDLER)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CARTO_TARGET", "aws")
    monkeypatch.setenv("RS_LAMBDA_PREFIX", "ct-at-")
    for key in ("CARTO_RUNTIME", "RS_PREFIX", "PRODUCTION", "RS_PASSWORD"):
        monkeypatch.delenv(key, raising=False)
    return tmp_path


def test_an_echo_is_not_a_redshift_response(repo: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["deploy"]) == 0
    capsys.readouterr()
    assert main(["invoke", "echo", "--args", "[[7]]"]) == 1
    err = capsys.readouterr().err
    assert "not a Redshift response: it has neither 'success' nor 'results'" in err


def test_a_wrong_result_count_is_not_a_redshift_response(
    repo: Path, moto_server: str, capsys: pytest.CaptureFixture
) -> None:
    assert main(["deploy"]) == 0
    response = json.dumps({"success": True, "results": [7, 8]})
    _post(
        f"{moto_server}/moto-api/static/lambda-simple/response",
        {"results": [response], "region": "us-east-1", "account_id": "123456789012"},
    )
    capsys.readouterr()
    assert main(["invoke", "echo", "--args", "[[7]]"]) == 1
    assert "not a Redshift response: response has 2 results for 1 rows" in capsys.readouterr().err
