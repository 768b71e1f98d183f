"""Desired state, reported state, actions and plans: plain data shared by every target.

The planner (engine.deploy.planner) only computes a Plan from Desired and Deployed; the executor
(engine.deploy.executor) only applies it through a Target; dry-run displays the same Plan.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from engine.build.artifact import Artifact
from engine.catalog.model import Function

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


class ActionKind(enum.Enum):
    CREATE = "create"
    UPDATE_CODE = "update-code"
    UPDATE_CONFIG = "update-config"
    SKIP = "skip"
    DELETE = "delete"
    ENSURE = "ensure"  # target-level prerequisites (roles, permissions, schema)
    RUN_SQL = "run-sql"

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

    def extra_actions(self, desired: list[Desired], state: dict[str, Deployed]) -> list[Action]:
        """Prerequisites to ensure before functions are created (roles, permissions)."""
        ...

    def apply(self, action: Action) -> None:
        """Carry out one mutating action; raise on failure."""
        ...

    def invoke(self, deployed_name: str, event: dict[str, Any]) -> Any:
        """Invoke a deployed function with a Redshift event; return the raw payload."""
        ...
