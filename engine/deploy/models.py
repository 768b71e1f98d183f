"""Desired state, reported state, actions and plans: plain data shared by every target.

The planner (engine.deploy.planner) only computes a Plan from Desired and Deployed; the executor
(engine.deploy.executor) only applies it through a Target; dry-run displays the same Plan.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from engine.build.artifact import Artifact
from engine.catalog.model import Function

if TYPE_CHECKING:
    from engine.invoke.result import InvokeResult

# Tags (or local metadata keys) every deployed function carries. Only functions carrying
# MANAGED_TAG are ever updated or deleted by this tool.
MANAGED_TAG = "carto-gateway:managed"
DIGEST_TAG = "carto-gateway:digest"
FUNCTION_TAG = "carto-gateway:function"  # catalog id, "module/name"


@dataclass(frozen=True)
class Desired:
    """What one function should look like on the target."""

    function: Function
    artifact: Artifact
    deployed_name: str  # prefix + lambda_name
    config: dict[str, Any]  # memory_size, timeout, runtime, architecture, handler


@dataclass(frozen=True)
class Deployed:
    """What the target reports for one deployed function."""

    deployed_name: str
    digest: str | None
    config: dict[str, Any]
    function_id: str | None  # FUNCTION_TAG, when managed
    managed: bool
    extra: dict[str, Any] = field(default_factory=dict)  # target specific (ARN, CodeSha256, ...)


@dataclass(frozen=True)
class ExpectedCode:
    """What the local build says one deployed function should contain: a read_state hint.

    A target may use it to confirm an unchanged function from a cheap listing instead of a
    per-function read; anything it cannot confirm is still read in full.
    """

    code_sha256: str  # base64 of the sha256 of the zip bytes, as Lambda reports CodeSha256
    digest: str  # the artifact's content digest (DIGEST_TAG)
    function_id: str  # "module/name"


@dataclass(frozen=True)
class FileBytes:
    """A parameter holding a file's bytes, read when the call is made (never kept in a plan,
    never printed: displayed by size)."""

    path: Path
    size: int

    def read(self) -> bytes:
        return self.path.read_bytes()


# Parameters whose values are never printed: code, bodies and environment values.
MASKED_PARAMS = frozenset({"ZipFile", "Body", "Variables"})


@dataclass(frozen=True)
class ApiCall:
    """One call applying a plan makes, with its parameters, as dry-run shows it.

    `done_if`: error codes meaning the call's effect already holds (a rerun converges).
    `expect`: (path into the response, value) that must hold, else `expect_message` is the
    error. `wait`: the boto3 waiter run after the call, with `wait_params`. `role_retry`: also
    retried while a new execution role propagates.
    """

    service: str  # boto3 client name: "lambda", "iam", "s3"; "local" for the local target
    operation: str  # the API's own name: "CreateFunction"
    params: Mapping[str, Any]
    subject: str = ""  # the function or role it concerns, for messages
    done_if: frozenset[str] = frozenset()
    expect: tuple[tuple[str, ...], Any] | None = None
    expect_message: str = ""
    wait: str | None = None
    wait_params: Mapping[str, Any] = field(default_factory=dict)
    role_retry: bool = False

    @property
    def name(self) -> str:
        return f"{self.service}:{self.operation}"


def _shown(key: str, value: Any) -> str:
    if isinstance(value, FileBytes):
        return f"<zip {value.size} bytes from {value.path.name}>"
    if key in MASKED_PARAMS:
        if isinstance(value, Mapping):
            return "{" + ", ".join(f"{k}=***" for k in value) + "}"
        return "***"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}={_shown(k, v)}" for k, v in value.items()) + "}"
    return repr(value)


def format_call(call: ApiCall) -> str:
    """`lambda:CreateFunction FunctionName='x' ...`: every parameter, code and secrets masked."""
    params = " ".join(f"{k}={_shown(k, v)}" for k, v in call.params.items())
    text = f"{call.name} {params}".rstrip()
    if call.done_if:
        text += f" (done if {', '.join(sorted(call.done_if))})"
    if call.wait:
        text += f" [then wait {call.wait}]"
    return text


class ActionKind(enum.Enum):
    CREATE = "create"
    UPDATE_CODE = "update-code"
    UPDATE_CONFIG = "update-config"
    SKIP = "skip"
    DELETE = "delete"
    ENSURE = "ensure"  # target-level prerequisites (roles, permissions, schema)
    RUN_SQL = "run-sql"
    CLEANUP = "cleanup"  # after everything else succeeded: roles nothing uses any more

    @property
    def mutating(self) -> bool:
        return self is not ActionKind.SKIP


@dataclass(frozen=True)
class Action:
    kind: ActionKind
    name: str  # deployed name, or the prerequisite's name for ENSURE
    reason: str
    desired: Desired | None = None
    deployed: Deployed | None = None
    changes: tuple[str, ...] = ()  # e.g. ("digest", "memory_size")
    data: dict[str, Any] = field(default_factory=dict)  # SQL statements, policy, ...
    calls: tuple[ApiCall, ...] = ()  # what applying it does, filled in by the target


@dataclass
class Plan:
    target: str
    prefix: str
    actions: list[Action]

    @property
    def mutating(self) -> list[Action]:
        return [a for a in self.actions if a.kind.mutating]

    def by_kind(self, kind: ActionKind) -> list[Action]:
        return [a for a in self.actions if a.kind is kind]


@dataclass
class Outcome:
    action: Action
    ok: bool
    error: str | None = None
    seconds: float = 0.0


class Target(Protocol):
    """A place functions are deployed to."""

    name: str

    def read_state(
        self, prefix: str, expected: Mapping[str, ExpectedCode] | None = None
    ) -> dict[str, Deployed]:
        """Every function deployed under `prefix`, keyed by deployed name (read-only).

        `expected` (deployed name -> ExpectedCode of the local artifact) is only a hint that
        may save reads; the result must be the same with or without it.
        """
        ...

    def extra_actions(
        self, desired: list[Desired], state: dict[str, Deployed], prefix: str | None = None
    ) -> list[Action]:
        """Prerequisites to ensure before functions are created (roles, permissions)."""
        ...

    def calls(self, action: Action) -> tuple[ApiCall, ...]:
        """Every call applying `action` will make, in order (planning: reads only)."""
        ...

    def apply(self, action: Action) -> None:
        """Carry out one mutating action: exactly its calls; raise on failure."""
        ...

    def invoke_result(self, deployed_name: str, event: dict[str, Any]) -> InvokeResult:
        """Invoke a deployed function with a Redshift event: Lambda's answer, the same type
        on every target (a function failure is FunctionError with the runtime's document)."""
        ...

    def invoke(self, deployed_name: str, event: dict[str, Any]) -> Any:
        """The function's payload; InvocationError when the function failed."""
        ...
