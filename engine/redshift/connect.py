"""Open the one SQL session a deploy uses, as the settings choose.

- RS_DATA_API=1: Redshift Data API through boto3 (cluster or Serverless workgroup; secret ARN
  or database user).
- RS_IAM=1: redshift-connector with IAM authentication (GetClusterCredentials for a cluster,
  GetCredentials for a Serverless workgroup); the host may be looked up from either.
- otherwise: redshift-connector with host, port, database, user and password.
SSL is on unless RS_SSL=0.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.config import Settings
from engine.redshift.session import DataApiSession, DbApiSession, SqlSession
from engine.redshift.settings import RedshiftSettings

CONNECT_TIMEOUT = 30  # seconds; the driver's default waits indefinitely
APPLICATION_NAME = "carto-gateway"


class SettingsIncomplete(ValueError):
    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(
            "Redshift settings incomplete; set " + ", ".join(missing) + " (environment or .env)"
        )


def _redshift(settings: Settings | RedshiftSettings) -> RedshiftSettings:
    rs = (
        settings
        if isinstance(settings, RedshiftSettings)
        else RedshiftSettings.from_settings(settings)
    )
    missing = rs.missing()
    if missing:
        raise SettingsIncomplete(missing)
    return rs


def connect_kwargs(rs: RedshiftSettings) -> dict[str, Any]:
    """Keyword arguments for `redshift_connector.connect` (holds the password: never log it)."""
    kwargs: dict[str, Any] = {
        "database": rs.database,
        "port": rs.port,
        "ssl": rs.ssl,
        "timeout": CONNECT_TIMEOUT,
        "application_name": APPLICATION_NAME,
    }
    if rs.host:
        kwargs["host"] = rs.host
    if rs.iam:
        kwargs.update(iam=True, user="", password="", region=rs.region)
        if rs.profile:
            kwargs["profile"] = rs.profile
        if rs.workgroup:
            kwargs.update(is_serverless=True, serverless_work_group=rs.workgroup)
            if rs.user:
                kwargs["db_user"] = rs.user
        else:
            kwargs["db_user"] = rs.user
            if rs.cluster_id:
                kwargs["cluster_identifier"] = rs.cluster_id
    else:
        kwargs.update(user=rs.user, password=rs.password)
    return kwargs


def data_api_target(rs: RedshiftSettings) -> dict[str, str]:
    """The identifying parameters every Data API call carries."""
    target: dict[str, str] = {"Database": rs.database or ""}
    if rs.workgroup:
        target["WorkgroupName"] = rs.workgroup
    else:
        target["ClusterIdentifier"] = rs.cluster_id or ""
    if rs.secret_arn:
        target["SecretArn"] = rs.secret_arn
    elif rs.user and not rs.workgroup:
        target["DbUser"] = rs.user
    return target


def open_session(
    settings: Settings | RedshiftSettings,
    *,
    connect: Callable[..., Any] | None = None,
    client: Any = None,
) -> SqlSession:
    """Open the deploy's SQL session. `connect`/`client` replace the driver/boto3 in tests.

    Raises SettingsIncomplete naming what to set, or the driver's error (without the password).
    """
    rs = _redshift(settings)
    if rs.data_api:
        if client is None:
            import boto3

            session = boto3.Session(profile_name=rs.profile, region_name=rs.region)
            client = session.client("redshift-data", endpoint_url=rs.endpoint_url)
        return DataApiSession(client, data_api_target(rs), description=rs.describe())
    if connect is None:
        import redshift_connector

        connect = redshift_connector.connect
    kwargs = connect_kwargs(rs)
    try:
        connection = connect(**kwargs)
    except Exception as exc:
        # Driver messages can echo parameters; make sure the password is not among them.
        message = str(exc)
        if rs.password:
            message = message.replace(rs.password, "***")
        raise ConnectionError(f"cannot connect to {rs.describe()}: {message}") from None
    return DbApiSession(connection, rs.describe())
