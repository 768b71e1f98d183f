"""Plans of typed API calls: the dry-run lists every call, and apply makes exactly those.

Calls are recorded through botocore's before-call event on the target's own sessions (the
`calls` fixture), so what is compared is what reached the (moto) API, by operation name.
"""

from __future__ import annotations

import re
from collections import Counter

import boto3
import pytest

from engine.deploy.api import deploy
from engine.deploy.models import ApiCall, FileBytes, format_call

from .conftest import make_artifact, make_function

pytestmark = pytest.mark.usefixtures("moto")

# "    lambda:CreateFunction FunctionName='t-at-alpha' ... [then wait function_active_v2]"
CALL_LINE = re.compile(r"^\s+(?P<service>[a-z0-9]+):(?P<operation>[A-Z]\w+)\b")
WAIT = re.compile(r"\[then wait (?P<waiter>\w+)\]")


def _functions(root, names):
    functions = [make_function(root, n) for n in names]
    artifacts = {f.id: make_artifact(f, root / "dist") for f in functions}
    return functions, artifacts


def _planned(lines: list[str]) -> Counter[str]:
    """The operations a dry-run lists, each waiter counted as one poll of its operation
    (moto's functions and roles are ready at once), the operation read from botocore's model."""
    planned: Counter[str] = Counter()
    for line in lines:
        m = CALL_LINE.match(line)
        if m is None:
            continue
        planned[m["operation"]] += 1
        w = WAIT.search(line)
        if w:
            client = boto3.client(m["service"], region_name="us-east-1")
            planned[client.get_waiter(w["waiter"]).config.operation] += 1
    return planned


def test_dry_run_lists_every_call_and_deploy_makes_exactly_them(kit, calls, tmp_path) -> None:
    functions, artifacts = _functions(tmp_path, ("alpha", "beta"))
    settings = kit.settings(repo_root=tmp_path)

    shown: list[str] = []
    report = deploy(
        functions,
        settings,
        target=kit.target(),
        artifacts=artifacts,
        dry_run=True,
        out=shown.append,
    )
    assert report.ok and report.dry_run
    assert calls.mutating == []  # a dry-run changes nothing
    planning_reads = Counter(calls.operations)
    planned = _planned(shown)
    assert planned["CreateFunction"] == 2
    assert {"CreateRole", "AttachRolePolicy"} <= set(planned)
    assert "ZipFile=<zip " in "\n".join(shown)  # the code is shown by size, never as bytes

    calls.clear()
    applied: list[str] = []
    report = deploy(
        functions, settings, target=kit.target(), artifacts=artifacts, out=applied.append
    )
    assert report.ok, [o.error for o in report.failures]
    assert Counter(calls.operations) == planning_reads + planned
    # What apply printed before applying is the same list of calls as the dry-run's.
    assert [ln for ln in applied if CALL_LINE.match(ln)] == [
        ln for ln in shown if CALL_LINE.match(ln)
    ]


def test_noop_redeploy_is_one_listing_and_no_mutating_call(kit, calls, tmp_path) -> None:
    functions, artifacts = _functions(tmp_path, ("alpha", "beta", "gamma"))
    settings = kit.settings(repo_root=tmp_path)
    assert deploy(functions, settings, target=kit.target(), artifacts=artifacts, out=print).ok

    calls.clear()
    calls.forbid_mutating = True
    shown: list[str] = []
    report = deploy(functions, settings, target=kit.target(), artifacts=artifacts, out=shown.append)
    assert report.ok
    # One listing, then each function's tags (ownership), and not one mutating call.
    assert calls.counts == {"ListFunctions": 1, "GetFunction": 3}
    assert calls.operations[0] == "ListFunctions"
    assert not [ln for ln in shown if CALL_LINE.match(ln)]


def test_display_masks_code_and_secrets(tmp_path) -> None:
    zip_path = tmp_path / "a.zip"
    zip_path.write_bytes(b"PK" + b"\0" * 10)
    call = ApiCall(
        "lambda",
        "CreateFunction",
        {
            "FunctionName": "f",
            "Code": {"ZipFile": FileBytes(zip_path, 12)},
            "Environment": {"Variables": {"TOKEN": "s3cr3t"}},
        },
        subject="f",
        wait="function_active_v2",
    )
    text = format_call(call)
    assert text.startswith("lambda:CreateFunction FunctionName='f'")
    assert "<zip 12 bytes" in text and "PK" not in text
    assert "s3cr3t" not in text and "TOKEN=***" in text
    assert text.endswith("[then wait function_active_v2]")
