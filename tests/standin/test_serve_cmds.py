"""`carto-gateway serve` and `carto-gateway query` over functions deployed on the local target.

serve: boto3's Lambda client against the command answers what the in-process handler answers.
query: the documented one-liner runs on redshift-local and prints the reference's cell.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator

import boto3
import pytest
import quadbin
from botocore.config import Config

from engine.cli import serve_cmds

from .catalog_glue import REPO, function_by_id
from .conftest import needs_standin

FUNCTIONS = ("quadbin/quadbin_fromlonglat", "quadbin/quadbin_center")
# The command alone (engine.cli's other command modules are not needed to test it).
SERVE = (
    "import argparse, sys\n"
    "from engine.cli import serve_cmds\n"
    "p = argparse.ArgumentParser()\n"
    "serve_cmds.register(p.add_subparsers())\n"
    "a = p.parse_args()\n"
    "sys.exit(a.func(a))\n"
)


@pytest.fixture(scope="module")
def deployed() -> Iterator[str]:
    """The functions deployed on the repository's local target under a prefix of their own."""
    from engine.config import Settings
    from engine.deploy.api import deploy, remove
    from engine.deploy.targets.local.target import LocalTarget

    prefix = f"t14{uuid.uuid4().hex[:6]}-"
    settings = Settings(repo_root=REPO, lambda_prefix=prefix)
    functions = [function_by_id(f) for f in FUNCTIONS]
    target = LocalTarget(REPO / ".carto" / "local")
    try:
        report = deploy(functions, settings, target=target, out=lambda line: None)
        assert report.ok, report.errors
        yield prefix
    finally:
        remove(None, settings, target=target, prefix=prefix, out=lambda line: None)
        target.close()
        shutil.rmtree(target.prefix_dir(prefix), ignore_errors=True)  # the test's own folder


def test_boto3_against_serve_answers_as_the_in_process_handler(deployed):
    from engine.invoke import InProcessInvoker, make_event

    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, "serve", "--port", "0", "--prefix", deployed],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stdout.readline()
        assert first.startswith("Lambda Invoke API on http://127.0.0.1:"), first
        url = first.split()[4]
        client = boto3.client(
            "lambda",
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id="x",
            aws_secret_access_key="x",
            config=Config(retries={"max_attempts": 1}),
        )
        function = function_by_id("quadbin/quadbin_fromlonglat")
        rows = [[-3.7, 40.4, 10], [0.0, 0.0, 0], [None, 1.0, 4], [1.0, 1.0, 27]]
        event = make_event(function, rows)
        answer = client.invoke(
            FunctionName=f"{deployed}{function.lambda_name}", Payload=json.dumps(event)
        )
        served = json.loads(answer["Payload"].read())
        invoker = InProcessInvoker(function, REPO / "functions" / "_shared")
        try:
            expected = invoker.invoke(event)
        finally:
            invoker.close()
        decoded = [json.loads(x) if isinstance(x, str) else x for x in (served, expected)]
        assert decoded[0] == decoded[1]
        assert answer["StatusCode"] == 200 and "FunctionError" not in answer
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0


def run_query(prefix: str, sql: str) -> tuple[int, str, str]:
    args = argparse.Namespace(sql=sql, prefix=prefix, schema="carto", verbose_load=False)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = serve_cmds.cmd_query(args)
    return status, out.getvalue(), err.getvalue()


@needs_standin
def test_query_runs_the_documented_one_liner_on_the_standin(deployed):
    status, out, err = run_query(deployed, "SELECT carto.QUADBIN_FROMLONGLAT(-3.7, 40.4, 10) AS q")
    assert (status, err) == (0, "")
    assert out.splitlines() == ["q", str(quadbin.point_to_cell(-3.7, 40.4, 10))]


@needs_standin
def test_query_reports_the_engines_error(deployed):
    status, out, err = run_query(deployed, "SELECT carto.QUADBIN_FROMLONGLAT(-3.7, 40.4)")
    assert status == 1 and out == ""
    assert "carto.quadbin_fromlonglat(numeric, numeric) does not exist" in err


@needs_standin
def test_deploy_sql_local_loads_the_deployed_sql_into_the_standin(capsys):
    from engine.cli import main

    prefix = f"t14{uuid.uuid4().hex[:6]}-"
    argv = ["deploy", "--target", "local", "--functions", "quadbin_center", "--prefix", prefix]
    try:
        assert main([*argv, "--sql", "local"]) == 0
        out = capsys.readouterr().out
        assert "carto.QUADBIN_CENTER  create" in out
        assert "SQL loaded into redshift-local (PostgreSQL" in out
    finally:  # through the engine: the remove command's options are not this test's subject
        from engine.config import Settings
        from engine.deploy.api import remove
        from engine.deploy.targets.local.target import LocalTarget

        target = LocalTarget(REPO / ".carto" / "local")
        settings = Settings(repo_root=REPO, lambda_prefix=prefix)
        remove(None, settings, target=target, prefix=prefix, out=lambda line: None)
        target.close()
        shutil.rmtree(target.prefix_dir(prefix), ignore_errors=True)  # the test's own folder


def test_deploy_sql_local_needs_the_local_target(capsys):
    from engine.cli import main

    argv = ["deploy", "--target", "aws", "--functions", "quadbin_center", "--sql", "local"]
    assert main(argv) == 2
    assert "--sql local loads what the local target runs" in capsys.readouterr().err
