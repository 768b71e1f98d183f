"""The Redshift Data API path on moto.

moto 5.2's redshift-data records ExecuteStatement calls and serves canned results, but keeps
every statement STARTED and has no BatchExecuteStatement. The `moto_data_api` fixture fills
exactly those two gaps (statements finish after one poll, or fail when their SQL holds a
chosen text; a batch records its statements as moto statements); recording, ids, parameters
and GetStatementResult are moto's own.
"""

from __future__ import annotations

import json

import pytest
from moto import mock_aws
from moto.redshiftdata.models import redshiftdata_backends
from moto.redshiftdata.responses import RedshiftDataAPIServiceResponse

from engine.redshift import apply_sql, open_session, plan_sql
from engine.redshift.connect import data_api_target
from engine.redshift.session import DataApiError, DataApiSession, SqlStatementError
from engine.redshift.settings import RedshiftSettings

REGION = "eu-west-1"
SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rs-admin-AbCdEf"


@pytest.fixture
def moto_data_api(monkeypatch):
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    state = {"fail": {}, "batches": {}, "polls": {}}

    def backend(self):
        return redshiftdata_backends[self.current_account][self.region]

    def batch_execute_statement(self):
        sqls = self._get_param("Sqls")
        common = {
            "cluster_identifier": self._get_param("ClusterIdentifier"),
            "database": self._get_param("Database"),
            "db_user": self._get_param("DbUser"),
            "parameters": None,
            "secret_arn": self._get_param("SecretArn"),
        }
        subs = [backend(self).execute_statement(sql=s, **common) for s in sqls]
        parent = backend(self).execute_statement(sql="\n;\n".join(sqls), **common)
        state["batches"][parent.id] = subs
        return 200, {}, json.dumps({"Id": parent.id, "Database": parent.database})

    def describe_statement(self):
        statement = backend(self).describe_statement(self._get_param("Id"))
        data = dict(statement)
        polls = state["polls"][statement.id] = state["polls"].get(statement.id, 0) + 1
        if polls == 1:
            return 200, {}, json.dumps(data)  # still STARTED: the client must poll again
        subs = state["batches"].get(statement.id, [statement])
        failed = next(
            (i for i, s in enumerate(subs) for n in state["fail"] if n in s.query_string), None
        )
        data["Status"] = "FINISHED" if failed is None else "FAILED"
        if failed is not None:
            needle = next(n for n in state["fail"] if n in subs[failed].query_string)
            data["Error"] = state["fail"][needle]
        if statement.id in state["batches"]:
            data["SubStatements"] = [
                {
                    "Id": f"{statement.id}:{i + 1}",
                    "QueryString": s.query_string,
                    "Status": "FINISHED"
                    if failed is None or i < failed
                    else ("FAILED" if i == failed else "ABORTED"),
                }
                for i, s in enumerate(subs)
            ]
        return 200, {}, json.dumps(data)

    monkeypatch.setattr(
        RedshiftDataAPIServiceResponse,
        "batch_execute_statement",
        batch_execute_statement,
        raising=False,
    )
    monkeypatch.setattr(RedshiftDataAPIServiceResponse, "describe_statement", describe_statement)
    with mock_aws():
        yield state


def statements_in_moto():
    return redshiftdata_backends["123456789012"][REGION].statements


@pytest.fixture
def data_api_settings(settings_factory):
    return settings_factory(
        RS_DATA_API="1",
        RS_HOST=None,
        RS_PASSWORD=None,
        RS_USER=None,
        RS_CLUSTER_ID="analytics-1",
        RS_SECRET_ARN=SECRET,
        AWS_REGION=REGION,
    )


def _session(settings) -> DataApiSession:
    session = open_session(settings)
    assert isinstance(session, DataApiSession)
    session.sleep = lambda seconds: None
    return session


def test_deploy_runs_one_batch_per_action(moto_data_api, data_api_settings, fn, arns_for) -> None:
    functions = [fn("quadbin_resolution"), fn("quadbin_polyfill", [("g", "geometry")], "super")]
    session = _session(data_api_settings)
    actions = plan_sql(functions, data_api_settings, arns_for(*functions))
    outcomes = apply_sql(actions, session)
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    batches = moto_data_api["batches"]
    assert len(batches) == len(actions)
    for action, subs in zip(actions, batches.values(), strict=True):
        assert [s.query_string for s in subs] == action.data["statements"]
        assert {(s.cluster_identifier, s.database, s.secret_arn, s.db_user) for s in subs} == {
            ("analytics-1", "dev", SECRET, None)
        }
    assert session.description == "Redshift Data API, cluster analytics-1, database dev"


def test_failed_statement_is_named(moto_data_api, data_api_settings, fn, arns_for) -> None:
    moto_data_api["fail"]["RETURNS SUPER"] = "ERROR: permission denied for language exfunc"
    f = fn("quadbin_polyfill", [("g", "geometry")], "super")
    outcomes = apply_sql(plan_sql([f], data_api_settings, arns_for(f)), _session(data_api_settings))
    assert outcomes[0].ok
    error = outcomes[1].error
    assert "quadbin/quadbin_polyfill" in error and "statement 2 of" in error
    assert "permission denied for language exfunc" in error
    assert "CREATE OR REPLACE FUNCTION dev_carto.QUADBIN_POLYFILL(GEOMETRY)" in error


def test_query_binds_parameters_and_decodes_records(moto_data_api, data_api_settings) -> None:
    session = _session(data_api_settings)
    rows = session.query("SELECT 1 WHERE :schema = 'x'", {"schema": "dev_carto"})
    assert rows == [
        (10, "Alpha st", "Vancouver"),
        (50, "Beta st", "Toronto"),
        (100, "Gamma av", "Seattle"),
    ]
    (recorded,) = statements_in_moto().values()
    assert recorded.query_parameters == [{"name": "schema", "value": "dev_carto"}]
    assert recorded.secret_arn == SECRET


def test_query_failure_raises(moto_data_api, data_api_settings) -> None:
    moto_data_api["fail"]["FROM nowhere"] = 'relation "nowhere" does not exist'
    with pytest.raises(SqlStatementError, match="nowhere"):
        _session(data_api_settings).query("SELECT * FROM nowhere")


def test_timeout_cancels_the_statement(moto_data_api, data_api_settings) -> None:
    session = _session(data_api_settings)
    session.timeout = 0
    with pytest.raises(DataApiError, match="cancelled"):
        session.query("SELECT 1")
    (recorded,) = statements_in_moto().values()
    assert recorded.status == "ABORTED"


def test_targets_for_cluster_and_workgroup(settings_factory) -> None:
    def target(**values):
        return data_api_target(
            RedshiftSettings.from_settings(settings_factory(RS_DATA_API="1", **values))
        )

    assert target(RS_CLUSTER_ID="c1", RS_SECRET_ARN=None) == {
        "Database": "dev",
        "ClusterIdentifier": "c1",
        "DbUser": "deployer",
    }
    assert target(RS_WORKGROUP="wg1", RS_SECRET_ARN=None) == {
        "Database": "dev",
        "WorkgroupName": "wg1",
    }
    assert target(RS_WORKGROUP="wg1", RS_SECRET_ARN=SECRET)["SecretArn"] == SECRET


def test_workgroup_calls_reach_the_api(moto_data_api, settings_factory) -> None:
    settings = settings_factory(RS_DATA_API="1", RS_WORKGROUP="analytics-wg", AWS_REGION=REGION)
    session = _session(settings)
    session.run_transaction(["CREATE SCHEMA IF NOT EXISTS dev_carto"])
    assert session.target == {"Database": "dev", "WorkgroupName": "analytics-wg"}


def test_client_endpoint_follows_settings(moto_data_api, data_api_settings) -> None:
    session = _session(data_api_settings)
    assert session.client.meta.region_name == REGION
    assert session.client.meta.service_model.service_name == "redshift-data"
