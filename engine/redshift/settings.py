"""Redshift settings read from `engine.config.Settings.values` (flags > environment > .env).

Keys: RS_HOST, RS_PORT (5439), RS_DATABASE, RS_USER, RS_PASSWORD, RS_SSL (on), RS_IAM,
RS_CLUSTER_ID, RS_WORKGROUP, RS_SECRET_ARN, RS_DATA_API, RS_GRANTEES, RS_LAMBDA_INVOKE_ROLE,
AWS_REGION. The password never appears in a repr, a log line or an error message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from engine.catalog.sqltext import validate
from engine.config import Settings

DEFAULT_PORT = 5439
PLACEHOLDER_ACCOUNT = "000000000000"
# Clearly fake, yet a valid role ARN, so `carto-gateway sql` output still parses as DDL.
PLACEHOLDER_INVOKE_ROLE = f"arn:aws:iam::{PLACEHOLDER_ACCOUNT}:role/set-RS_LAMBDA_INVOKE_ROLE"


class RedshiftSettingsError(ValueError):
    """A Redshift setting is present but malformed."""


def _truthy(value: str | None, default: bool = False) -> bool:
    if value is None or not value.strip():
        return default
    v = value.strip().lower()
    if v in {"1", "true", "yes", "on"}:
        return True
    if v in {"0", "false", "no", "off"}:
        return False
    raise RedshiftSettingsError(f"expected a boolean (1/0, true/false, on/off), got {value!r}")


@dataclass(frozen=True)
class Grantee:
    name: str
    group: bool = False

    @property
    def sql(self) -> str:
        """The grantee as GRANT ... TO takes it."""
        return f"GROUP {self.name}" if self.group else self.name

    @classmethod
    def parse_list(cls, text: str | None) -> tuple[Grantee, ...]:
        """`alice,group:analysts` -> (Grantee('alice'), Grantee('analysts', group=True)).

        A group is written `group:name` or, as in SQL and .env.template, `group name`.
        """
        grantees = []
        for item in (text or "").split(","):
            item = item.strip()
            if not item:
                continue
            words = item.split()
            group = item.startswith("group:") or (len(words) == 2 and words[0].lower() == "group")
            name = words[1] if len(words) == 2 and group else item.removeprefix("group:")
            try:
                validate.identifier(name, "grantee")
            except validate.SqlValueError as exc:
                raise RedshiftSettingsError(f"RS_GRANTEES: {exc}") from None
            grantees.append(cls(name, group))
        return tuple(grantees)


@dataclass(frozen=True)
class RedshiftSettings:
    schema: str
    host: str | None = None
    port: int = DEFAULT_PORT
    database: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    ssl: bool = True
    iam: bool = False
    cluster_id: str | None = None
    workgroup: str | None = None
    secret_arn: str | None = None
    data_api: bool = False
    grantees: tuple[Grantee, ...] = ()
    invoke_role: str | None = None
    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> RedshiftSettings:
        """Read and validate; raises RedshiftSettingsError naming the key for a bad value."""
        v = settings.values

        def get(key: str) -> str | None:
            value = v.get(key)
            return value.strip() if value and value.strip() else None

        try:
            schema = validate.identifier(settings.schema, "schema")
        except validate.SqlValueError as exc:
            raise RedshiftSettingsError(f"RS_PREFIX / PRODUCTION give {exc}") from None
        port_text = get("RS_PORT")
        port = DEFAULT_PORT
        if port_text is not None:
            if not re.fullmatch(r"[0-9]{1,5}", port_text) or not 0 < int(port_text) < 65536:
                raise RedshiftSettingsError(f"RS_PORT: expected a TCP port, got {port_text!r}")
            port = int(port_text)
        invoke_role = get("RS_LAMBDA_INVOKE_ROLE") or settings.invoke_role
        if invoke_role:
            try:
                validate.iam_role_chain(invoke_role)
            except validate.SqlValueError as exc:
                raise RedshiftSettingsError(f"RS_LAMBDA_INVOKE_ROLE: {exc}") from None
        flags = {}
        for key, default in (("RS_SSL", True), ("RS_IAM", False), ("RS_DATA_API", False)):
            try:
                flags[key] = _truthy(get(key), default)
            except RedshiftSettingsError as exc:
                raise RedshiftSettingsError(f"{key}: {exc}") from None
        return cls(
            schema=schema,
            host=get("RS_HOST"),
            port=port,
            database=get("RS_DATABASE"),
            user=get("RS_USER"),
            password=v.get("RS_PASSWORD") or None,
            ssl=flags["RS_SSL"],
            iam=flags["RS_IAM"],
            cluster_id=get("RS_CLUSTER_ID"),
            workgroup=get("RS_WORKGROUP"),
            secret_arn=get("RS_SECRET_ARN"),
            data_api=flags["RS_DATA_API"],
            grantees=Grantee.parse_list(get("RS_GRANTEES")),
            invoke_role=invoke_role,
            region=get("AWS_REGION") or settings.aws_region,
            profile=settings.aws_profile,
            endpoint_url=settings.aws_endpoint_url,
        )

    @property
    def mode(self) -> str:
        """How SQL reaches Redshift: 'data-api', 'iam' or 'password'."""
        if self.data_api:
            return "data-api"
        return "iam" if self.iam else "password"

    def describe(self) -> str:
        """Where SQL goes, for reports (never the password)."""
        if self.data_api:
            where = (
                f"workgroup {self.workgroup}" if self.workgroup else f"cluster {self.cluster_id}"
            )
            return f"Redshift Data API, {where}, database {self.database}"
        target = self.host or (self.workgroup and f"workgroup {self.workgroup}") or self.cluster_id
        return f"redshift-connector {target}:{self.port}/{self.database} ({self.mode})"

    def missing(self) -> list[str]:
        """Settings that must be added before SQL can run (empty when complete)."""
        missing: list[str] = []
        if not self.invoke_role:
            missing.append("RS_LAMBDA_INVOKE_ROLE")
        if not self.database:
            missing.append("RS_DATABASE")
        if self.data_api:
            if not self.region:
                missing.append("AWS_REGION")
            if not (self.cluster_id or self.workgroup):
                missing.append("RS_CLUSTER_ID or RS_WORKGROUP")
            elif self.cluster_id and not self.workgroup and not (self.secret_arn or self.user):
                missing.append("RS_SECRET_ARN or RS_USER (database user)")
        elif self.iam:
            if not (self.cluster_id or self.workgroup or self.host):
                missing.append("RS_CLUSTER_ID, RS_WORKGROUP or RS_HOST")
            if not self.workgroup and not self.user:
                missing.append("RS_USER (database user)")
            if not self.region and not self.host:
                missing.append("AWS_REGION")
        else:
            for key, value in (
                ("RS_HOST", self.host),
                ("RS_USER", self.user),
                ("RS_PASSWORD", self.password),
            ):
                if not value:
                    missing.append(key)
        return missing


def missing_settings(settings: Settings) -> list[str]:
    """What is missing for the Redshift phase; deploy runs the Lambda phase only when non-empty.

    A malformed value is reported as missing with the reason, so the deploy can say it.
    """
    try:
        return RedshiftSettings.from_settings(settings).missing()
    except RedshiftSettingsError as exc:
        return [f"a valid value ({exc})"]


def placeholder_lambda_arn(settings: Settings, deployed_name: str) -> str:
    """An ARN for `carto-gateway sql` when nothing is deployed yet.

    `arn:aws:lambda:<region>:<account>:function:<deployed name>`, the account taken from
    AWS_ACCOUNT_ID or the invoke role (the Lambda lives where the last role of a chain is),
    else 000000000000.
    """
    region = settings.aws_region or "us-east-1"
    account = settings.values.get("AWS_ACCOUNT_ID") or ""
    if not re.fullmatch(r"[0-9]{12}", account):
        account = PLACEHOLDER_ACCOUNT
        chain = (settings.invoke_role or "").split(",")
        for arn in [*reversed(chain), settings.execution_role or ""]:
            m = re.match(r"arn:aws[a-z-]*:iam::([0-9]{12}):", arn)
            if m:
                account = m.group(1)
                break
    return validate.lambda_arn(f"arn:aws:lambda:{region}:{account}:function:{deployed_name}")
