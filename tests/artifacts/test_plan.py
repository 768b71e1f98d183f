"""Planner decisions and executor behaviour, on plain data and a fake target."""

from __future__ import annotations

import pytest

from engine.build.artifact import Artifact
from engine.deploy.executor import execute
from engine.deploy.models import Action, ActionKind, Deployed
from engine.deploy.planner import PlanError, desired_state, format_plan, make_plan, removal_plan


def _desired(make_function, name="echo", digest="a" * 64, **config):
    fn = make_function(name, **config)
    artifact = Artifact(fn.id, fn.code_file, digest, 10, 20, False)
    return desired_state(fn, artifact, "p-")


def _deployed(desired, digest=None, managed=True, **config):
    return Deployed(
        desired.deployed_name,
        digest or desired.artifact.digest,
        {**desired.config, **config},
        desired.function.id,
        managed,
    )


def _kinds(plan):
    return {a.name: a.kind for a in plan.actions}


def test_each_decision(make_function):
    new = _desired(make_function, "new")
    same = _desired(make_function, "same")
    code = _desired(make_function, "code")
    conf = _desired(make_function, "conf", timeout=30)
    state = {
        "p-same": _deployed(same),
        "p-code": _deployed(code, digest="b" * 64),
        "p-conf": _deployed(conf, timeout=60),
        "p-gone": Deployed("p-gone", "c" * 64, {}, "demo/gone", True),
        "p-foreign": Deployed("p-foreign", None, {}, None, False),
    }
    plan = make_plan([new, same, code, conf], state, target="local", prefix="p-")
    assert _kinds(plan) == {
        "p-new": ActionKind.CREATE,
        "p-same": ActionKind.SKIP,
        "p-code": ActionKind.UPDATE_CODE,
        "p-conf": ActionKind.UPDATE_CONFIG,
    }
    conf_action = next(a for a in plan.actions if a.name == "p-conf")
    assert conf_action.changes == ("timeout",) and "60 -> 30" in conf_action.reason

    pruned = make_plan([new, same, code, conf], state, target="local", prefix="p-", prune=True)
    assert _kinds(pruned)["p-gone"] is ActionKind.DELETE
    assert "p-foreign" not in _kinds(pruned)  # never deleted: not ours
    kept = make_plan([new], state, target="local", prefix="p-", prune=True, keep=["p-gone"])
    assert "p-gone" not in _kinds(kept)
    assert "2 skip" not in format_plan(plan)[-1] and "1 skip" in format_plan(plan)[-1]


def test_unmanaged_function_of_the_same_name_stops_the_plan(make_function):
    d = _desired(make_function)
    with pytest.raises(PlanError, match="not deployed by carto-gateway"):
        make_plan([d], {d.deployed_name: _deployed(d, managed=False)}, target="t", prefix="p-")


def test_two_functions_one_name_stops_the_plan(make_function):
    a = _desired(make_function, "a", lambda_name="same")
    b = _desired(make_function, "b", lambda_name="same")
    with pytest.raises(PlanError, match="both deploy as p-same"):
        make_plan([a, b], {}, target="t", prefix="p-")


def test_removal_plan_only_touches_managed():
    state = {
        "p-a": Deployed("p-a", "x", {}, "m/a", True),
        "p-b": Deployed("p-b", "x", {}, None, False),
    }
    plan, notes = removal_plan(state, None, target="t", prefix="p-")
    assert [a.name for a in plan.actions] == ["p-a"]
    assert any("p-b" in n and "left alone" in n for n in notes)


class FlakyTarget:
    name = "fake"

    def __init__(self, fail: set[str]):
        self.fail = fail
        self.applied: list[str] = []

    def apply(self, action):
        if action.name in self.fail:
            raise RuntimeError(f"cannot {action.kind.value} {action.name}")
        self.applied.append(action.name)


def test_executor_reports_each_failure_and_keeps_going(make_function):
    ds = [_desired(make_function, n) for n in ("a", "b", "c")]
    plan = make_plan(ds, {}, target="fake", prefix="p-")
    target = FlakyTarget({"p-b"})
    outcomes = execute(plan, target, jobs=2)
    assert [(o.action.name, o.ok) for o in outcomes] == [
        ("p-a", True),
        ("p-b", False),
        ("p-c", True),
    ]
    assert outcomes[1].error == "cannot create p-b"
    assert sorted(target.applied) == ["p-a", "p-c"]


def test_failed_prerequisite_stops_function_actions(make_function):
    ds = [_desired(make_function, "a")]
    ensure = Action(ActionKind.ENSURE, "role", "needed")
    plan = make_plan(ds, {}, target="fake", prefix="p-", extra=[ensure])
    outcomes = execute(plan, FlakyTarget({"role"}))
    assert not outcomes[0].ok
    assert outcomes[1].error == "not attempted: prerequisite role failed"
