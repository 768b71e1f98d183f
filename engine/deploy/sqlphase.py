"""Phase 2 of a deploy: the Redshift SQL in front of the deployed Lambdas.

Runs only when the Redshift settings are complete and the functions live on AWS (external
functions call Lambda ARNs); otherwise it says which settings are missing and the deploy is
Lambda-only.

The SQL runs through a session (`engine.redshift.SqlSession`: run_transaction, query,
close). `open_session` is the seam: by default a Redshift connection or the Data API from the
settings; any object with those methods (a DB-API connection wrapped in
`engine.redshift.session.DbApiSession`, for instance) can stand in, and then the connection
settings are not required.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from engine.catalog.model import Function
from engine.config import Settings

# Settings -> an open SQL session (engine.redshift.SqlSession).
SessionOpener = Callable[[Settings], Any]


def skip_reason(settings: Settings, open_session: SessionOpener | None = None) -> str | None:
    """Why the SQL phase cannot run with these settings, or None when it can. With a session
    opener of the caller's, only the deploy target is checked."""
    from engine.redshift import missing_settings

    missing = [] if open_session is not None else missing_settings(settings)
    if missing:
        return "Redshift settings incomplete; set " + ", ".join(missing)
    # An opener whose engine calls another target's functions says so (redshift-local: local).
    if settings.target != getattr(open_session, "target", "aws"):
        return "external functions call Lambda ARNs: deploy with --target aws"
    return None


def lambda_arns(functions: Iterable[Function], target: Any, prefix: str) -> dict[str, str]:
    """ARN per function id: from the target's state, else derived (for a dry run)."""
    state = target.read_state(prefix)
    arns = {d.function_id: d.extra["arn"] for d in state.values() if d.extra.get("arn")}
    missing = [f for f in functions if f.id not in arns and f.has_lambda]  # SQL-only: no ARN
    if missing and not hasattr(target, "account_id"):
        # The local target has no ARNs; redshift-local reads only the name out of this one.
        region, account = "us-east-1", "000000000000"
    elif missing:
        region = target.region() if callable(target.region) else target.region
        account = target.account_id()
    if missing:
        for function in missing:
            arns[function.id] = (
                f"arn:aws:lambda:{region}:{account}:function:{prefix}{function.lambda_name}"
            )
    return arns


def run_sql_phase(
    functions: list[Function],
    settings: Settings,
    target: Any,
    prefix: str,
    *,
    dry_run: bool = False,
    prune_ids: list[str] | None = None,
    out: Callable[[str], None] = print,
    open_session: SessionOpener | None = None,
    record: list[Any] | None = None,
) -> bool:
    """Plan and apply the SQL; True when it succeeded or was skipped. `record` receives the
    planned actions (for a machine-readable report)."""
    from engine.redshift import plan_sql, prune_sql

    reason = skip_reason(settings, open_session)
    if reason:
        out(f"Redshift phase skipped ({reason}); this deploy covers the Lambda phase only.")
        return True
    arns = lambda_arns(functions, target, prefix)

    def actions_for(previous):
        actions = plan_sql(functions, settings, arns, previous=previous)
        if prune_ids is not None:
            actions += prune_sql(previous, prune_ids)
        return actions

    return _plan_and_apply(
        settings, actions_for, dry_run=dry_run, out=out, opener=open_session, record=record
    )


def run_sql_removal(
    function_ids: list[str] | None,
    settings: Settings,
    *,
    prune_catalog_ids: list[str] | None = None,
    dry_run: bool = False,
    out: Callable[[str], None] = print,
    open_session: SessionOpener | None = None,
) -> bool:
    """Drop recorded SQL objects before their Lambdas go: those of `function_ids` (all
    recorded ones if None) or, with `prune_catalog_ids`, those the catalog no longer has.
    True when it succeeded or Redshift is not configured."""
    from engine.redshift import missing_settings, prune_sql, remove_sql

    missing = [] if open_session is not None else missing_settings(settings)
    if missing:
        out(f"Redshift objects left as they are: set {', '.join(missing)} to remove them too.")
        return True

    def actions_for(previous):
        if prune_catalog_ids is not None:
            return prune_sql(previous, prune_catalog_ids)
        return remove_sql(previous, function_ids)

    return _plan_and_apply(settings, actions_for, dry_run=dry_run, out=out, opener=open_session)


def _plan_and_apply(
    settings: Settings,
    actions_for: Callable[[Any], list[Any]],
    *,
    dry_run: bool,
    out: Callable[[str], None],
    opener: SessionOpener | None,
    record: list[Any] | None = None,
) -> bool:
    """One session: read what this tool recorded, plan, print, apply unless a dry run."""
    from engine.redshift import apply_sql, open_session, read_state

    session = (opener or open_session)(settings)
    try:
        actions = actions_for(read_state(session, settings.schema))
        if record is not None:
            record.extend(actions)
        out(f"Redshift phase: schema {settings.schema}, {len(actions)} action(s)")
        for action in actions:
            out(f"  {action.kind.value:<10} {action.name}  {action.reason}")
            if dry_run:
                for statement in action.data.get("statements", []):
                    out("    " + statement.replace("\n", "\n    ") + ";")
        if dry_run:
            return True
        outcomes = apply_sql(actions, session)
    finally:
        session.close()
    failed = [o for o in outcomes if not o.ok]
    for outcome in failed:
        out(f"  FAILED {outcome.action.name}: {outcome.error}")
    return not failed
