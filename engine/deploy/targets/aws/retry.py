"""Bounded retries with exponential backoff and jitter for Lambda and IAM calls.

botocore's own retry mode covers network errors and some throttling, but not the errors a
deploy tool meets every day: ResourceConflictException while a previous update is still in
progress, and a freshly created role that Lambda cannot assume yet. Those are classified here
and retried with a budget of attempts; `sleep` is injectable so tests run instantly.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from botocore.exceptions import ClientError

log = logging.getLogger("engine.deploy.targets.aws")
T = TypeVar("T")

THROTTLING_CODES = frozenset(
    {
        "TooManyRequestsException",
        "ThrottlingException",
        "Throttling",
        "ThrottledException",
        "RequestLimitExceeded",
        "SlowDown",
    }
)
# Lambda cannot use a role that IAM has not propagated yet (seconds to a minute after
# CreateRole/AttachRolePolicy); these messages are the known symptoms.
_ROLE_NOT_READY = re.compile(
    r"role.*cannot be assumed|role.*does not have permissions|InvalidArnException.*valid principal",
    re.IGNORECASE | re.DOTALL,
)


def error_code(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", ""))
    return ""


def error_message(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Message", ""))
    return str(exc)


def is_transient(exc: BaseException) -> str | None:
    """Why `exc` is worth retrying (throttling, update in progress), or None."""
    code = error_code(exc)
    if code in THROTTLING_CODES:
        return "throttled"
    # "Function already exist" is a real conflict, not a transient one.
    if code == "ResourceConflictException" and "already exist" not in error_message(exc):
        return "update in progress"
    return None


def is_role_not_ready(exc: BaseException) -> str | None:
    """Why `exc` looks like IAM propagation delay, or None."""
    code = error_code(exc)
    if code in {"InvalidParameterValueException", "ResourceInUseException"} and (
        _ROLE_NOT_READY.search(error_message(exc))
    ):
        return "execution role not assumable yet (IAM propagation)"
    return None


@dataclass
class Backoff:
    """Exponential backoff with jitter: attempt n waits in [d/2, d], d = min(cap, base * 2**n)."""

    attempts: int = 8
    base: float = 0.5
    cap: float = 20.0
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int) -> float:
        d = min(self.cap, self.base * (2**attempt))
        return d / 2 + self.rng.uniform(0, d / 2)


def call(
    what: str,
    fn: Callable[..., T],
    *args: Any,
    backoff: Backoff,
    classify: tuple[Callable[[BaseException], str | None], ...] = (is_transient,),
    **kwargs: Any,
) -> T:
    """fn(*args, **kwargs), retried while some `classify` says the error is transient."""
    attempt = 0
    while True:
        try:
            return fn(*args, **kwargs)
        except ClientError as exc:
            reason = next((r for c in classify if (r := c(exc))), None)
            attempt += 1
            if reason is None or attempt >= backoff.attempts:
                raise
            wait = backoff.delay(attempt - 1)
            log.info(
                "%s: %s (%s); retry %d/%d in %.1fs",
                what,
                error_code(exc),
                reason,
                attempt,
                backoff.attempts - 1,
                wait,
            )
            backoff.sleep(wait)
