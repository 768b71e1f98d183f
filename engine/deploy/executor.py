"""The executor: applies a Plan through a Target. It only applies; the planner decides.

Prerequisites (ENSURE) run first and in order; if one fails, the actions depending on the
target are reported as not attempted. Function actions then run on a bounded pool; one
failure never stops the others, and every outcome says exactly what happened. Clean-ups
(CLEANUP) run last, only when everything before them succeeded.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from engine.build.builder import format_size
from engine.deploy.models import Action, ActionKind, Outcome, Plan, Target
from engine.deploy.planner import action_label

DEFAULT_JOBS = 8


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    # Unexpected exception types are bugs or environment problems: keep where they came from.
    if not isinstance(exc, (RuntimeError, OSError, ValueError)):
        frame = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
        where = f" at {frame[0].filename}:{frame[0].lineno}" if frame else ""
        text = f"{type(exc).__name__}: {text}{where}"
    return text


def apply_one(target: Target, action: Action) -> Outcome:
    start = time.monotonic()
    if not action.kind.mutating:
        return Outcome(action, True, None, 0.0)
    try:
        target.apply(action)
    except Exception as exc:
        return Outcome(action, False, _describe(exc), time.monotonic() - start)
    return Outcome(action, True, None, time.monotonic() - start)


def progress_line(outcome: Outcome) -> str:
    """The one line an applied action prints: what, for which function, size, time, result."""
    action = outcome.action
    size = ""
    if action.desired is not None and action.kind is not ActionKind.UPDATE_CONFIG:
        size = f" {format_size(action.desired.artifact.size)}"
    head = f"  {action.kind.value} {action_label(action)}{size}"
    if outcome.ok:
        return f"{head}: ok ({outcome.seconds:.1f}s)"
    return f"{head}: FAILED ({outcome.seconds:.1f}s): {outcome.error}"


def execute(
    plan: Plan,
    target: Target,
    *,
    jobs: int = DEFAULT_JOBS,
    out: Callable[[str], None] | None = None,
) -> list[Outcome]:
    """Apply every action of `plan`; return one Outcome per action, in plan order."""
    outcomes: dict[int, Outcome] = {}
    prerequisites = [(i, a) for i, a in enumerate(plan.actions) if a.kind is ActionKind.ENSURE]
    last = (ActionKind.ENSURE, ActionKind.CLEANUP)
    rest = [(i, a) for i, a in enumerate(plan.actions) if a.kind not in last]
    cleanups = [(i, a) for i, a in enumerate(plan.actions) if a.kind is ActionKind.CLEANUP]

    failed_prerequisite = None
    for i, action in prerequisites:
        outcomes[i] = apply_one(target, action)
        if not outcomes[i].ok:
            failed_prerequisite = action
            break
    if failed_prerequisite is not None:
        for i, action in prerequisites + rest + cleanups:
            if i not in outcomes:
                outcomes[i] = Outcome(
                    action,
                    not action.kind.mutating,
                    None
                    if not action.kind.mutating
                    else f"not attempted: prerequisite {failed_prerequisite.name} failed",
                )
    else:

        def run(item: tuple[int, Action]) -> tuple[int, Outcome]:
            index, action = item
            outcome = apply_one(target, action)
            if out is not None and action.kind.mutating:
                out(progress_line(outcome))
            return index, outcome

        with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="apply") as pool:
            for index, outcome in pool.map(run, rest):
                outcomes[index] = outcome
        # Clean-ups (a role nothing uses) only once everything before them succeeded.
        failed = next((outcomes[i].action for i, _ in rest if not outcomes[i].ok), None)
        for i, action in cleanups:
            if failed is None:
                outcomes[i] = run((i, action))[1]
            else:
                reason = f"not attempted: {failed.name} failed"
                outcomes[i] = Outcome(action, False, reason)
    return [outcomes[i] for i in range(len(plan.actions))]
