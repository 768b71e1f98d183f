"""The boto3 session and clients of the aws target.

Credentials come only from boto3's standard chain (environment, profile incl. SSO and
assume-role, container/instance role). This module passes boto3 nothing but the profile name,
the region and the endpoint override; it never reads, copies or prints a secret.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ProfileNotFound

from engine.config import ConfigError, Settings, env_file_credentials

# botocore's DEBUG output includes signed request headers, session token included. `-v`
# turns the root logger to DEBUG, so unless someone configured these loggers on purpose,
# keep them at INFO: verbose output must never carry credentials.
for _name in ("botocore", "boto3", "s3transfer", "urllib3"):
    if logging.getLogger(_name).level == logging.NOTSET:
        logging.getLogger(_name).setLevel(logging.INFO)

# (event name, handler) pairs registered on every session this module creates: the seam for
# observing API calls (tests and benchmarks count them) without patching boto3.
_HOOKS: list[tuple[str, Callable[..., Any]]] = []


def add_hook(event: str, handler: Callable[..., Any]) -> None:
    """Register a botocore event handler (e.g. 'before-call') on every future session."""
    _HOOKS.append((event, handler))


def remove_hook(event: str, handler: Callable[..., Any]) -> None:
    if (event, handler) in _HOOKS:
        _HOOKS.remove((event, handler))


def make_session(settings: Settings) -> boto3.Session:
    in_file = env_file_credentials(settings)
    if in_file:
        raise ConfigError(
            f"{', '.join(in_file)} set in .env or on the command line, but AWS credentials are "
            "taken only from boto3's chain (process environment, AWS_PROFILE, SSO, instance "
            "role); export them in your shell/CI or use AWS_PROFILE instead"
        )
    try:
        session = boto3.Session(profile_name=settings.aws_profile, region_name=settings.aws_region)
    except ProfileNotFound as exc:
        raise ConfigError(
            f"AWS_PROFILE={settings.aws_profile!r} is not in ~/.aws/config or "
            "~/.aws/credentials; check the name or run `aws configure sso`"
        ) from exc
    if not session.region_name:
        raise ConfigError("no AWS region: set AWS_REGION (in .env, the environment or the profile)")
    for event, handler in _HOOKS:
        session.events.register(event, handler)
    return session


class Clients:
    """Lazily created, thread-safe clients sharing one session and endpoint override."""

    def __init__(self, settings: Settings, session: boto3.Session | None = None) -> None:
        self.settings = settings
        self._session = session
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._config = Config(
            user_agent_extra="carto-gateway",
            retries={"mode": "standard", "max_attempts": 3},
            max_pool_connections=max(10, 2 * settings.jobs),
        )

    @property
    def session(self) -> boto3.Session:
        with self._lock:
            if self._session is None:
                self._session = make_session(self.settings)
            return self._session

    @property
    def region(self) -> str:
        return str(self.session.region_name)

    def __call__(self, service: str) -> Any:
        session = self.session
        with self._lock:
            if service not in self._clients:
                # boto3 reads AWS_ENDPOINT_URL from the environment by itself; a value from
                # .env or a flag must be passed explicitly, so it always is when set.
                self._clients[service] = session.client(
                    service,
                    endpoint_url=self.settings.aws_endpoint_url,
                    config=self._config,
                )
            return self._clients[service]
