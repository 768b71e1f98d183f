"""The planner: desired state vs what the target reports -> Plan. It only computes.

Decisions per function: create (absent), update-code (digest differs), update-config (only
configuration differs), skip (both equal). Deployed functions nobody asked for are deleted
only when pruning, and only when this tool deployed them (managed). A function of the same
name that this tool did not deploy is never touched: planning stops with an error instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from engine.build.artifact import Artifact
from engine.build.builder import effective_config
from engine.catalog.model import Function
from engine.deploy.models import (
    Action,
    ActionKind,
    Deployed,
    Desired,
    Plan,
    Target,
    format_call,
)
from engine.naming import lambda_function_name

# The configuration keys compared between desired and deployed state.
CONFIG_KEYS = ("memory_size", "timeout", "runtime", "architecture", "handler")


class PlanError(RuntimeError):
    """The plan cannot be made safely; nothing was changed."""


def desired_state(
    function: Function, artifact: Artifact, prefix: str, runtime: str | None = None
) -> Desired:
    config = effective_config(function, runtime)
    return Desired(
        function=function,
        artifact=artifact,
        deployed_name=lambda_function_name(prefix, function),
        config={
            "memory_size": config.memory_size,
            "timeout": config.timeout,
            "runtime": config.runtime,
            "architecture": config.architecture,
            "handler": f"{function.handler_module}.lambda_handler",
        },
    )


def config_changes(desired: Desired, deployed: Deployed) -> tuple[str, ...]:
    return tuple(k for k in CONFIG_KEYS if desired.config.get(k) != deployed.config.get(k))


def _decide(desired: Desired, deployed: Deployed | None, prefix: str) -> Action:
    data = {"prefix": prefix, "function_id": desired.function.id}
    name = desired.deployed_name
    if deployed is None:
        return Action(ActionKind.CREATE, name, "not deployed yet", desired, None, (), data)
    changes = config_changes(desired, deployed)
    if deployed.digest != desired.artifact.digest:
        short = (deployed.digest or "none")[:12]
        reason = f"code changed ({short} -> {desired.artifact.digest[:12]})"
        if changes:
            reason += f"; config changed: {', '.join(changes)}"
        return Action(
            ActionKind.UPDATE_CODE, name, reason, desired, deployed, ("digest", *changes), data
        )
    if changes:
        detail = ", ".join(
            f"{k} {deployed.config.get(k)!r} -> {desired.config[k]!r}" for k in changes
        )
        return Action(
            ActionKind.UPDATE_CONFIG,
            name,
            f"config changed: {detail}",
            desired,
            deployed,
            changes,
            data,
        )
    return Action(ActionKind.SKIP, name, "unchanged", desired, deployed, (), data)


FOREIGN = "foreign"  # Action.data key: a function of that name this tool did not deploy


def make_plan(
    desired: Iterable[Desired],
    state: dict[str, Deployed],
    *,
    target: str,
    prefix: str,
    prune: bool = False,
    keep: Iterable[str] = (),
    extra: Iterable[Action] = (),
    report_foreign: bool = False,
) -> Plan:
    """Compare desired with reported state. `keep`: deployed names never pruned (e.g. functions
    whose build failed this run). `extra`: target prerequisites, placed first.
    `report_foreign`: a same-named function this tool did not deploy becomes a SKIP marked
    FOREIGN (for status) instead of stopping the plan."""
    wanted = sorted(desired, key=lambda d: d.deployed_name)
    problems = []
    seen: dict[str, str] = {}
    foreign = set()
    for d in wanted:
        if d.deployed_name in seen:
            problems.append(
                f"{d.function.id} and {seen[d.deployed_name]} both deploy as {d.deployed_name}; "
                "give one of them another lambda_name"
            )
        seen[d.deployed_name] = d.function.id
        current = state.get(d.deployed_name)
        if current is not None and not current.managed:
            foreign.add(d.deployed_name)
            problems.append(
                f"{d.deployed_name} already exists on the {target} target but was not deployed "
                "by carto-gateway; remove it by hand or choose another RS_LAMBDA_PREFIX"
            )
    if problems and not (report_foreign and len(problems) == len(foreign)):
        raise PlanError("\n".join(problems))

    actions = list(extra)
    for d in wanted:
        deployed = state.get(d.deployed_name)
        if d.deployed_name in foreign:
            data = {"prefix": prefix, "function_id": d.function.id, FOREIGN: True}
            reason = "not deployed by carto-gateway"
            actions.append(Action(ActionKind.SKIP, d.deployed_name, reason, d, deployed, (), data))
        else:
            actions.append(_decide(d, deployed, prefix))
    if prune:
        keep_names = set(keep) | set(seen)
        for name in sorted(state):
            deployed = state[name]
            if name in keep_names or not deployed.managed:
                continue
            actions.append(
                Action(
                    ActionKind.DELETE,
                    name,
                    f"no longer in the catalog (was {deployed.function_id or 'unknown'})",
                    None,
                    deployed,
                    (),
                    {"prefix": prefix, "function_id": deployed.function_id},
                )
            )
    return Plan(target=target, prefix=prefix, actions=actions)


def removal_plan(
    state: dict[str, Deployed],
    names: Iterable[str] | None,
    *,
    target: str,
    prefix: str,
) -> tuple[Plan, list[str]]:
    """DELETE actions for `names` (every managed function when None). Returns the plan and
    notes about names left alone (absent or not managed)."""
    notes = []
    chosen = sorted(state) if names is None else sorted(set(names))
    actions = []
    for name in chosen:
        deployed = state.get(name)
        if deployed is None:
            notes.append(f"{name}: not deployed under prefix {prefix!r}; nothing to remove")
            continue
        if not deployed.managed:
            notes.append(f"{name}: not deployed by carto-gateway; left alone")
            continue
        actions.append(
            Action(
                ActionKind.DELETE,
                name,
                "removal requested",
                None,
                deployed,
                (),
                {"prefix": prefix, "function_id": deployed.function_id},
            )
        )
    return Plan(target=target, prefix=prefix, actions=actions), notes


def with_calls(plan: Plan, target: Target) -> Plan:
    """The plan with every mutating action spelt out as the target's calls (reads only)."""
    actions, problems = [], []
    for action in plan.actions:
        try:
            actions.append(replace(action, calls=tuple(target.calls(action))))
        except (RuntimeError, ValueError) as exc:
            problems.append(f"{action.name}: {exc}")
    if problems:
        raise PlanError("\n".join(problems))
    return Plan(plan.target, plan.prefix, actions)


def action_label(action: Action) -> str:
    """`quadbin/quadbin_center -> carto-at-qb_cntr` for a function's action (the catalog id
    first: what the user knows it by), the bare name for prerequisites and unknown orphans."""
    function_id = action.data.get("function_id")
    if function_id is None and action.desired is not None:
        function_id = action.desired.function.id
    return f"{function_id} -> {action.name}" if function_id else action.name


def format_plan(plan: Plan) -> list[str]:
    """One line per action, then one per call it makes: what dry-run shows and what deploy
    prints before applying exactly those calls."""
    lines = [f"plan for target {plan.target}, prefix {plan.prefix!r}:"]
    width = max((len(a.kind.value) for a in plan.actions), default=6)
    for action in plan.actions:
        lines.append(f"  {action.kind.value:<{width}}  {action_label(action)}  ({action.reason})")
        lines += [f"      {format_call(call)}" for call in action.calls]
    counts = {k: len(plan.by_kind(k)) for k in ActionKind if plan.by_kind(k)}
    summary = ", ".join(f"{n} {k.value}" for k, n in counts.items()) or "nothing to do"
    lines.append(f"  => {summary}")
    return lines
