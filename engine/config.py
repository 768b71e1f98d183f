"""The one configuration resolver used by the CLI, the Makefile and the pytest plugin.

Precedence, highest first: command-line flags, the process environment, `.env` at the
repository root. There is exactly one `.env` (the repository root's); no other directory's
`.env` is ever read, so nothing can silently override CI's environment.

Only keys named in `VARIABLES` (and any other `RS_*`, `CARTO_*` or `AWS_*` key, for parts of
the project that need more) are kept. Secrets are kept only where the project itself needs
them (`RS_PASSWORD`, for the Redshift connection) and are masked in every repr. AWS
credentials are never read here: boto3 finds them through its standard chain.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from engine import naming
from engine.envfile import EnvFileError, boolean, read_env_file

DEFAULT_LAMBDA_PREFIX = "carto-at-"
DEFAULT_JOBS = 8
TARGETS = ("local", "aws")

# Every variable this project reads, with the one-line description `.env.template` repeats.
VARIABLES: dict[str, str] = {
    "AWS_PROFILE": "named profile from ~/.aws (keys, SSO, assume-role); preferred",
    "AWS_REGION": "region of the Lambda functions (AWS_DEFAULT_REGION is accepted too)",
    "AWS_ACCESS_KEY_ID": "explicit key id; read by boto3 from the environment only",
    "AWS_SECRET_ACCESS_KEY": "explicit secret; read by boto3 from the environment only",
    "AWS_SESSION_TOKEN": "session token of temporary credentials (environment only)",
    "AWS_ENDPOINT_URL": "endpoint override for every AWS service (moto, LocalStack)",
    "RS_LAMBDA_PREFIX": "prefix of every Lambda name (default carto-at-)",
    "RS_LAMBDA_EXECUTION_ROLE": "ARN of a pre-created Lambda execution role",
    "RS_LAMBDA_INVOKE_ROLE": "role(s) Redshift invokes the Lambdas with; comma-separated chain",
    "RS_PREFIX": "development schema prefix: schema = {RS_PREFIX}carto",
    "RS_HOST": "Redshift endpoint host name",
    "RS_PORT": "Redshift port (default 5439)",
    "RS_DATABASE": "database the functions are created in",
    "RS_USER": "database user",
    "RS_PASSWORD": "database password (masked in all output)",
    "RS_SSL": "1/0: use TLS for the Redshift connection",
    "RS_CLUSTER_ID": "provisioned cluster identifier (IAM authentication)",
    "RS_WORKGROUP": "Redshift Serverless workgroup name",
    "RS_IAM": "1: authenticate to Redshift with IAM instead of a password",
    "RS_SECRET_ARN": "Secrets Manager secret for the Redshift Data API",
    "RS_DATA_API": "1: run SQL through the Redshift Data API",
    "RS_GRANTEES": "comma-separated users/groups granted EXECUTE on the functions",
    "PRODUCTION": "1: deploy to schema carto instead of {RS_PREFIX}carto",
    "CARTO_TARGET": "local (default) or aws",
    "CARTO_S3_BUCKET": "bucket for artifacts over 50 MB (same region as the Lambdas)",
    "CARTO_JOBS": "parallel deploy workers (default 8)",
}

# Never shown in full anywhere (repr, str, logs).
SECRET_KEYS = frozenset({"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "RS_PASSWORD"})
# Never kept at all: AWS credentials belong to boto3's chain, not to this project.
_DROPPED_KEYS = frozenset({"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"})
_KEPT_PREFIXES = ("RS_", "CARTO_", "AWS_")
MASK = "***"
# AWS region names: us-east-1, us-gov-west-1, ap-southeast-4, cn-north-1 ...
_REGION_RE = re.compile(r"[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}")


class ConfigError(ValueError):
    """Bad configuration: the CLI reports it and exits with code 2."""

    exit_code = 2


class MaskedValues(Mapping[str, str]):
    """A read-only mapping of raw values whose repr masks secrets."""

    def __init__(self, data: Mapping[str, str]) -> None:
        self._data = dict(data)

    def __getitem__(self, key: str) -> str:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def masked(self) -> dict[str, str]:
        return {k: (MASK if k in SECRET_KEYS and v else v) for k, v in self._data.items()}

    def __repr__(self) -> str:
        return f"MaskedValues({self.masked()!r})"

    __str__ = __repr__


@dataclass(frozen=True)
class Settings:
    target: str = "local"
    target_reason: str = "default: no target configured"
    lambda_prefix: str = DEFAULT_LAMBDA_PREFIX
    production: bool = False
    rs_prefix: str = ""
    aws_region: str | None = None
    aws_profile: str | None = None
    aws_endpoint_url: str | None = None
    execution_role: str | None = None
    invoke_role: str | None = None
    s3_bucket: str | None = None
    jobs: int = DEFAULT_JOBS
    # Every raw value that was read (flags, environment, .env), for the parts that need more.
    # Secrets inside are masked in repr; AWS secret keys are never kept.
    values: Mapping[str, str] = field(default_factory=dict, repr=False)
    # Where each key came from: "command line", "environment" or ".env".
    sources: Mapping[str, str] = field(default_factory=dict, repr=False)
    repo_root: Path = Path(".")

    @property
    def schema(self) -> str:
        return naming.schema_name(self.rs_prefix, self.production)

    def check_schema_write(self) -> None:
        """ConfigError unless SQL may be written to this schema: the production schema `carto`
        only with PRODUCTION=1, never because RS_PREFIX happens to be unset."""
        if self.production or self.schema != naming.schema_name("", True):
            return
        raise ConfigError(
            f"RS_PREFIX is not set, so this development deploy would change the production "
            f"schema {self.schema}; nothing was changed. Set RS_PREFIX for a schema of your "
            "own (e.g. RS_PREFIX=dev_<name>_ in .env gives dev_<name>_carto), or deploy to "
            f"{self.schema} on purpose with production=1 (make), --production (CLI) or "
            "PRODUCTION=1"
        )

    @property
    def invoke_roles(self) -> list[str]:
        """RS_LAMBDA_INVOKE_ROLE split into its chain; the last role is the one that invokes."""
        return [r.strip() for r in (self.invoke_role or "").split(",") if r.strip()]

    def describe(self) -> list[str]:
        """`KEY=value (source)` lines for display, secrets masked."""
        shown = self.values.masked() if isinstance(self.values, MaskedValues) else {}
        return [f"{k}={shown[k]} ({self.sources.get(k, '?')})" for k in sorted(shown)]

    def check_names(self, lambda_names: Iterable[str] | Mapping[str, str] = ()) -> None:
        """Raise ConfigError when any AWS or SQL name derived from this configuration is invalid.

        `lambda_names` are the catalog's lambda names (without prefix); only the longest matters
        for length, but every one is checked for characters.
        """
        problems = naming.check_all(
            self.lambda_prefix,
            self.schema,
            lambda_names,
            execution_role=self.execution_role,
            invoke_roles=self.invoke_roles,
        )
        if problems:
            raise ConfigError("\n".join(problems))


# Keys read from the settings outside `VARIABLES` (the build's runtime override, boto3's region
# fallback): known to the `.env` reader, so that it warns only about real typos.
OTHER_KEYS = frozenset({"AWS_DEFAULT_REGION", "AWS_ACCOUNT_ID", "CARTO_RUNTIME"})


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY -> value of a `.env` (see engine.envfile); ConfigError naming file:line and the fix."""
    try:
        return read_env_file(path, set(VARIABLES) | OTHER_KEYS)
    except EnvFileError as exc:
        raise ConfigError(str(exc)) from None


def _truthy(value: str | None, key: str = "", source: str = "") -> bool:
    """A boolean setting; anything but 1/0, true/false, yes/no, on/off is a ConfigError."""
    try:
        return boolean(key, value, f"from the {source}")
    except EnvFileError as exc:
        raise ConfigError(str(exc)) from None


def _kept(key: str) -> bool:
    return key not in _DROPPED_KEYS and (key in VARIABLES or key.startswith(_KEPT_PREFIXES))


def _jobs(raw: str | None, source: str) -> int:
    if not raw:
        return DEFAULT_JOBS
    try:
        jobs = int(raw)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise ConfigError(f"CARTO_JOBS={raw!r} (from the {source}) must be a positive integer")
    return jobs


def resolve_settings(
    flags: Mapping[str, str | None] | None = None,
    environ: Mapping[str, str] | None = None,
    repo_root: Path | None = None,
    *,
    lambda_names: Iterable[str] | Mapping[str, str] | None = None,
    dotenv: bool = True,
) -> Settings:
    """Merge flags > environment > .env into Settings. `flags` uses environment key names.

    `dotenv=False` reads no `.env` at all (the installer: a package folder's files are not
    the customer's configuration).

    Names that depend only on the configuration (prefix, role, schema) are always checked;
    pass the catalog's `lambda_names` to check the full Lambda names too. Raises ConfigError.
    """
    root = repo_root or Path.cwd()
    environ = os.environ if environ is None else environ
    merged: dict[str, str] = {}
    sources: dict[str, str] = {}
    for source, layer in (
        (".env", read_dotenv(root / ".env") if dotenv else {}),
        ("environment", environ),
        ("command line", {k: v for k, v in (flags or {}).items() if v is not None}),
    ):
        for key, value in layer.items():
            if not _kept(key) and key not in _DROPPED_KEYS:
                continue
            sources[key] = source
            if _kept(key):
                merged[key] = value

    target = merged.get("CARTO_TARGET") or ""
    if target:
        reason = f"CARTO_TARGET={target} from the {sources['CARTO_TARGET']}"
    else:
        target, reason = "local", "default: CARTO_TARGET is not set"
    if target not in TARGETS:
        raise ConfigError(
            f"unknown target {target!r} ({reason}); choose one of {', '.join(TARGETS)}"
        )

    region_key = "AWS_REGION" if merged.get("AWS_REGION") else "AWS_DEFAULT_REGION"
    region = merged.get(region_key) or None
    if region is not None and not _REGION_RE.fullmatch(region):
        raise ConfigError(
            f"{region_key}={region!r} (from the {sources.get(region_key)}) is not an AWS region "
            "name such as us-east-1 or eu-west-1"
        )

    settings = Settings(
        target=target,
        target_reason=reason,
        lambda_prefix=merged.get("RS_LAMBDA_PREFIX") or DEFAULT_LAMBDA_PREFIX,
        production=_truthy(merged.get("PRODUCTION"), "PRODUCTION", sources.get("PRODUCTION", "")),
        rs_prefix=merged.get("RS_PREFIX", ""),
        aws_region=region,
        aws_profile=merged.get("AWS_PROFILE") or None,
        aws_endpoint_url=merged.get("AWS_ENDPOINT_URL") or None,
        execution_role=merged.get("RS_LAMBDA_EXECUTION_ROLE") or None,
        invoke_role=merged.get("RS_LAMBDA_INVOKE_ROLE") or None,
        s3_bucket=merged.get("CARTO_S3_BUCKET") or None,
        jobs=_jobs(merged.get("CARTO_JOBS"), sources.get("CARTO_JOBS", "")),
        values=MaskedValues(merged),
        sources=dict(sources),
        repo_root=root,
    )
    settings.check_names(lambda_names or ())
    return settings


def env_file_credentials(settings: Settings) -> list[str]:
    """AWS credential keys set in `.env` or on the command line but absent from the environment.

    boto3 reads keys only from the process environment (or a profile), so such keys would be
    silently ignored and another identity used instead; callers turn this into an error.
    """
    keys = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
    return [k for k in keys if settings.sources.get(k) in {".env", "command line"}]
