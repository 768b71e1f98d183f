"""Apply planned SQL actions through one session: one transaction per action."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from engine.deploy.models import Action, ActionKind, Outcome
from engine.redshift.session import SqlSession, SqlStatementError

log = logging.getLogger(__name__)


class SqlApplyError(RuntimeError):
    """An action failed: names the function (or schema) and the statement."""


def _label(action: Action) -> str:
    fid = action.data.get("function_id")
    source = action.data.get("source")
    if source and source != "generated":  # the template the statements were rendered from
        fid = f"{fid}, {source}"
    elif source:
        fid = f"{fid}, generated from function.yaml"
    return f"{action.name} ({fid})" if fid else action.name


def apply_action(action: Action, session: SqlSession) -> None:
    statements = action.data.get("statements") or []
    try:
        session.run_transaction(statements)
    except SqlStatementError as exc:
        raise SqlApplyError(
            f"{_label(action)}: rolled back; statement {exc.index + 1} of {len(statements)}"
            f" failed: {exc.message}\n{str(exc).split(chr(10), 1)[-1]}"
        ) from exc


def apply_sql(actions: Iterable[Action], session: SqlSession) -> list[Outcome]:
    """Run every mutating SQL action; one Outcome per action, in order.

    A failed function is rolled back and reported while the others still run (a rerun
    converges). If the schema setup (ENSURE) fails nothing else can work, so the remaining
    actions are reported as not run.
    """
    outcomes: list[Outcome] = []
    blocked: str | None = None
    for action in actions:
        if action.kind is ActionKind.SKIP:
            outcomes.append(Outcome(action, ok=True))
            continue
        if blocked:
            outcomes.append(Outcome(action, ok=False, error=f"not run: {blocked}"))
            continue
        start = time.monotonic()
        try:
            apply_action(action, session)
        except SqlApplyError as exc:
            log.error("%s", exc)
            outcomes.append(Outcome(action, False, str(exc), time.monotonic() - start))
            if action.kind is ActionKind.ENSURE:
                blocked = f"{action.name} failed"
            continue
        log.info("%s: %s", action.name, action.reason)
        outcomes.append(Outcome(action, True, None, time.monotonic() - start))
    return outcomes
