"""Deployment targets: where artifacts go. `local` is the embedded default; `aws` uses boto3."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.config import TARGETS, Settings
from engine.deploy.models import Target


def local_root(settings: Settings) -> Path:
    return Path(settings.repo_root) / ".carto" / "local"


def get_target(settings: Settings, **kw: Any) -> Target:
    """The Target named by settings.target. Keyword arguments go to its constructor.

    The aws target is imported only when asked for, so the local target needs no boto3 setup.
    """
    if settings.target == "local":
        from engine.deploy.targets.local.target import LocalTarget

        return LocalTarget(kw.pop("root", None) or local_root(settings), **kw)
    if settings.target == "aws":
        from engine.deploy.targets.aws import AwsTarget

        return AwsTarget(settings, **kw)
    raise ValueError(
        f"unknown target {settings.target!r} ({settings.target_reason}); "
        f"choose one of {', '.join(TARGETS)}"
    )
