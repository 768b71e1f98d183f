"""The one orchestration: deploy, remove and status, called by the CLI, the pytest plugin
and the customer installer alike, so a deploy from a test run is the deploy a user runs.

deploy: build -> Lambda phase (role, functions, permissions: plan, print, apply) -> SQL phase
(`sql=True`). remove: SQL objects first (external functions must not outlive their Lambdas),
then the functions, then the execution role when this tool created it and nothing uses it.
Nothing is changed before the plan is printed; a dry run prints the same plan and stops.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from engine.build.artifact import Artifact
from engine.build.builder import BuildReport, build_all, runtime_override
from engine.catalog.loader import SHARED_DIR_NAME
from engine.catalog.model import Function
from engine.catalog.sqlkind import lambda_functions
from engine.config import Settings
from engine.deploy import executor
from engine.deploy.models import (
    Action,
    ActionKind,
    Deployed,
    Desired,
    ExpectedCode,
    Outcome,
    Plan,
    Target,
)
from engine.deploy.planner import (
    FOREIGN,
    PlanError,
    action_label,
    desired_state,
    format_plan,
    make_plan,
    removal_plan,
    with_calls,
)
from engine.deploy.sqlphase import SessionOpener, run_sql_phase, run_sql_removal, skip_reason
from engine.deploy.targets import get_target
from engine.naming import lambda_function_name

Out = Callable[[str], None]

_VERB = {
    ActionKind.CREATE: "created",
    ActionKind.UPDATE_CODE: "updated",
    ActionKind.UPDATE_CONFIG: "updated (config)",
    ActionKind.SKIP: "unchanged",
    ActionKind.DELETE: "deleted",
    ActionKind.ENSURE: "ensured",
    ActionKind.RUN_SQL: "ran",
    ActionKind.CLEANUP: "removed",
}


@dataclass
class DeployReport:
    plan: Plan | None
    outcomes: list[Outcome] = field(default_factory=list)
    build: BuildReport | None = None
    deployed_names: dict[str, str] = field(default_factory=dict)  # function id -> name
    errors: list[str] = field(default_factory=list)  # build and planning failures
    sql_errors: list[str] = field(default_factory=list)  # the SQL phase's failures
    sql_actions: list[Action] = field(default_factory=list)  # what the SQL phase planned
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)  # for the summary's elapsed time

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.failures and not self.sql_errors

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for o in self.outcomes:
            key = "failed" if not o.ok else _VERB[o.action.kind]
            counts[key] = counts.get(key, 0) + 1
        return counts


def _resolve_target(settings: Settings, target: Target | None) -> Target:
    return target if target is not None else get_target(settings)


def _announce(settings: Settings, target: Target, prefix: str, out: Out) -> None:
    name = getattr(target, "name", settings.target)
    reason = settings.target_reason if name == settings.target else "target passed in by caller"
    out(f"target: {name} ({reason}); prefix {prefix!r}")


def _summary(report: DeployReport, out: Out, verb: str = "deploy") -> None:
    """Each applied action printed its own progress line: here only what failed, again, and
    the counts with the time the plan took to apply."""
    for o in report.outcomes:
        if not o.ok:
            out(f"  FAILED {o.action.kind.value} {action_label(o.action)}: {o.error}")
    for error in report.errors:
        out(f"  ERROR {error}")
    counts = report.counts()
    if report.errors:
        counts["not built"] = len(report.errors)
    text = ", ".join(f"{n} {k}" for k, n in counts.items()) or "nothing to do"
    text += f" in {time.monotonic() - report.started:.1f}s"
    out((f"{verb} ok: " if report.ok else f"{verb} FAILED: ") + text)


def _orphans(state: Mapping[str, Deployed], keep_ids: set[str], prefix: str, out: Out) -> None:
    """A deploy without --prune leaves managed functions the catalog no longer has: say so."""
    names = sorted(
        f"{d.function_id or '?'} -> {name}"
        for name, d in state.items()
        if d.managed and d.function_id not in keep_ids
    )
    if names:
        out(
            f"note: {len(names)} orphaned function(s) under prefix {prefix!r}, no longer in the "
            f"catalog: {', '.join(names)}; left as they are (--prune deletes them)"
        )


def deploy(
    functions: list[Function],
    settings: Settings,
    *,
    target: Target | None = None,
    prefix: str | None = None,
    dry_run: bool = False,
    prune: bool = False,
    jobs: int = executor.DEFAULT_JOBS,
    out: Out = print,
    root: Path | None = None,
    artifacts: Mapping[str, Artifact] | None = None,
    sql: bool = False,
    open_sql: SessionOpener | None = None,
    catalog_ids: list[str] | None = None,
) -> DeployReport:
    """Build `functions`, plan against the target's state under `prefix`, and apply; then,
    with `sql`, the SQL phase (skipped with the reason when Redshift is not configured).

    `open_sql` opens the SQL session (default: Redshift from the settings). With `prune`,
    `catalog_ids` are the ids whose SQL objects are kept.

    `prune` also deletes managed functions under the prefix that are not in `functions`
    (pass the whole catalog then). Functions that fail to build are reported and left as
    they are on the target; the others are still deployed. `artifacts` (function id ->
    Artifact) skips the build: the distribution package deploys its prebuilt zips this way.
    """
    prefix = settings.lambda_prefix if prefix is None else prefix
    root = Path(root or settings.repo_root)
    _check_sql_schema(settings, sql, open_sql)
    target = _resolve_target(settings, target)
    _announce(settings, target, prefix, out)

    runtime = runtime_override(settings.values)
    failed_names: list[str] = []
    if artifacts is not None:
        report = DeployReport(plan=None, dry_run=dry_run)
        desired = [
            desired_state(f, artifacts[f.id], prefix, runtime) for f in lambda_functions(functions)
        ]
    else:
        shared = root / "functions" / SHARED_DIR_NAME
        # SQL-only functions have nothing to build: they take part in the SQL phase only.
        build = build_all(lambda_functions(functions), shared, root=root, runtime=runtime)
        report = DeployReport(plan=None, build=build, dry_run=dry_run)
        for o in build.outcomes:
            report.notes += list(o.warnings)
        report.errors += [f"{o.function.id}: build failed: {o.error}" for o in build.failures]
        desired = [
            desired_state(o.function, o.artifact, prefix, runtime)
            for o in build.outcomes
            if o.artifact is not None
        ]
        failed_names = [
            lambda_function_name(prefix, o.function)
            for o in build.failures
            if _config_ok(o.function, runtime)
        ]
    report.deployed_names = {d.function.id: d.deployed_name for d in desired}
    for note in report.notes:
        out(f"warning: {note}")
    try:
        state = target.read_state(prefix, _expected(desired))
        extra = target.extra_actions(desired, state, prefix) if desired else []
        plan = make_plan(
            desired,
            state,
            target=getattr(target, "name", settings.target),
            prefix=prefix,
            prune=prune,
            keep=failed_names,
            extra=extra,
            report_foreign=True,
        )
        plan, foreign = _without_foreign(plan)
        plan = with_calls(plan, target)
    except PlanError as exc:
        report.errors.append(str(exc))
        _summary(report, out)
        return report
    report.plan = plan
    for line in format_plan(plan):
        out(line)
    if not prune:
        _orphans(state, set(catalog_ids or [f.id for f in functions]), prefix, out)
    for outcome in foreign:
        out(f"  refused  {outcome.action.name}: {outcome.error}")
    if not dry_run:
        report.outcomes = foreign + executor.execute(plan, target, jobs=jobs, out=out)
        _summary(report, out)
    elif foreign:
        report.outcomes = foreign
    if sql and report.ok:
        prune_ids = catalog_ids if prune else None
        _sql_phase(report, functions, settings, target, prefix, prune_ids, open_sql, out)
    if dry_run:
        out("dry run: nothing was changed")
    return report


def _without_foreign(plan: Plan) -> tuple[Plan, list[Outcome]]:
    """The plan without the functions whose name a function this tool did not deploy holds,
    and a failed outcome for each: that function fails alone, the others still deploy."""
    foreign = [a for a in plan.actions if a.data.get(FOREIGN)]
    failed = [
        Outcome(
            replace(a, kind=ActionKind.CREATE),
            ok=False,
            error=(
                f"{a.name} already exists on the {plan.target} target but was not deployed by "
                "carto-gateway; remove it by hand or choose another RS_LAMBDA_PREFIX"
            ),
        )
        for a in foreign
    ]
    kept = [a for a in plan.actions if not a.data.get(FOREIGN)]
    return Plan(plan.target, plan.prefix, kept), failed


def _check_sql_schema(
    settings: Settings, sql: bool, opener: SessionOpener | None, *, removing: bool = False
) -> None:
    """Refuse, before anything changes, a SQL phase that would touch the production schema
    without PRODUCTION=1 (ConfigError). A phase that cannot run (no Redshift settings, local
    target) writes nothing, so it is not refused."""
    if not sql:
        return
    if removing:
        from engine.redshift import missing_settings

        if opener is None and missing_settings(settings):
            return
    elif skip_reason(settings, opener) is not None:
        return
    settings.check_schema_write()


def _sql_phase(
    report: DeployReport,
    functions: list[Function],
    settings: Settings,
    target: Target,
    prefix: str,
    prune_ids: list[str] | None,
    open_sql: SessionOpener | None,
    out: Out,
) -> None:
    """Phase 2 into the report. Bad input (SqlPlanError, SettingsIncomplete) propagates: the
    caller reports it as such; anything else (connection, credentials) is a failed phase."""
    from engine.redshift import SettingsIncomplete, SqlPlanError

    try:
        ok = run_sql_phase(
            functions,
            settings,
            target,
            prefix,
            dry_run=report.dry_run,
            prune_ids=prune_ids,
            out=out,
            open_session=open_sql,
            record=report.sql_actions,
        )
    except (SqlPlanError, SettingsIncomplete):
        raise
    except Exception as exc:  # the Lambda phase stands; a rerun converges
        report.sql_errors.append(str(exc))
        out(f"ERROR Redshift phase failed: {exc}")
        return
    if not ok:
        report.sql_errors.append("statements failed (see the deploy's output)")


def _expected(desired: list[Desired]) -> dict[str, ExpectedCode]:
    """The read_state hint: what each function's zip is, so unchanged ones need no reads."""
    return {
        d.deployed_name: ExpectedCode(d.artifact.code_sha256(), d.artifact.digest, d.function.id)
        for d in desired
    }


def _config_ok(function: Function, runtime: str | None) -> bool:
    from engine.build.builder import BuildError, effective_config

    try:
        effective_config(function, runtime)
    except BuildError:
        return False
    return True


def remove(
    functions: list[Function] | None,
    settings: Settings,
    *,
    target: Target | None = None,
    prefix: str | None = None,
    prune: bool = False,
    dry_run: bool = False,
    jobs: int = executor.DEFAULT_JOBS,
    out: Out = print,
    sql: bool = False,
    open_sql: SessionOpener | None = None,
) -> DeployReport:
    """Delete functions this tool deployed (managed) under `prefix`; nothing else, ever.
    With `sql`, their recorded SQL objects first (nothing else is removed when that fails);
    last, the execution role when this tool created it and no function still uses it.

    - functions=None: every managed function under the prefix.
    - functions given, prune=False: those functions' deployments.
    - functions given, prune=True: managed deployments *not* among `functions` (orphans).
    """
    prefix = settings.lambda_prefix if prefix is None else prefix
    _check_sql_schema(settings, sql, open_sql, removing=True)
    target = _resolve_target(settings, target)
    _announce(settings, target, prefix, out)
    if sql and not _remove_sql(functions, settings, prune, dry_run, open_sql, out):
        report = DeployReport(plan=None, dry_run=dry_run)
        report.sql_errors.append("removing the SQL objects failed: nothing else was removed")
        return report
    state = target.read_state(prefix)
    if functions is None:
        names = None
    else:
        listed = {lambda_function_name(prefix, f) for f in lambda_functions(functions)}
        names = sorted(set(state) - listed) if prune else sorted(listed)
    plan, notes = removal_plan(
        state, names, target=getattr(target, "name", settings.target), prefix=prefix
    )
    cleanup = getattr(target, "cleanup_actions", None)
    if cleanup is not None:
        plan.actions += cleanup(state, [a.name for a in plan.actions], prefix)
    report = DeployReport(plan=plan, dry_run=dry_run, notes=notes)
    try:
        plan = report.plan = with_calls(plan, target)
    except PlanError as exc:
        report.errors.append(str(exc))
        _summary(report, out, "remove")
        return report
    for note in notes:
        out(f"note: {note}")
    for line in format_plan(plan):
        out(line)
    if dry_run:
        out("dry run: nothing was changed")
        return report
    report.outcomes = executor.execute(plan, target, jobs=jobs, out=out)
    _summary(report, out, "remove")
    return report


def _remove_sql(
    functions: list[Function] | None,
    settings: Settings,
    prune: bool,
    dry_run: bool,
    open_sql: SessionOpener | None,
    out: Out,
) -> bool:
    """The SQL objects of what is being removed; SettingsIncomplete propagates (bad input)."""
    from engine.redshift import SettingsIncomplete

    ids = None if functions is None or prune else [f.id for f in functions]
    try:
        return run_sql_removal(
            ids,
            settings,
            prune_catalog_ids=[f.id for f in functions or []] if prune else None,
            dry_run=dry_run,
            out=out,
            open_session=open_sql,
        )
    except SettingsIncomplete:
        raise
    except Exception as exc:  # connection, credentials: nothing was removed yet
        out(f"ERROR Redshift phase failed, nothing was removed: {exc}")
        return False


# -- status ----------------------------------------------------------------------------------

IN_SYNC, CHANGED, MISSING, ORPHANED = "in sync", "changed", "missing", "orphaned"
NOT_MANAGED, NOT_BUILT = "not managed by carto-gateway", "build failed"


@dataclass(frozen=True)
class StatusRow:
    deployed_name: str
    function_id: str | None
    status: str  # IN_SYNC, CHANGED, MISSING, ORPHANED, NOT_MANAGED or NOT_BUILT
    local_digest: str | None = None
    deployed_digest: str | None = None
    detail: str = ""  # what changed, or why it failed to build


def status(
    functions: list[Function],
    settings: Settings,
    *,
    target: Target | None = None,
    prefix: str | None = None,
    root: Path | None = None,
) -> list[StatusRow]:
    """The deploy's own plan (with pruning) mapped to labels, one row per function.

    `functions` is the whole catalog: managed deployments outside it are orphans. Read-only:
    builds (cached), reads the target's state and plans; changes nothing.
    """
    prefix = settings.lambda_prefix if prefix is None else prefix
    root = Path(root or settings.repo_root)
    target = _resolve_target(settings, target)
    runtime = runtime_override(settings.values)
    shared = root / "functions" / SHARED_DIR_NAME
    build = build_all(lambda_functions(functions), shared, root=root, runtime=runtime)
    state = target.read_state(prefix)
    rows: list[StatusRow] = []
    failed: list[str] = []
    for o in build.failures:
        if not _config_ok(o.function, runtime):
            rows.append(StatusRow("-", o.function.id, NOT_BUILT, detail=o.error or ""))
            continue
        name = lambda_function_name(prefix, o.function)
        failed.append(name)
        deployed = state.get(name)
        digest = deployed.digest if deployed else None
        rows.append(StatusRow(name, o.function.id, NOT_BUILT, None, digest, o.error or ""))
    desired = [
        desired_state(o.function, o.artifact, prefix, runtime)
        for o in build.outcomes
        if o.artifact is not None
    ]
    plan = make_plan(
        desired,
        state,
        target=getattr(target, "name", settings.target),
        prefix=prefix,
        prune=True,
        keep=failed,
        report_foreign=True,
    )
    for action in plan.actions:
        rows.append(_status_row(action))
    listed = {r.deployed_name for r in rows}
    for name in sorted(set(state) - listed):  # left alone by the plan: not ours
        deployed = state[name]
        rows.append(StatusRow(name, deployed.function_id, NOT_MANAGED, None, deployed.digest))
    return sorted(rows, key=lambda r: r.deployed_name)


_LABELS = {
    ActionKind.SKIP: IN_SYNC,
    ActionKind.CREATE: MISSING,
    ActionKind.UPDATE_CODE: CHANGED,
    ActionKind.UPDATE_CONFIG: CHANGED,
    ActionKind.DELETE: ORPHANED,
}


def _status_row(action: Action) -> StatusRow:
    label = NOT_MANAGED if action.data.get(FOREIGN) else _LABELS[action.kind]
    local = action.desired.artifact.digest if action.desired is not None else None
    deployed = action.deployed.digest if action.deployed is not None else None
    if label is NOT_MANAGED:
        deployed = None
    detail = ", ".join("code" if c == "digest" else c for c in action.changes)
    function_id = action.desired.function.id if action.desired is not None else None
    if function_id is None and action.deployed is not None:
        function_id = action.deployed.function_id
    return StatusRow(action.name, function_id, label, local, deployed, detail)
