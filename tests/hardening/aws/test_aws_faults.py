"""Deploy and state (issue class 13), on in-process moto with injected faults: a throttled
poll inside a waiter does not fail a change that succeeded, a foreign same-named Lambda fails
that function alone, and ownership is the tag wherever it is checked."""

from __future__ import annotations

import boto3
import pytest

from engine.deploy.api import NOT_MANAGED, deploy, status
from engine.deploy.models import Action, ActionKind
from engine.deploy.targets.aws import AwsTargetError
from engine.deploy.targets.aws.target import function_description

pytestmark = pytest.mark.usefixtures("moto")

PREFIX = "t-at-"
RATE = ("TooManyRequestsException", "Rate exceeded")


def _create(target, d) -> None:
    for action in target.extra_actions([d], {}):
        target.apply(action)
    target.apply(Action(ActionKind.CREATE, d.deployed_name, "new", d, None, (), {"prefix": PREFIX}))


def _deploy(kit, names, **kw):
    desired = [kit.desired(n, **kw) for n in names]
    lines: list[str] = []
    report = deploy(
        [d.function for d in desired],
        kit.settings(),
        target=kit.target(),
        artifacts={d.function.id: d.artifact for d in desired},
        out=lines.append,
    )
    return report, lines


def _foreign(kit, name: str, description: str = "made by hand") -> None:
    """A Lambda this tool did not create (no tags), whose zip is byte for byte ours."""
    target = kit.target()
    for action in target.extra_actions([kit.desired("foreign")], {}):
        target.apply(action)  # the execution role it borrows
    boto3.client("lambda").create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=target.execution_role_arn(),
        Handler="handler.lambda_handler",
        Code={"ZipFile": kit.desired("foreign").artifact.path.read_bytes()},
        Description=description,
    )


def test_a_throttled_poll_in_the_active_waiter_does_not_fail_the_create(kit, faults) -> None:
    target = kit.target()
    faults.fail("GetFunction", 3, *RATE, status=429, function="t-at-alpha")
    _create(target, kit.desired("alpha"))  # no error
    assert faults.seen["GetFunction"] >= 4  # three throttled polls, then the real answer
    assert len(kit.sleeps.delays) == 3
    assert target.read_state(PREFIX)["t-at-alpha"].managed


def test_a_throttled_poll_after_an_update_is_waited_out_too(kit, faults) -> None:
    target = kit.target()
    _create(target, kit.desired("alpha"))
    state = target.read_state(PREFIX)
    d2 = kit.desired("alpha", body="# v2\n")
    faults.fail(
        "GetFunction", 2, "ThrottlingException", "Rate exceeded", 400, function="t-at-alpha"
    )
    target.apply(
        Action(
            ActionKind.UPDATE_CODE,
            d2.deployed_name,
            "x",
            d2,
            state["t-at-alpha"],
            ("digest",),
            {"prefix": PREFIX},
        )
    )
    assert target.read_state(PREFIX)["t-at-alpha"].digest == d2.artifact.digest


def test_endless_throttling_in_a_waiter_gives_up_with_a_clear_error(kit, faults) -> None:
    target = kit.target()
    faults.fail("GetFunction", 100, *RATE, status=429, function="t-at-alpha")
    with pytest.raises(AwsTargetError, match="t-at-alpha did not become ready"):
        _create(target, kit.desired("alpha"))
    assert len(kit.sleeps.delays) == target.backoff.attempts - 1  # bounded


def test_a_real_waiter_failure_is_not_retried(kit, faults) -> None:
    """Only transient poll errors are waited out: an access error fails at once."""
    target = kit.target()
    faults.fail("GetFunction", 1, "AccessDeniedException", "no", 403, function="t-at-alpha")
    with pytest.raises(AwsTargetError, match="did not become ready"):
        _create(target, kit.desired("alpha"))
    assert kit.sleeps.delays == []


def test_a_foreign_same_named_lambda_fails_that_function_alone(kit) -> None:
    _foreign(kit, "t-at-beta")
    report, lines = _deploy(kit, ["alpha", "beta", "gamma"])
    assert not report.ok and not report.errors  # nothing "not built"
    by_name = {o.action.name: o for o in report.outcomes}
    assert {n for n, o in by_name.items() if o.ok} == {"t-at-alpha", "t-at-gamma"}
    assert "t-at-beta already exists" in (by_name["t-at-beta"].error or "")
    assert "not deployed by carto-gateway" in (by_name["t-at-beta"].error or "")
    assert report.counts() == {"created": 2, "failed": 1}
    assert "not built" not in lines[-1] and lines[-1].startswith("deploy FAILED")
    got = boto3.client("lambda").get_function(FunctionName="t-at-beta")
    assert got["Configuration"]["Description"] == "made by hand" and not got.get("Tags")
    # A rerun converges for the others and keeps refusing the foreign one.
    again, _ = _deploy(kit, ["alpha", "beta", "gamma"])
    assert again.counts() == {"unchanged": 2, "failed": 1}


def test_a_forged_marker_without_tags_is_not_managed_anywhere(kit) -> None:
    """The Description marker is no ownership: deploy fails that function, status says
    'not managed', the same answer from both."""
    forged = function_description("alpha test function", PREFIX, "mod/alpha")
    _foreign(kit, "t-at-alpha", description=forged)
    report, _ = _deploy(kit, ["alpha"])
    [outcome] = report.outcomes
    assert not outcome.ok and "not deployed by carto-gateway" in (outcome.error or "")
    assert report.counts() == {"failed": 1}

    d = kit.desired("alpha")
    rows = status([d.function], kit.settings(), target=kit.target())
    assert [(r.deployed_name, r.status) for r in rows] == [("t-at-alpha", NOT_MANAGED)]
    state = kit.target().read_state(PREFIX, {d.deployed_name: _expected(d)})
    assert not state["t-at-alpha"].managed


def _expected(d):
    from engine.deploy.models import ExpectedCode

    return ExpectedCode(d.artifact.code_sha256(), d.artifact.digest, d.function.id)
