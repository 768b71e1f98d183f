"""read_state and the Description marker (in-process moto): ownership is the managed tag, read
through GetFunction for every listed function; the marker is for people and proves nothing."""

from __future__ import annotations

import dataclasses

import boto3
import pytest

from engine.deploy.executor import execute
from engine.deploy.models import MANAGED_TAG, ActionKind, ExpectedCode
from engine.deploy.planner import PlanError, make_plan
from engine.deploy.targets.aws.target import DESCRIPTION_LIMIT, function_description, parse_marker

pytestmark = pytest.mark.usefixtures("moto")

PREFIX = "t-at-"


def expected(desired):
    return {
        d.deployed_name: ExpectedCode(d.artifact.code_sha256(), d.artifact.digest, d.function.id)
        for d in desired
    }


def plan_for(target, desired, *, hint=True, prune=False):
    state = target.read_state(PREFIX, expected(desired) if hint else None)
    extra = target.extra_actions(desired, state)
    return make_plan(desired, state, target="aws", prefix=PREFIX, prune=prune, extra=extra)


def deploy_all(kit, desired, **settings):
    target = kit.target(**settings)
    outcomes = execute(plan_for(target, desired), target, jobs=3, out=lambda _: None)
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    return target


def describe(name):
    return boto3.client("lambda").get_function(FunctionName=name)["Configuration"]["Description"]


def foreign(kit, name, *, description="", tags=None, body=""):
    """A function this tool did not create; with body="" its zip is byte for byte the one of
    any kit.desired(...) without a body."""
    lam = boto3.client("lambda")
    lam.create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=kit.target().execution_role_arn(),
        Handler="handler.lambda_handler",
        Code={"ZipFile": kit.desired("foreign", body=body).artifact.path.read_bytes()},
        Description=description,
        Tags=tags or {},
    )


def test_noop_redeploy_is_one_listing_and_reads_only(kit, calls) -> None:
    names = ("alpha", "beta", "gamma")
    deploy_all(kit, [kit.desired(n) for n in names])
    calls.clear()
    calls.forbid_mutating = True
    again = kit.target()
    desired = [kit.desired(n) for n in names]
    plan = plan_for(again, desired)
    assert {a.kind for a in plan.actions} == {ActionKind.SKIP}
    execute(plan, again, jobs=3, out=lambda _: None)
    assert calls.counts == {"ListFunctions": 1, "GetFunction": 3}  # the tags of each
    # The hint changes nothing: the same answer as the read without it.
    hinted = again.read_state(PREFIX, expected(desired))
    full = again.read_state(PREFIX)
    for name in full:
        assert hinted[name].managed and hinted[name].digest == full[name].digest
        assert hinted[name].function_id == full[name].function_id
        assert hinted[name].config == full[name].config


def test_changed_code_is_read_through_its_tags_and_updated(kit, calls) -> None:
    deploy_all(kit, [kit.desired("alpha"), kit.desired("beta")])
    desired = [kit.desired("alpha"), kit.desired("beta", body="# v2\n")]
    target = kit.target()
    calls.clear()
    plan = plan_for(target, desired)
    assert calls.counts == {"ListFunctions": 1, "GetFunction": 2}
    assert [(a.kind, a.name) for a in plan.mutating] == [(ActionKind.UPDATE_CODE, "t-at-beta")]
    calls.clear()
    assert all(o.ok for o in execute(plan, target, out=lambda _: None))
    assert calls.mutating == ["UpdateFunctionCode", "TagResource"]
    assert plan_for(kit.target(), desired).mutating == []


def test_config_change_is_planned_from_the_tags(kit, calls) -> None:
    deploy_all(kit, [kit.desired("alpha")])
    target = kit.target()
    desired = [kit.desired("alpha", memory=1024)]
    plan = plan_for(target, desired)
    (action,) = plan.mutating
    assert action.kind is ActionKind.UPDATE_CONFIG and action.deployed.extra["tags_read"]
    calls.clear()
    assert all(o.ok for o in execute(plan, target, out=lambda _: None))
    assert calls.mutating == ["UpdateFunctionConfiguration", "TagResource"]
    assert parse_marker(describe("t-at-alpha")) == (PREFIX, "mod/alpha", False)


def test_forged_marker_with_other_code_is_not_trusted(kit, calls) -> None:
    deploy_all(kit, [kit.desired("seed")])
    forged = function_description("looks like ours", PREFIX, "mod/alpha")
    foreign(kit, "t-at-alpha", description=forged, body="# not ours\n")
    calls.clear()
    with pytest.raises(PlanError, match="not deployed by carto-gateway"):
        plan_for(kit.target(), [kit.desired("seed"), kit.desired("alpha")])
    assert calls.counts["GetFunction"] == 2  # the tags of both


def test_forged_marker_with_the_same_code_is_not_ours_either(kit) -> None:
    deploy_all(kit, [kit.desired("seed")])
    forged = function_description("looks like ours", PREFIX, "mod/alpha")
    foreign(kit, "t-at-alpha", description=forged)
    target = kit.target()
    for desired in (kit.desired("alpha"), kit.desired("alpha", memory=1024)):
        state = target.read_state(PREFIX, expected([desired]))
        assert not state["t-at-alpha"].managed and state["t-at-alpha"].digest is None
        with pytest.raises(PlanError, match="not deployed by carto-gateway"):
            plan_for(target, [desired])
    got = boto3.client("lambda").get_function(FunctionName="t-at-alpha")["Configuration"]
    assert got["MemorySize"] != 1024 and got["Description"] == forged


def test_marker_of_another_prefix_or_function_is_not_trusted(kit, calls) -> None:
    deploy_all(kit, [kit.desired("seed")])
    foreign(kit, "t-at-alpha", description=function_description("x", "t-", "mod/alpha"))
    foreign(kit, "t-at-beta", description=function_description("x", PREFIX, "mod/alpha"))
    calls.clear()
    state = kit.target().read_state(
        PREFIX, expected([kit.desired(n) for n in ("seed", "alpha", "beta")])
    )
    assert calls.counts["GetFunction"] == 3
    assert not state["t-at-alpha"].managed and not state["t-at-beta"].managed


def test_unmanaged_function_is_left_alone_and_reported(kit, calls) -> None:
    from engine.deploy.planner import removal_plan

    deploy_all(kit, [kit.desired("alpha")])
    foreign(kit, "t-at-handmade", description="made by hand")
    target = kit.target()
    desired = [kit.desired("alpha")]
    state = target.read_state(PREFIX, expected(desired))
    assert state["t-at-alpha"].managed
    assert not state["t-at-handmade"].managed and state["t-at-handmade"].digest is None
    calls.clear()
    calls.forbid_mutating = True
    assert plan_for(target, desired, prune=True).mutating == []
    plan, notes = removal_plan(state, None, target="aws", prefix=PREFIX)
    assert [a.name for a in plan.actions] == ["t-at-alpha"]
    assert notes == ["t-at-handmade: not deployed by carto-gateway; left alone"]


def test_failed_function_is_read_in_full(kit, monkeypatch, calls) -> None:
    deploy_all(kit, [kit.desired("alpha")])
    target = kit.target()
    lam = target.clients("lambda")
    real = lam.list_functions

    def listing(**kw):
        got = real(**kw)
        for f in got["Functions"]:
            f["LastUpdateStatus"] = "Failed"
        return got

    monkeypatch.setattr(lam, "list_functions", listing)
    calls.clear()
    state = target.read_state(PREFIX, expected([kit.desired("alpha")]))
    assert state["t-at-alpha"].digest is None and calls.counts["GetFunction"] == 1


def test_create_sets_the_marker(kit) -> None:
    deploy_all(kit, [kit.desired("alpha")])
    text = describe("t-at-alpha")
    assert text == "alpha test function [carto-gateway t-at- mod/alpha]"
    assert parse_marker(text) == (PREFIX, "mod/alpha", False)


def test_long_description_is_cut_to_the_limit_and_keeps_the_marker() -> None:
    text = function_description("word " * 200, PREFIX, "module/name")
    assert len(text) <= DESCRIPTION_LIMIT
    assert text.endswith("... [carto-gateway t-at- module/name]")
    assert parse_marker(text) == (PREFIX, "module/name", False)
    # An empty description is the marker alone; no room at all means no marker.
    assert function_description("", PREFIX, "m/n") == "[carto-gateway t-at- m/n]"
    assert parse_marker(function_description("x", PREFIX, "m/" + "n" * 300)) is None


def test_long_description_on_a_real_create(kit) -> None:
    d = kit.desired("alpha")
    function = dataclasses.replace(d.function, description="long " * 100)
    deploy_all(kit, [dataclasses.replace(d, function=function)])
    text = describe("t-at-alpha")
    assert len(text) <= DESCRIPTION_LIMIT and parse_marker(text) == (PREFIX, "mod/alpha", False)


def test_function_without_marker_gets_it_with_its_next_update(kit, calls) -> None:
    deploy_all(kit, [kit.desired("alpha")])
    lam = boto3.client("lambda")
    lam.update_function_configuration(FunctionName="t-at-alpha", Description="older tool")
    calls.clear()
    calls.forbid_mutating = True
    plan = plan_for(kit.target(), [kit.desired("alpha")])
    assert plan.mutating == [] and calls.counts["GetFunction"] == 1  # no call just for it
    calls.forbid_mutating = False
    desired = [kit.desired("alpha", body="# v2\n")]
    target = kit.target()
    calls.clear()
    assert all(o.ok for o in execute(plan_for(target, desired), target, out=lambda _: None))
    assert calls.mutating == ["UpdateFunctionCode", "UpdateFunctionConfiguration", "TagResource"]
    assert parse_marker(describe("t-at-alpha")) == (PREFIX, "mod/alpha", False)
    calls.clear()
    assert plan_for(kit.target(), desired).mutating == []
    assert calls.counts == {"ListFunctions": 1, "GetFunction": 1}


def test_cross_account_functions_are_always_read_in_full(kit, calls) -> None:
    role = "arn:aws:iam::222222222222:role/RedshiftInvoke"
    deploy_all(kit, [kit.desired("alpha")], invoke_role=role)
    assert parse_marker(describe("t-at-alpha")) == (PREFIX, "mod/alpha", True)
    calls.clear()
    calls.forbid_mutating = True
    assert plan_for(kit.target(invoke_role=role), [kit.desired("alpha")]).mutating == []
    assert calls.counts["GetFunction"] == 1
    calls.forbid_mutating = False
    # Back to a same-account role: the stale permission is still seen and removed.
    plan = plan_for(kit.target(), [kit.desired("alpha")])
    assert [a.kind for a in plan.mutating] == [ActionKind.ENSURE]


def test_permission_added_later_flags_the_marker_first(kit, calls) -> None:
    deploy_all(kit, [kit.desired("alpha")])
    role = "arn:aws:iam::222222222222:role/RedshiftInvoke"
    target = kit.target(invoke_role=role)
    plan = plan_for(target, [kit.desired("alpha")])
    assert [a.kind for a in plan.mutating] == [ActionKind.ENSURE]
    calls.clear()
    assert all(o.ok for o in execute(plan, target, out=lambda _: None))
    ops = calls.mutating
    assert ops.index("UpdateFunctionConfiguration") < ops.index("AddPermission")
    assert parse_marker(describe("t-at-alpha")) == (PREFIX, "mod/alpha", True)
    assert plan_for(kit.target(invoke_role=role), [kit.desired("alpha")]).mutating == []


def test_foreign_function_under_the_prefix_with_managed_tag_elsewhere(kit) -> None:
    deploy_all(kit, [kit.desired("alpha")])
    foreign(kit, "t-at-x-deeper", tags={MANAGED_TAG: "t-at-x-"})
    state = kit.target().read_state(PREFIX, expected([kit.desired("alpha")]))
    assert state["t-at-alpha"].managed and not state["t-at-x-deeper"].managed
