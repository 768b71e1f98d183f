"""Planner and executor over the aws target's reported state (in-process moto)."""

from __future__ import annotations

import boto3
import pytest

from engine.deploy.executor import execute
from engine.deploy.models import ActionKind
from engine.deploy.planner import PlanError, make_plan

pytestmark = pytest.mark.usefixtures("moto")


def plan_for(target, desired, *, prune=False):
    state = target.read_state("t-at-")
    extra = target.extra_actions(desired, state)
    return make_plan(desired, state, target="aws", prefix="t-at-", prune=prune, extra=extra)


def kinds(plan):
    return [(a.kind, a.name) for a in plan.actions]


def test_first_deploy_then_noop_then_one_change(kit, calls) -> None:
    target = kit.target()
    desired = [kit.desired(n) for n in ("alpha", "beta", "gamma")]
    plan = plan_for(target, desired)
    assert kinds(plan) == [
        (ActionKind.ENSURE, "TATLambdaExecutionRole"),
        (ActionKind.CREATE, "t-at-alpha"),
        (ActionKind.CREATE, "t-at-beta"),
        (ActionKind.CREATE, "t-at-gamma"),
    ]
    outcomes = execute(plan, target, jobs=3, out=lambda _: None)
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    assert calls.counts["CreateFunction"] == 3

    # No-op redeploy: planning and applying make zero mutating calls.
    calls.clear()
    calls.forbid_mutating = True
    again = kit.target()
    plan = plan_for(again, [kit.desired(n) for n in ("alpha", "beta", "gamma")])
    assert {a.kind for a in plan.actions} == {ActionKind.SKIP}
    execute(plan, again, jobs=3, out=lambda _: None)
    assert calls.mutating == []
    assert set(calls.counts) == {"ListFunctions", "GetFunction"}
    calls.forbid_mutating = False

    # One changed function: exactly one update.
    desired = [kit.desired("alpha"), kit.desired("beta", body="# v2\n"), kit.desired("gamma")]
    calls.clear()
    plan = plan_for(again, desired)
    assert [a.name for a in plan.mutating] == ["t-at-beta"]
    assert plan.mutating[0].kind is ActionKind.UPDATE_CODE
    outcomes = execute(plan, again, jobs=3, out=lambda _: None)
    assert all(o.ok for o in outcomes)
    assert calls.mutating == ["UpdateFunctionCode", "TagResource"]


def test_partial_failure_reports_it_and_a_rerun_converges(kit, faults) -> None:
    target = kit.target()
    desired = [kit.desired(n) for n in ("alpha", "beta", "gamma")]
    faults.fail("CreateFunction", 1, "AccessDeniedException", "nope", 403, function="t-at-beta")
    outcomes = execute(plan_for(target, desired), target, jobs=3, out=lambda _: None)
    failed = [o for o in outcomes if not o.ok]
    assert [o.action.name for o in failed] == ["t-at-beta"]
    assert "CreateFunction t-at-beta: AccessDeniedException: nope" in failed[0].error
    assert sorted(target.read_state("t-at-")) == ["t-at-alpha", "t-at-gamma"]

    rerun = plan_for(kit.target(), desired)
    assert [(a.kind, a.name) for a in rerun.mutating] == [(ActionKind.CREATE, "t-at-beta")]
    assert all(o.ok for o in execute(rerun, target, out=lambda _: None))
    assert {a.kind for a in plan_for(target, desired).actions} == {ActionKind.SKIP}


def test_crash_between_code_and_tag_redoes_the_update(kit, faults) -> None:
    target = kit.target()
    desired = [kit.desired("alpha")]
    execute(plan_for(target, desired), target, out=lambda _: None)
    changed = [kit.desired("alpha", body="# v2\n")]
    faults.fail("TagResource", 1, "AccessDeniedException", "tagging denied", 403)
    outcomes = execute(plan_for(target, changed), target, out=lambda _: None)
    assert not outcomes[-1].ok
    # The code is new but the digest tag is old: the next plan updates again.
    plan = plan_for(target, changed)
    assert [a.kind for a in plan.mutating] == [ActionKind.UPDATE_CODE]
    assert all(o.ok for o in execute(plan, target, out=lambda _: None))
    assert {a.kind for a in plan_for(target, changed).actions} == {ActionKind.SKIP}


def test_prune_deletes_only_managed_orphans(kit) -> None:
    target = kit.target()
    execute(
        plan_for(target, [kit.desired("alpha"), kit.desired("beta")]), target, out=lambda _: None
    )
    boto3.client("lambda").create_function(
        FunctionName="t-at-handmade",
        Runtime="python3.12",
        Role=target.execution_role_arn(),
        Handler="h.h",
        Code={"ZipFile": kit.desired("z").artifact.path.read_bytes()},
    )
    plan = plan_for(target, [kit.desired("alpha")], prune=True)
    assert [(a.kind, a.name) for a in plan.mutating] == [(ActionKind.DELETE, "t-at-beta")]
    assert all(o.ok for o in execute(plan, target, out=lambda _: None))
    assert sorted(target.read_state("t-at-")) == ["t-at-alpha", "t-at-handmade"]


def test_foreign_function_with_the_same_name_stops_the_plan(kit) -> None:
    target = kit.target()
    role = boto3.client("iam").create_role(RoleName="R", AssumeRolePolicyDocument="{}")
    boto3.client("lambda").create_function(
        FunctionName="t-at-alpha",
        Runtime="python3.12",
        Role=role["Role"]["Arn"],
        Handler="h.h",
        Code={"ZipFile": kit.desired("z").artifact.path.read_bytes()},
    )
    with pytest.raises(PlanError, match="not deployed by carto-gateway"):
        plan_for(target, [kit.desired("alpha")])


def test_config_drift_is_one_config_update(kit, calls) -> None:
    target = kit.target()
    execute(plan_for(target, [kit.desired("alpha")]), target, out=lambda _: None)
    boto3.client("lambda").update_function_configuration(FunctionName="t-at-alpha", Timeout=3)
    plan = plan_for(target, [kit.desired("alpha")])
    (action,) = plan.mutating
    assert action.kind is ActionKind.UPDATE_CONFIG and action.changes == ("timeout",)
    calls.clear()
    execute(plan, target, out=lambda _: None)
    assert calls.mutating == ["UpdateFunctionConfiguration", "TagResource"]


def test_cross_account_permission_on_first_deploy_and_none_after(kit, calls) -> None:
    role = "arn:aws:iam::222222222222:role/RedshiftInvoke"
    target = kit.target(invoke_role=role)
    execute(plan_for(target, [kit.desired("alpha")]), target, out=lambda _: None)
    assert calls.counts["AddPermission"] == 1
    calls.clear()
    calls.forbid_mutating = True
    again = kit.target(invoke_role=role)
    plan = plan_for(again, [kit.desired("alpha")])
    assert plan.mutating == []
