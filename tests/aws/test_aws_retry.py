"""Retries, waiters and uploads: the failure modes moto does not simulate, injected."""

from __future__ import annotations

import io
import random

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.response import StreamingBody

from engine.deploy.models import Action, ActionKind
from engine.deploy.targets.aws import AwsTargetError
from engine.deploy.targets.aws import session as aws_session
from engine.deploy.targets.aws.retry import Backoff
from engine.invoke import InvocationError

pytestmark = pytest.mark.usefixtures("moto")

IN_PROGRESS = (
    "The operation cannot be performed at this time. An update is in progress for resource: "
    "arn:aws:lambda:us-east-1:123456789012:function:t-at-alpha"
)
NOT_ASSUMABLE = "The role defined for the function cannot be assumed by Lambda."


def create_action(target, d):
    return Action(ActionKind.CREATE, d.deployed_name, "new", d, None, (), {"prefix": "t-at-"})


def update_code_action(d, deployed, changes):
    return Action(
        ActionKind.UPDATE_CODE, d.deployed_name, "x", d, deployed, changes, {"prefix": "t-at-"}
    )


def deploy(target, d):
    for action in target.extra_actions([d], {}):
        target.apply(action)
    target.apply(create_action(target, d))


def test_update_retries_resource_conflict(kit, faults, calls) -> None:
    target = kit.target()
    deploy(target, kit.desired("alpha"))
    state = target.read_state("t-at-")
    d2 = kit.desired("alpha", body="# v2\n", memory=1024)
    faults.fail("UpdateFunctionCode", 2, "ResourceConflictException", IN_PROGRESS)
    faults.fail("UpdateFunctionConfiguration", 1, "ResourceConflictException", IN_PROGRESS)
    calls.clear()
    target.apply(update_code_action(d2, state["t-at-alpha"], ("digest", "memory_size")))
    assert calls.counts["UpdateFunctionCode"] == 3  # two conflicts, then the real call
    assert calls.counts["UpdateFunctionConfiguration"] == 2
    assert len(kit.sleeps.delays) == 3
    assert kit.sleeps.delays[1] >= kit.sleeps.delays[0] / 2  # grows (with jitter)
    assert target.read_state("t-at-")["t-at-alpha"].digest == d2.artifact.digest


def test_throttling_is_retried_everywhere(kit, faults, calls) -> None:
    target = kit.target()
    deploy(target, kit.desired("alpha"))
    faults.fail("ListFunctions", 1, "TooManyRequestsException", "Rate exceeded", status=429)
    faults.fail("GetFunction", 1, "TooManyRequestsException", "Rate exceeded", status=429)
    faults.fail("TagResource", 1, "ThrottlingException", "Rate exceeded", status=400)
    state = target.read_state("t-at-")
    assert state["t-at-alpha"].managed
    d2 = kit.desired("alpha", body="# v2\n")
    target.apply(update_code_action(d2, state["t-at-alpha"], ("digest",)))
    assert calls.counts["ListFunctions"] == 2 and calls.counts["TagResource"] == 2
    assert len(kit.sleeps.delays) == 3  # one per injected throttle


def test_retry_budget_is_bounded(kit, faults) -> None:
    target = kit.target()
    deploy(target, kit.desired("alpha"))
    state = target.read_state("t-at-")
    d2 = kit.desired("alpha", body="# v2\n")
    faults.fail("UpdateFunctionCode", 100, "ResourceConflictException", IN_PROGRESS)
    with pytest.raises(AwsTargetError, match="UpdateFunctionCode t-at-alpha: ResourceConflict"):
        target.apply(update_code_action(d2, state["t-at-alpha"], ("digest",)))
    assert faults.seen["UpdateFunctionCode"] == target.backoff.attempts
    # The failed update left the old digest: a rerun would redo it.
    assert target.read_state("t-at-")["t-at-alpha"].digest != d2.artifact.digest


def test_create_waits_for_iam_propagation(kit, faults, calls) -> None:
    target = kit.target()
    d = kit.desired("alpha")
    for action in target.extra_actions([d], {}):
        target.apply(action)
    faults.fail("CreateFunction", 3, "InvalidParameterValueException", NOT_ASSUMABLE, 400)
    target.apply(create_action(target, d))
    assert calls.counts["CreateFunction"] == 4
    assert len(kit.sleeps.delays) == 3
    assert "t-at-alpha" in target.read_state("t-at-")


def test_iam_propagation_gives_up_with_a_clear_error(kit, faults) -> None:
    target = kit.target()
    d = kit.desired("alpha")
    for action in target.extra_actions([d], {}):
        target.apply(action)
    faults.fail("CreateFunction", 50, "InvalidParameterValueException", NOT_ASSUMABLE, 400)
    with pytest.raises(AwsTargetError, match="cannot be assumed"):
        target.apply(create_action(target, d))
    assert faults.seen["CreateFunction"] == target.role_backoff.attempts


def test_other_errors_are_not_retried(kit, faults) -> None:
    target = kit.target()
    d = kit.desired("alpha")
    deploy(target, d)
    # A duplicate create is a real conflict, not an update in progress.
    with pytest.raises(AwsTargetError, match="already exist"):
        target.apply(create_action(target, d))
    faults.fail("UpdateFunctionCode", 1, "AccessDeniedException", "not authorized", 403)
    state = target.read_state("t-at-")
    with pytest.raises(AwsTargetError, match="AccessDenied"):
        target.apply(update_code_action(d, state["t-at-alpha"], ("digest",)))
    assert faults.seen["UpdateFunctionCode"] == 1
    assert kit.sleeps.delays == []


def test_waiter_polls_until_active(kit, monkeypatch) -> None:
    import botocore.waiter

    waits: list[float] = []
    monkeypatch.setattr(botocore.waiter.time, "sleep", waits.append)
    pending = {"n": 2}

    def pending_first(model, **_):
        if model.name == "GetFunction" and pending["n"]:
            pending["n"] -= 1
            return AWSResponse("https://x", 200, {}, None), {
                "Configuration": {"State": "Pending", "FunctionName": "t-at-alpha"}
            }
        return None

    aws_session.add_hook("before-call", pending_first)
    try:
        target = kit.target()
        deploy(target, kit.desired("alpha"))
    finally:
        aws_session.remove_hook("before-call", pending_first)
    assert pending["n"] == 0 and waits == [1, 1]


def test_waiter_failure_names_the_reason(kit, monkeypatch) -> None:
    def failed(model, **_):
        if model.name == "GetFunction":
            return AWSResponse("https://x", 200, {}, None), {
                "Configuration": {"State": "Failed", "StateReason": "InvalidZipFileException"}
            }
        return None

    aws_session.add_hook("before-call", failed)
    try:
        target = kit.target()
        with pytest.raises(AwsTargetError, match="InvalidZipFileException"):
            deploy(target, kit.desired("alpha"))
    finally:
        aws_session.remove_hook("before-call", failed)


def test_failed_function_reports_no_digest(kit, monkeypatch) -> None:
    target = kit.target()
    deploy(target, kit.desired("alpha"))

    lam = target.clients("lambda")
    real = lam.list_functions

    def listing(**kw):
        got = real(**kw)
        for f in got["Functions"]:
            f["LastUpdateStatus"] = "Failed"
        return got

    monkeypatch.setattr(lam, "list_functions", listing)
    assert target.read_state("t-at-")["t-at-alpha"].digest is None


def test_large_artifact_goes_through_s3(kit, calls) -> None:
    boto3.client("s3").create_bucket(Bucket="artifacts")
    target = kit.target(s3_bucket="artifacts")
    target.direct_upload_limit = 10  # every test zip is "large"
    d = kit.desired("alpha")
    deploy(target, d)
    keys = [o["Key"] for o in boto3.client("s3").list_objects_v2(Bucket="artifacts")["Contents"]]
    assert keys == [f"carto-gateway/t-at-alpha/{d.artifact.digest}.zip"]
    assert calls.counts["PutObject"] == 1
    assert boto3.client("lambda").get_function(FunctionName="t-at-alpha")
    # Same digest again (e.g. a config-less rerun of the update): the upload is reused.
    state = target.read_state("t-at-")
    calls.clear()
    target.apply(update_code_action(d, state["t-at-alpha"], ("digest",)))
    assert calls.counts["PutObject"] == 0 and calls.counts["HeadObject"] == 1


def test_large_artifact_without_bucket_says_what_to_do(kit) -> None:
    target = kit.target()
    target.direct_upload_limit = 10
    with pytest.raises(AwsTargetError, match="set CARTO_S3_BUCKET"):
        deploy(target, kit.desired("alpha"))


def test_invoke_function_error(kit) -> None:
    target = kit.target()
    deploy(target, kit.desired("alpha"))

    def crash(model, **_):
        if model.name == "Invoke":
            body = b'{"errorType": "ValueError", "errorMessage": "bad row"}'
            return AWSResponse("https://x", 200, {}, None), {
                "StatusCode": 200,
                "FunctionError": "Unhandled",
                "Payload": StreamingBody(io.BytesIO(body), len(body)),
            }
        return None

    aws_session.add_hook("before-call", crash)
    try:
        target = kit.target()
        with pytest.raises(InvocationError, match="ValueError: bad row"):
            target.invoke("t-at-alpha", {"num_records": 0, "arguments": []})
    finally:
        aws_session.remove_hook("before-call", crash)


def test_backoff_bounds() -> None:
    b = Backoff(base=0.5, cap=4.0, rng=random.Random(1))
    for attempt in range(10):
        d = min(4.0, 0.5 * 2**attempt)
        assert d / 2 <= b.delay(attempt) <= d
