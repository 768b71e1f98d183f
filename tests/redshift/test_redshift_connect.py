"""Settings, connection parameters, and the real redshift_connector code path up to the network."""

from __future__ import annotations

import socket

import boto3
import pytest
from moto import mock_aws

from engine.redshift import SettingsIncomplete, missing_settings, open_session
from engine.redshift.connect import connect_kwargs
from engine.redshift.session import DbApiSession
from engine.redshift.settings import Grantee, RedshiftSettings, RedshiftSettingsError

PASSWORD = "s3cr3t-Pa55"


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_password_settings_give_driver_kwargs(settings_factory) -> None:
    rs = RedshiftSettings.from_settings(settings_factory(RS_PORT="5440"))
    assert connect_kwargs(rs) == {
        "host": "example.abc123.eu-west-1.redshift.amazonaws.com",
        "port": 5440,
        "database": "dev",
        "user": "deployer",
        "password": PASSWORD,
        "ssl": True,
        "timeout": 30,
        "application_name": "carto-gateway",
    }
    assert PASSWORD not in repr(rs) and PASSWORD not in rs.describe()
    assert RedshiftSettings.from_settings(settings_factory(RS_SSL="0")).ssl is False


def test_iam_cluster_and_serverless_kwargs(settings_factory) -> None:
    rs = RedshiftSettings.from_settings(
        settings_factory(RS_IAM="1", RS_PASSWORD=None, RS_HOST=None, RS_CLUSTER_ID="analytics-1")
    )
    kwargs = connect_kwargs(rs)
    assert kwargs["iam"] is True and kwargs["cluster_identifier"] == "analytics-1"
    assert kwargs["db_user"] == "deployer" and kwargs["password"] == ""
    assert "host" not in kwargs  # looked up from the cluster by the driver
    rs = RedshiftSettings.from_settings(
        settings_factory(RS_IAM="1", RS_PASSWORD=None, RS_USER=None, RS_WORKGROUP="wg1")
    )
    kwargs = connect_kwargs(rs)
    assert kwargs["is_serverless"] is True and kwargs["serverless_work_group"] == "wg1"
    assert "db_user" not in kwargs
    assert rs.missing() == []


@pytest.mark.parametrize(
    ("values", "missing"),
    [
        ({}, []),
        ({"RS_HOST": None, "RS_PASSWORD": None}, ["RS_HOST", "RS_PASSWORD"]),
        (
            {"RS_LAMBDA_INVOKE_ROLE": None, "RS_DATABASE": ""},
            ["RS_LAMBDA_INVOKE_ROLE", "RS_DATABASE"],
        ),
        (
            {"RS_IAM": "1", "RS_HOST": None, "RS_USER": None},
            ["RS_CLUSTER_ID, RS_WORKGROUP or RS_HOST", "RS_USER (database user)"],
        ),
        ({"RS_DATA_API": "1"}, ["RS_CLUSTER_ID or RS_WORKGROUP"]),
        (
            {"RS_DATA_API": "1", "RS_CLUSTER_ID": "c1", "RS_USER": None},
            ["RS_SECRET_ARN or RS_USER (database user)"],
        ),
        ({"RS_DATA_API": "1", "RS_WORKGROUP": "wg1", "AWS_REGION": None}, ["AWS_REGION"]),
    ],
)
def test_missing_settings(settings_factory, values, missing) -> None:
    assert missing_settings(settings_factory(**values)) == missing


def test_malformed_settings_are_reported(settings_factory) -> None:
    (problem,) = missing_settings(settings_factory(RS_PORT="54x"))
    assert "RS_PORT" in problem
    with pytest.raises(RedshiftSettingsError, match="RS_SSL"):
        RedshiftSettings.from_settings(settings_factory(RS_SSL="maybe"))


def test_grantees() -> None:
    assert Grantee.parse_list(" alice, group:analysts ,") == (
        Grantee("alice"),
        Grantee("analysts", group=True),
    )
    assert [g.sql for g in Grantee.parse_list("bob,group:bi")] == ["bob", "GROUP bi"]
    for bad in ("Alice", "group:", "bob;drop", "a b", 'group:"x"'):
        with pytest.raises(RedshiftSettingsError, match="RS_GRANTEES"):
            Grantee.parse_list(bad)


def test_incomplete_settings_refuse_to_open(settings_factory) -> None:
    with pytest.raises(SettingsIncomplete, match="RS_PASSWORD"):
        open_session(settings_factory(RS_PASSWORD=None))


def test_fake_connection_gets_the_kwargs(fake_conn, settings_factory) -> None:
    session = open_session(settings_factory(), connect=fake_conn.connect)
    assert isinstance(session, DbApiSession)
    assert fake_conn.connect_kwargs["password"] == PASSWORD
    assert PASSWORD not in session.description
    session.close()
    assert fake_conn.closed


def test_real_driver_reaches_the_network_and_fails_cleanly(settings_factory) -> None:
    port = closed_port()
    settings = settings_factory(RS_HOST="127.0.0.1", RS_PORT=str(port))
    with pytest.raises(ConnectionError) as err:
        open_session(settings)
    message = str(err.value)
    assert f"cannot connect to redshift-connector 127.0.0.1:{port}/dev (password)" in message
    assert "communication error" in message  # the driver accepted every parameter
    assert PASSWORD not in message


def test_real_driver_with_iam_for_a_cluster(settings_factory, monkeypatch) -> None:
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    port = closed_port()
    settings = settings_factory(
        RS_IAM="1",
        RS_PASSWORD=None,
        RS_HOST="127.0.0.1",
        RS_PORT=str(port),
        RS_CLUSTER_ID="analytics-1",
    )
    with mock_aws():
        boto3.client("redshift", region_name="eu-west-1").create_cluster(
            ClusterIdentifier="analytics-1",
            NodeType="dc2.large",
            MasterUsername="admin",
            MasterUserPassword="Passw0rd1",
            ClusterType="single-node",
        )
        # GetClusterCredentials succeeds on moto, then the TCP connection is refused.
        with pytest.raises(ConnectionError, match="communication error"):
            open_session(settings)
