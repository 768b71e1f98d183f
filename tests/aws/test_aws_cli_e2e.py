"""End to end: `carto-gateway` (in-process) against a moto server started on a free port."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from engine.cli import main
from engine.deploy.models import DIGEST_TAG, FUNCTION_TAG, MANAGED_TAG

PREFIX = "e2e-at-"
FUNCTION_YAML = """\
description: {description}
arguments:
  - name: value
    type: bigint
output:
  type: bigint
clouds:
  redshift:
    type: lambda
    code_file: code/handler.py
{extra}    config:
      timeout: 5
"""
HANDLER = """\
import json


def lambda_handler(event, context):
    rows = event["arguments"]
    return json.dumps({"success": True, "num_records": len(rows), "results": [r[0] for r in rows]})
"""
FUNCTIONS = {  # id -> lambda_name (None: the function name)
    "demo/echo": None,
    "demo/twice": "tw",
    "geo/area": None,
}


def _post(url: str, body: dict) -> None:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
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
def endpoint(moto_server, aws_env, _managed_policies, monkeypatch) -> str:
    from moto.iam import models

    monkeypatch.setattr(models, "aws_managed_policies_data", _managed_policies)
    # The server's config API has no IAM switch; its environment variable is read per reset.
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    _post(f"{moto_server}/moto-api/reset", {})
    _post(f"{moto_server}/moto-api/config", {"lambda": {"use_docker": False}})
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
    return moto_server


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, endpoint: str) -> Path:
    (tmp_path / "functions" / "_shared").mkdir(parents=True)
    for fid, lambda_name in FUNCTIONS.items():
        write_function(tmp_path, fid, lambda_name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CARTO_TARGET", "aws")
    monkeypatch.setenv("RS_LAMBDA_PREFIX", PREFIX)
    for key in ("CARTO_RUNTIME", "RS_PREFIX", "PRODUCTION", "RS_PASSWORD"):
        monkeypatch.delenv(key, raising=False)
    return tmp_path


def write_function(root: Path, fid: str, lambda_name: str | None = None) -> Path:
    d = root / "functions" / fid
    (d / "code").mkdir(parents=True, exist_ok=True)
    extra = f"    lambda_name: {lambda_name}\n" if lambda_name else ""
    (d / "function.yaml").write_text(FUNCTION_YAML.format(description=fid, extra=extra))
    (d / "code" / "handler.py").write_text(HANDLER)
    (d / "README.md").write_text(f"# {fid}\n")
    return d


def lambdas(endpoint: str | None = None) -> dict[str, dict]:
    lam = boto3.client("lambda", endpoint_url=endpoint)
    out = {}
    for page in lam.get_paginator("list_functions").paginate():
        for f in page["Functions"]:
            if f["FunctionName"].startswith(PREFIX):
                out[f["FunctionName"]] = {
                    **f,
                    "Tags": lam.list_tags(Resource=f["FunctionArn"])["Tags"],
                }
    return out


def built_digests(root: Path) -> dict[str, str]:
    from engine.build.builder import build_all
    from engine.catalog.loader import load_catalog

    catalog = load_catalog(root)
    report = build_all(list(catalog.functions), catalog.shared_root, root=root)
    return {o.function.id: o.artifact.digest for o in report.outcomes}


EXPECTED_NAMES = {"demo/echo": "e2e-at-echo", "demo/twice": "e2e-at-tw", "geo/area": "e2e-at-area"}


def test_dry_run_deploy_noop_change_status_remove(repo, calls, capsys) -> None:
    # Dry run on a fresh endpoint: a plan, and not one mutating call.
    calls.forbid_mutating = True
    assert main(["deploy", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "create  demo/echo -> e2e-at-echo" in out and "dry run: nothing was changed" in out
    assert calls.mutating == [] and lambdas() == {}

    # First deploy: one Lambda per function, documented names, digest tags.
    calls.forbid_mutating = False
    assert main(["deploy"]) == 0
    out = capsys.readouterr().out
    assert "deploy ok" in out and "3 created" in out
    deployed = lambdas()
    assert sorted(deployed) == sorted(EXPECTED_NAMES.values())
    digests = built_digests(repo)
    for fid, name in EXPECTED_NAMES.items():
        tags = deployed[name]["Tags"]
        assert tags[MANAGED_TAG] == PREFIX and tags[FUNCTION_TAG] == fid
        assert tags[DIGEST_TAG] == digests[fid]
        assert deployed[name]["Handler"] == "handler.lambda_handler"
        assert deployed[name]["Timeout"] == 5
        assert deployed[name]["Role"].endswith(":role/E2eATLambdaExecutionRole")
    assert calls.counts["CreateFunction"] == 3

    # No-op redeploy: zero mutating calls.
    calls.clear()
    calls.forbid_mutating = True
    assert main(["deploy"]) == 0
    assert "3 unchanged" in capsys.readouterr().out
    assert calls.mutating == []
    calls.forbid_mutating = False

    # One changed function: exactly one update.
    handler = repo / "functions" / "demo" / "twice" / "code" / "handler.py"
    handler.write_text(HANDLER + "# twice, edited\n")
    calls.clear()
    assert main(["deploy"]) == 0
    out = capsys.readouterr().out
    assert "1 updated" in out and "2 unchanged" in out
    assert calls.mutating == ["UpdateFunctionCode", "TagResource"]
    assert lambdas()["e2e-at-tw"]["Tags"][DIGEST_TAG] == built_digests(repo)["demo/twice"]

    # Status: every function in sync.
    calls.clear()
    calls.forbid_mutating = True
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "3 in sync" in out
    for name in EXPECTED_NAMES.values():
        assert any(line.startswith(name) and "in sync" in line for line in out.splitlines())
    calls.forbid_mutating = False

    # Remove: nothing of ours is left; a function we did not deploy is left alone.
    lam = boto3.client("lambda")
    lam.create_function(
        FunctionName="e2e-at-handmade",
        Runtime="python3.12",
        Role=deployed["e2e-at-echo"]["Role"],
        Handler="h.h",
        Code={"ZipFile": (repo / ".carto" / "build" / "demo" / "echo.zip").read_bytes()},
    )
    assert main(["remove", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "e2e-at-handmade: not deployed by carto-gateway; left alone" in out
    assert sorted(lambdas()) == ["e2e-at-handmade"]


def test_status_changed_missing_orphaned_and_prune(repo, capsys) -> None:
    assert main(["deploy"]) == 0
    (repo / "functions" / "geo" / "area" / "code" / "handler.py").write_text(HANDLER + "#\n")
    write_function(repo, "geo/perimeter")
    shutil.rmtree(repo / "functions" / "demo" / "twice")
    capsys.readouterr()
    assert main(["status"]) == 0
    lines = capsys.readouterr().out.splitlines()

    def row(name: str) -> str:
        return next(line for line in lines if line.startswith(name + " "))

    assert "in sync" in row("e2e-at-echo")
    assert "changed (code)" in row("e2e-at-area")
    assert "missing" in row("e2e-at-perimeter")
    assert "orphaned" in row("e2e-at-tw")

    # --functions limits removal; --prune removes the orphan only.
    assert main(["remove", "--yes", "--functions", "echo"]) == 0
    assert "e2e-at-echo" not in lambdas()
    assert main(["remove", "--yes", "--prune"]) == 0
    assert sorted(lambdas()) == ["e2e-at-area"]
    assert main(["deploy", "--prune"]) == 0
    assert sorted(lambdas()) == ["e2e-at-area", "e2e-at-echo", "e2e-at-perimeter"]


def test_diff_deploys_only_changed_functions(repo, calls, capsys) -> None:
    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.email=t@t", "-c", "user.name=t", *args],
            cwd=repo,
            check=True,
            capture_output=True,
        )

    git("init", "-q", "-b", "main")
    git("add", ".")
    git("commit", "-qm", "catalog")
    assert main(["deploy"]) == 0
    (repo / "functions" / "geo" / "area" / "code" / "handler.py").write_text(HANDLER + "#\n")
    # A change that builds differently but is not in git would be deployed without --diff.
    calls.clear()
    capsys.readouterr()
    assert main(["deploy", "--diff"]) == 0
    out = capsys.readouterr().out
    assert "--diff: 1 function(s) changed against HEAD" in out
    assert calls.mutating == ["UpdateFunctionCode", "TagResource"]
    assert main(["deploy", "--diff", "--prune"]) == 2


def test_invoke_decodes_the_lambda_payload(repo, endpoint, capsys) -> None:
    assert main(["deploy"]) == 0
    response = json.dumps({"success": True, "num_records": 1, "results": [7]})
    _post(
        f"{endpoint}/moto-api/static/lambda-simple/response",
        {"results": [json.dumps(response)], "region": "us-east-1", "account_id": "123456789012"},
    )
    capsys.readouterr()
    assert main(["invoke", "echo", "--args", "[[7]]"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "success": True,
        "num_records": 1,
        "results": [7],
    }


def test_secrets_never_appear_in_output(repo, monkeypatch, capsys, caplog) -> None:
    secrets = {
        "AWS_SECRET_ACCESS_KEY": "aws-secret-DO-NOT-PRINT-1",
        "AWS_SESSION_TOKEN": "aws-session-token-DO-NOT-PRINT-2",
        "RS_PASSWORD": "redshift-password-DO-NOT-PRINT-3",
    }
    for key, value in secrets.items():
        monkeypatch.setenv(key, value)
    caplog.set_level(logging.DEBUG)
    assert main(["-v", "deploy"]) == 0
    assert main(["-v", "deploy", "--dry-run"]) == 0
    assert main(["-v", "status"]) == 0
    captured = capsys.readouterr()
    text = captured.out + captured.err + caplog.text
    assert "e2e-at-echo" in text  # output was captured at all
    for value in secrets.values():
        assert value not in text


def test_endpoint_from_dotenv_and_config_errors(repo, endpoint, monkeypatch, capsys) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    (repo / ".env").write_text(f"AWS_ENDPOINT_URL={endpoint}\n")
    assert main(["deploy"]) == 0
    assert len(lambdas(endpoint)) == 3
    capsys.readouterr()
    # Too long a prefix: refused before anything is built, exit code 2, with the fix.
    assert main(["deploy", "--prefix", "p" * 60]) == 2
    err = capsys.readouterr().err
    assert "the limit is 64" in err and "RS_LAMBDA_PREFIX" in err
    # Keys only in .env are refused rather than silently replaced by another identity.
    (repo / ".env").write_text(f"AWS_ENDPOINT_URL={endpoint}\nAWS_ACCESS_KEY_ID=AKIAFROMFILE\n")
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    assert main(["deploy"]) == 2
    assert "export them" in capsys.readouterr().err


REPO = Path(__file__).resolve().parents[2]


def test_real_catalog_deploys_and_redeploys_without_changes(
    endpoint, tmp_path, monkeypatch, calls, capsys
) -> None:
    """The project's own catalog (copied, so .carto/ of the checkout is untouched)."""
    from engine.catalog.loader import CatalogError, load_catalog

    shutil.copytree(
        REPO / "functions",
        tmp_path / "functions",
        ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"),
    )
    try:
        catalog = load_catalog(tmp_path)
    except CatalogError as exc:  # the catalog is edited concurrently; its own tests report it
        pytest.skip(f"catalog does not load: {exc}")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CARTO_TARGET", "aws")
    monkeypatch.setenv("RS_LAMBDA_PREFIX", "cat-at-")
    for key in ("CARTO_RUNTIME", "RS_HOST", "RS_WORKGROUP", "RS_CLUSTER_ID"):
        monkeypatch.delenv(key, raising=False)
    assert main(["deploy"]) == 0, capsys.readouterr()
    names = {f"cat-at-{f.lambda_name}" for f in catalog.functions if f.has_lambda}  # SQL-only: none
    lam = boto3.client("lambda")
    deployed = {f["FunctionName"] for f in lam.list_functions()["Functions"]}
    assert names <= deployed
    calls.clear()
    calls.forbid_mutating = True
    assert main(["deploy"]) == 0
    assert f"{len(names)} unchanged" in capsys.readouterr().out
    assert calls.mutating == []


ROLE = "E2eATLambdaExecutionRole"  # naming.execution_role_name(PREFIX)


def _role_exists(name: str) -> bool:
    iam = boto3.client("iam")
    try:
        iam.get_role(RoleName=name)
    except iam.exceptions.NoSuchEntityException:
        return False
    return True


def test_remove_deletes_the_role_it_created_once_unused(repo, capsys) -> None:
    assert main(["deploy"]) == 0
    assert _role_exists(ROLE)
    # Removing one function leaves the others using the role: it stays.
    assert main(["remove", "--yes", "--functions", "echo"]) == 0
    assert _role_exists(ROLE)
    capsys.readouterr()
    assert main(["remove", "--yes"]) == 0
    out = capsys.readouterr().out
    assert lambdas() == {}
    assert not _role_exists(ROLE)
    assert f"iam:DeleteRole RoleName='{ROLE}'" in out


def test_remove_never_deletes_a_role_it_did_not_create(repo) -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    iam = boto3.client("iam")
    iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(trust))
    assert main(["deploy"]) == 0
    assert main(["remove", "--yes"]) == 0
    assert lambdas() == {}
    assert _role_exists(ROLE)


CASES = """\
test_cases:
  - name: one
    inputs: [1]
    expected: 1
"""


def _plugin_run(repo: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    import os
    import sys

    (repo / "functions" / "demo" / "echo" / "tests" / "unit").mkdir(parents=True)
    (repo / "functions" / "demo" / "echo" / "tests" / "unit" / "cases.yaml").write_text(CASES)
    command = [sys.executable, "-m", "pytest", "functions", "--deploy", "--target", "aws"]
    command += ["-q", "-n", "0", "-p", "no:cacheprovider", "-m", "not carto_contract", *extra]
    return subprocess.run(
        command, cwd=repo, env=dict(os.environ), capture_output=True, text=True, timeout=300
    )


def _run_leftovers() -> tuple[list[str], list[str]]:
    lam, iam = boto3.client("lambda"), boto3.client("iam")
    functions = [f["FunctionName"] for f in lam.list_functions()["Functions"]]
    roles = [r["RoleName"] for r in iam.list_roles()["Roles"]]
    return (
        [f for f in functions if f.startswith("pt")],
        [r for r in roles if r.startswith("Pt")],
    )


def test_plugin_deploy_run_leaves_nothing_behind(repo) -> None:
    result = _plugin_run(repo)
    assert "one[aws]" in result.stdout + result.stderr or "passed" in result.stdout, (
        result.stdout[-3000:] + result.stderr[-3000:]
    )
    assert _run_leftovers() == ([], [])
    # The developer's own prefix was never touched either.
    assert lambdas() == {}


def test_plugin_keep_says_what_was_kept_and_how_to_remove_it(repo, capsys) -> None:
    result = _plugin_run(repo, "--keep")
    kept_functions, kept_roles = _run_leftovers()
    assert len(kept_functions) == 1 and len(kept_roles) == 1
    line = next(ln for ln in result.stdout.splitlines() if "carto-gateway remove" in ln)
    assert "--keep: kept" in result.stdout and kept_roles[0] in result.stdout
    # The printed command removes exactly what was kept.
    words = line.split()
    env_prefix, args = words[0], words[2:]
    assert env_prefix.startswith("RS_PREFIX=pt")
    assert main(args) == 0
    assert _run_leftovers() == ([], [])
