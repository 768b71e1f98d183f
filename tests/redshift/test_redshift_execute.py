"""Plan and apply through a recording DB-API connection: order, transactions, grants, drops."""

from __future__ import annotations

import pytest

from engine.deploy.models import ActionKind
from engine.redshift import (
    SqlPlanError,
    apply_sql,
    open_session,
    plan_sql,
    prune_sql,
    read_state,
    remove_sql,
)
from engine.redshift.generate import SqlContext, function_sql
from engine.redshift.objects import EXTERNAL, SQL_UDF, SqlObject
from engine.redshift.state import DeployedObject, SqlState

SCHEMA = "dev_carto"


@pytest.fixture
def functions(fn):
    return [
        fn("quadbin_resolution", [("quadbin", "bigint")], "bigint"),
        fn("quadbin_polyfill", [("geog", "geometry"), ("resolution", "int")], "super"),
    ]


@pytest.fixture
def session(fake_conn, settings_factory):
    return open_session(
        settings_factory(RS_GRANTEES="alice,group:analysts"), connect=fake_conn.connect
    )


def deploy(functions, settings, arns, session, previous=None):
    actions = plan_sql(functions, settings, arns, previous=previous)
    return actions, apply_sql(actions, session)


def test_first_deploy_statement_order(
    fake_conn, session, functions, settings_factory, arns_for
) -> None:
    settings = settings_factory(RS_GRANTEES="alice,group:analysts")
    actions, outcomes = deploy(functions, settings, arns_for(*functions), session)
    assert [a.kind for a in actions] == [ActionKind.ENSURE, ActionKind.RUN_SQL, ActionKind.RUN_SQL]
    assert all(o.ok for o in outcomes)
    assert fake_conn.autocommit is True  # transactions are explicit BEGIN/COMMIT
    log = fake_conn.statements
    first = [s.split("\n")[0] for s in log[: log.index("COMMIT") + 1]]
    assert first == [
        "BEGIN",
        f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}",
        f"CREATE TABLE IF NOT EXISTS {SCHEMA}.carto_gateway_objects (",
        f"COMMENT ON TABLE {SCHEMA}.carto_gateway_objects IS 'Functions created by carto-gateway;"
        " it drops only these. Do not edit.'",
        f"GRANT USAGE ON SCHEMA {SCHEMA} TO alice, GROUP analysts",
        "COMMIT",
    ]
    # Functions in id order, each in its own transaction.
    polyfill = log[log.index("COMMIT") + 1 :]
    polyfill = polyfill[: polyfill.index("COMMIT") + 1]
    heads = [s.split("\n")[0] for s in polyfill]
    assert heads == [
        "BEGIN",
        f"CREATE OR REPLACE EXTERNAL FUNCTION {SCHEMA}.__QUADBIN_POLYFILL(VARCHAR(MAX), INTEGER)",
        f"CREATE OR REPLACE FUNCTION {SCHEMA}.QUADBIN_POLYFILL(GEOMETRY, INTEGER)",
        f"GRANT EXECUTE ON FUNCTION {SCHEMA}.__QUADBIN_POLYFILL(VARCHAR(MAX), INTEGER)"
        " TO alice, GROUP analysts",
        f"GRANT EXECUTE ON FUNCTION {SCHEMA}.QUADBIN_POLYFILL(GEOMETRY, INTEGER)"
        " TO alice, GROUP analysts",
        f"DELETE FROM {SCHEMA}.carto_gateway_objects"
        " WHERE function_id = 'quadbin/quadbin_polyfill'",
        heads[6],
        heads[7],
        "COMMIT",
    ]
    digest = actions[1].data["digest"]
    assert heads[6] == (
        f"INSERT INTO {SCHEMA}.carto_gateway_objects (function_id, object_kind, object_name,"
        " arg_types, return_type, marker) VALUES ('quadbin/quadbin_polyfill', 'external',"
        f" '__quadbin_polyfill', '[\"VARCHAR(MAX)\", \"INTEGER\"]', 'VARCHAR(MAX)',"
        f" 'carto-gateway:quadbin/quadbin_polyfill:{digest}')"
    )
    assert "ROLLBACK" not in log and "<rollback>" not in log


def test_plan_shows_the_sql_for_dry_run(functions, settings_factory, arns_for) -> None:
    actions = plan_sql(functions, settings_factory(), arns_for(*functions))
    action = actions[2]
    assert action.name == f"{SCHEMA}.QUADBIN_RESOLUTION"
    assert action.reason == "create"
    assert action.data["statements"][0].startswith("CREATE OR REPLACE EXTERNAL FUNCTION")
    assert action.data["objects"] == [f"{SCHEMA}.QUADBIN_RESOLUTION(BIGINT)"]
    assert (
        action.data["marker"] == f"carto-gateway:quadbin/quadbin_resolution:{action.data['digest']}"
    )


def test_failure_rolls_back_that_function_and_names_it(
    fake_conn, session, functions, settings_factory, arns_for
) -> None:
    fake_conn.failures["RETURNS SUPER"] = "permission denied for language exfunc"
    _, outcomes = deploy(functions, settings_factory(), arns_for(*functions), session)
    ok = {o.action.name: o for o in outcomes}
    failed = ok[f"{SCHEMA}.QUADBIN_POLYFILL"]
    assert not failed.ok
    assert "quadbin/quadbin_polyfill" in failed.error
    assert "statement 2 of" in failed.error
    assert "permission denied for language exfunc" in failed.error
    assert f"CREATE OR REPLACE FUNCTION {SCHEMA}.QUADBIN_POLYFILL" in failed.error
    assert ok[f"{SCHEMA}.QUADBIN_RESOLUTION"].ok  # the next function still deployed
    log = fake_conn.statements
    rollback = log.index("ROLLBACK")
    assert log[rollback - 1].startswith(f"CREATE OR REPLACE FUNCTION {SCHEMA}.QUADBIN_POLYFILL")
    assert not any("function_id = 'quadbin/quadbin_polyfill'" in s for s in log[:rollback])


def test_schema_failure_blocks_the_rest(
    fake_conn, session, functions, settings_factory, arns_for
) -> None:
    fake_conn.failures["CREATE SCHEMA"] = "permission denied for database dev"
    _, outcomes = deploy(functions, settings_factory(), arns_for(*functions), session)
    assert [o.ok for o in outcomes] == [False, False, False]
    assert outcomes[1].error == f"not run: schema {SCHEMA} failed"
    assert not any(s.startswith("CREATE OR REPLACE") for s in fake_conn.statements)


def _state(*objects: DeployedObject, existing=()) -> SqlState:
    by_id: dict[str, list[DeployedObject]] = {}
    for d in objects:
        by_id.setdefault(d.function_id, []).append(d)
    keys = {d.obj.key for d in objects if d.exists} | set(existing)
    return SqlState(SCHEMA, True, by_id, frozenset(keys))


def test_signature_change_drops_the_old_overload_first(fn, settings_factory, arns_for) -> None:
    f = fn("quadbin_resolution", [("quadbin", "bigint")], "bigint")
    old = DeployedObject(
        "quadbin/quadbin_resolution",
        SqlObject(EXTERNAL, "quadbin_resolution", ("INTEGER",), "BIGINT"),
        "0" * 16,
    )
    (_, action) = plan_sql([f], settings_factory(), arns_for(f), previous=_state(old))
    statements = action.data["statements"]
    assert statements[0] == f"DROP FUNCTION {SCHEMA}.QUADBIN_RESOLUTION(INTEGER)"
    assert statements[1].startswith("CREATE OR REPLACE EXTERNAL FUNCTION")
    assert action.reason == "update with signature change"


def test_return_type_change_drops_too_and_wrapper_goes_first(
    fn, settings_factory, arns_for
) -> None:
    f = fn("quadbin_polyfill", [("g", "geometry"), ("r", "int")], "super")
    fid = f.id
    old = [
        DeployedObject(
            fid,
            SqlObject(EXTERNAL, "__quadbin_polyfill", ("VARCHAR(MAX)", "INTEGER"), "BIGINT"),
            "x",
        ),
        DeployedObject(
            fid, SqlObject(SQL_UDF, "quadbin_polyfill", ("GEOMETRY", "INTEGER"), "BIGINT"), "x"
        ),
    ]
    (_, action) = plan_sql([f], settings_factory(), arns_for(f), previous=_state(*old))
    assert action.data["statements"][:2] == [
        f"DROP FUNCTION {SCHEMA}.QUADBIN_POLYFILL(GEOMETRY, INTEGER)",
        f"DROP FUNCTION {SCHEMA}.__QUADBIN_POLYFILL(VARCHAR(MAX), INTEGER)",
    ]


def test_same_signature_replaces_without_drop_and_unchanged_skips(
    fn, settings_factory, arns_for
) -> None:
    f = fn("quadbin_resolution", [("quadbin", "bigint")], "bigint")
    settings = settings_factory()
    obj = SqlObject(
        EXTERNAL, "quadbin_resolution", ("INT8",), "BIGINT"
    )  # same type, other spelling
    (_, action) = plan_sql(
        [f], settings, arns_for(f), previous=_state(DeployedObject(f.id, obj, "old"))
    )
    assert action.kind is ActionKind.RUN_SQL
    assert not any(s.startswith("DROP") for s in action.data["statements"])
    digest = function_sql(f, SqlContext(SCHEMA, settings.invoke_role), arns_for(f)[f.id]).digest
    (_, skip) = plan_sql(
        [f], settings, arns_for(f), previous=_state(DeployedObject(f.id, obj, digest))
    )
    assert skip.kind is ActionKind.SKIP
    # ...unless the object was dropped behind our back.
    gone = DeployedObject(f.id, obj, digest, exists=False)
    (_, again) = plan_sql([f], settings, arns_for(f), previous=_state(gone))
    assert again.kind is ActionKind.RUN_SQL and "dropped outside" in again.reason
    assert not any(s.startswith("DROP") for s in again.data["statements"])


def test_foreign_function_with_the_same_signature_is_reported(
    fn, settings_factory, arns_for
) -> None:
    f = fn("quadbin_resolution")
    previous = _state(existing=[("quadbin_resolution", ("bigint",))])
    (_, action) = plan_sql([f], settings_factory(), arns_for(f), previous=previous)
    assert "not created by carto-gateway" in action.reason


def test_read_state_from_catalog_queries(fake_conn, session) -> None:
    fake_conn.results["FROM pg_namespace WHERE"] = [(1,)]
    fake_conn.results["oidvectortypes"] = [
        ("quadbin_resolution", "bigint"),
        ("__quadbin_polyfill", "character varying, integer"),
        ("quadbin_polyfill", "geometry, integer"),
        ("someone_elses", "integer"),
    ]
    fake_conn.results["FROM pg_class"] = [(1,)]
    fake_conn.results[f"FROM {SCHEMA}.carto_gateway_objects"] = [
        (
            "quadbin/quadbin_polyfill",
            "external",
            "__quadbin_polyfill",
            "VARCHAR(MAX), INTEGER",
            "VARCHAR(MAX)",
            "carto-gateway:quadbin/quadbin_polyfill:abc",
        ),
        (
            "quadbin/quadbin_polyfill",
            "sql",
            "quadbin_polyfill",
            "GEOMETRY, INTEGER",
            "SUPER",
            "carto-gateway:quadbin/quadbin_polyfill:abc",
        ),
        (
            "quadbin/quadbin_gone",
            "external",
            "quadbin_gone",
            "BIGINT",
            "BIGINT",
            "carto-gateway:quadbin/quadbin_gone:def",
        ),
    ]
    state = read_state(session, SCHEMA)
    assert state.schema_exists
    assert sorted(state.objects) == ["quadbin/quadbin_gone", "quadbin/quadbin_polyfill"]
    assert all(d.exists and d.digest == "abc" for d in state.objects["quadbin/quadbin_polyfill"])
    assert not state.objects["quadbin/quadbin_gone"][0].exists
    assert ("someone_elses", ("integer",)) in state.existing
    queries = [e for e in fake_conn.log if isinstance(e, tuple)]
    assert all(params["schema"] == SCHEMA for _, params in queries)  # bound, not interpolated


def test_read_state_on_a_new_schema(fake_conn, session) -> None:
    fake_conn.results["FROM pg_namespace WHERE"] = [(0,)]
    state = read_state(session, SCHEMA)
    assert not state.schema_exists and state.objects == {}
    assert len(fake_conn.log) == 1


def test_read_state_refuses_rows_that_could_inject(fake_conn, session) -> None:
    fake_conn.results["FROM pg_namespace WHERE"] = [(1,)]
    fake_conn.results["FROM pg_class"] = [(1,)]
    fake_conn.results[f"FROM {SCHEMA}.carto_gateway_objects"] = [
        ("m/f", "external", "f", "INT); DROP TABLE users; --", "INT", "carto-gateway:m/f:abc"),
    ]
    with pytest.raises(ValueError, match="fix or delete that row"):
        read_state(session, SCHEMA)


def test_remove_and_prune_drop_only_recorded_objects(fake_conn, session) -> None:
    ours = [
        DeployedObject(
            "quadbin/a", SqlObject(EXTERNAL, "__a", ("VARCHAR(MAX)",), "VARCHAR(MAX)"), "d"
        ),
        DeployedObject("quadbin/a", SqlObject(SQL_UDF, "a", ("GEOMETRY",), "SUPER"), "d"),
        DeployedObject("quadbin/b", SqlObject(EXTERNAL, "b", ("BIGINT",), "BIGINT"), "d"),
        DeployedObject("quadbin/c", SqlObject(EXTERNAL, "c", (), "BIGINT"), "d", exists=False),
    ]
    state = _state(*ours, existing=[("someone_elses", ("integer",)), ("b", ("integer",))])
    pruned = prune_sql(state, ["quadbin/b"])
    assert [a.data["function_id"] for a in pruned] == ["quadbin/a", "quadbin/c"]
    assert all(a.kind is ActionKind.DELETE for a in pruned)
    assert [a.name for a in pruned] == [f"{SCHEMA}.A", f"{SCHEMA}.C"]
    assert pruned[0].data["statements"] == [
        f"DROP FUNCTION {SCHEMA}.A(GEOMETRY)",
        f"DROP FUNCTION {SCHEMA}.__A(VARCHAR(MAX))",
        f"DELETE FROM {SCHEMA}.carto_gateway_objects WHERE function_id = 'quadbin/a'",
    ]
    # A recorded object that no longer exists is only forgotten (DROP has no IF EXISTS).
    assert pruned[1].data["statements"] == [
        f"DELETE FROM {SCHEMA}.carto_gateway_objects WHERE function_id = 'quadbin/c'"
    ]
    outcomes = apply_sql(remove_sql(state), session)
    assert all(o.ok for o in outcomes)
    drops = [s for s in fake_conn.statements if s.startswith("DROP")]
    assert drops == [
        f"DROP FUNCTION {SCHEMA}.A(GEOMETRY)",
        f"DROP FUNCTION {SCHEMA}.__A(VARCHAR(MAX))",
        f"DROP FUNCTION {SCHEMA}.B(BIGINT)",
    ]
    assert not any("SOMEONE_ELSES" in s or "B(INTEGER)" in s for s in fake_conn.statements)
    assert remove_sql(state, ["quadbin/b"])[0].data["objects"] == [f"{SCHEMA}.B(BIGINT)"]
    assert remove_sql(state, ["quadbin/unknown"]) == []


def test_plan_reports_every_problem_before_running(fn, settings_factory, tmp_path) -> None:
    bad = tmp_path / "redshift.sql"
    bad.write_text(
        "CREATE OR REPLACE FUNCTION @@SCHEMA@@.F() RETURNS INT STABLE"
        " AS $$ @@NOPE@@ $$ LANGUAGE sql;"
    )
    fs = [fn("f", template=bad), fn("g"), fn("h")]
    arns = {"quadbin/f": "arn:aws:lambda:eu-west-1:123456789012:function:f", "quadbin/h": "bad'arn"}
    with pytest.raises(SqlPlanError) as err:
        plan_sql(fs, settings_factory(), arns)
    text = str(err.value)
    assert f"{bad}:1:" in text and "@@NOPE@@" in text
    assert "quadbin/g: no Lambda ARN" in text
    assert "quadbin/h: invalid Lambda ARN" in text


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("RS_PREFIX", "x'; DROP SCHEMA carto; --"),
        ("RS_GRANTEES", "alice; DROP TABLE t"),
        ("RS_GRANTEES", 'group:"admins"'),
        ("RS_LAMBDA_INVOKE_ROLE", "arn:aws:iam::123456789012:role/x' --"),
    ],
)
def test_injection_through_settings_is_refused(fn, settings_factory, arns_for, key, value) -> None:
    f = fn("f")
    with pytest.raises(ValueError, match=key.removeprefix("RS_PREFIX") or "schema"):
        plan_sql([f], settings_factory(**{key: value}), arns_for(f))


def test_missing_invoke_role_is_a_plan_error(fn, settings_factory, arns_for) -> None:
    f = fn("f")
    with pytest.raises(SqlPlanError, match="RS_LAMBDA_INVOKE_ROLE"):
        plan_sql([f], settings_factory(RS_LAMBDA_INVOKE_ROLE=None), arns_for(f))


def test_failed_rollback_falls_back_to_the_driver(fake_conn, session) -> None:
    fake_conn.failures["CREATE"] = "disk full"
    fake_conn.failures["ROLLBACK"] = "no transaction in progress"
    with pytest.raises(Exception, match="statement 1 failed: disk full"):
        session.run_transaction(["CREATE TABLE t (a INT)", "SELECT 1"])
    assert fake_conn.statements[-2:] == ["ROLLBACK", "<rollback>"]
    assert "SELECT 1" not in fake_conn.statements


def test_cli_removal_drops_only_the_selected_recorded_objects(
    fake_conn, session, settings_factory, monkeypatch
) -> None:
    import engine.redshift
    from engine.deploy.sqlphase import run_sql_removal

    recorded = _state(
        DeployedObject("quadbin/a", SqlObject(EXTERNAL, "a", ("BIGINT",), "BIGINT"), "d"),
        DeployedObject("quadbin/b", SqlObject(EXTERNAL, "b", ("BIGINT",), "BIGINT"), "d"),
    )
    monkeypatch.setattr(engine.redshift, "open_session", lambda settings: session)
    monkeypatch.setattr(engine.redshift, "read_state", lambda session, schema: recorded)
    lines: list[str] = []

    assert run_sql_removal(["quadbin/b"], settings_factory(), dry_run=True, out=lines.append)
    assert not [s for s in fake_conn.statements if s.startswith("DROP")]  # a dry run
    assert f"    DROP FUNCTION {SCHEMA}.B(BIGINT);" in lines

    assert run_sql_removal(["quadbin/b"], settings_factory(), out=lines.append)
    assert [s for s in fake_conn.statements if s.startswith("DROP")] == [
        f"DROP FUNCTION {SCHEMA}.B(BIGINT)"
    ]

    # --prune: only what the catalog no longer has
    assert run_sql_removal(None, settings_factory(), prune_catalog_ids=["quadbin/b"])
    assert [s for s in fake_conn.statements if s.startswith("DROP")][-1] == (
        f"DROP FUNCTION {SCHEMA}.A(BIGINT)"
    )


def test_cli_removal_without_redshift_settings_changes_nothing(settings_factory) -> None:
    from engine.deploy.sqlphase import run_sql_removal

    lines: list[str] = []
    assert run_sql_removal(None, settings_factory(RS_HOST=None), out=lines.append)
    assert lines == ["Redshift objects left as they are: set RS_HOST to remove them too."]
