"""The one configuration resolver used by the CLI, the Makefile and the pytest plugin.

Precedence, highest first: command-line flags, the process environment, `.env` at the
repository root. Only the keys below are read.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_LAMBDA_PREFIX = "carto-at-"
TARGETS = ("local", "aws")


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
    # Every raw value that was read (flags, environment, .env), for the parts that need more.
    values: Mapping[str, str] = field(default_factory=dict, repr=False)
    repo_root: Path = Path(".")

    @property
    def schema(self) -> str:
        return "carto" if self.production else f"{self.rs_prefix}carto"


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse KEY=VALUE lines; comments, blank lines and an `export ` prefix are allowed."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").strip()
        key, sep, value = line.partition("=")
        if not sep:
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def resolve_settings(
    flags: Mapping[str, str | None] | None = None,
    environ: Mapping[str, str] | None = None,
    repo_root: Path | None = None,
) -> Settings:
    """Merge flags > environment > .env into Settings. `flags` uses environment key names."""
    root = repo_root or Path.cwd()
    environ = os.environ if environ is None else environ
    merged: dict[str, str] = {}
    sources: dict[str, str] = {}
    for source, layer in (
        (".env", read_dotenv(root / ".env")),
        ("environment", environ),
        ("command line", {k: v for k, v in (flags or {}).items() if v is not None}),
    ):
        for key, value in layer.items():
            merged[key] = value
            sources[key] = source

    target = merged.get("CARTO_TARGET") or ""
    if target:
        reason = f"CARTO_TARGET={target} from the {sources['CARTO_TARGET']}"
    else:
        target, reason = "local", "default: CARTO_TARGET is not set"
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r} ({reason}); choose one of {', '.join(TARGETS)}")

    return Settings(
        target=target,
        target_reason=reason,
        lambda_prefix=merged.get("RS_LAMBDA_PREFIX") or DEFAULT_LAMBDA_PREFIX,
        production=_truthy(merged.get("PRODUCTION")),
        rs_prefix=merged.get("RS_PREFIX", ""),
        aws_region=merged.get("AWS_REGION") or merged.get("AWS_DEFAULT_REGION"),
        aws_profile=merged.get("AWS_PROFILE"),
        aws_endpoint_url=merged.get("AWS_ENDPOINT_URL"),
        execution_role=merged.get("RS_LAMBDA_EXECUTION_ROLE"),
        invoke_role=merged.get("RS_LAMBDA_INVOKE_ROLE"),
        values=merged,
        repo_root=root,
    )
