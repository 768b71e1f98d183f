"""AwsTarget: Lambda functions and their IAM prerequisites, read and changed through boto3.

State lives in tags on each function (base.MANAGED_TAG, FUNCTION_TAG, DIGEST_TAG): the
managed tag's value is the prefix the function was deployed under, so a shorter prefix that
happens to match another deployment's names never adopts, updates or removes them. The
digest tag is written after the code (creation carries it atomically), so a crash between
the two makes the next run see a stale digest and simply redo the update.

Ownership is the managed tag and nothing else: every listed function's tags are read (one
GetFunction each, in parallel; GetFunction is outside Lambda's 15 requests/s control-plane
quota), by deploy and status alike. The Description still ends with a marker,
`[carto-gateway <prefix> <module/name>]`, for people reading the console; anyone can write a
Description, so the marker never makes a function ours (a copy of it on a Lambda without the
tag is "not managed" everywhere).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
from botocore import xform_name
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, WaiterError

from engine import naming
from engine.config import Settings
from engine.deploy.models import (
    DIGEST_TAG,
    FUNCTION_TAG,
    MANAGED_TAG,
    Action,
    ActionKind,
    ApiCall,
    Deployed,
    Desired,
    ExpectedCode,
    FileBytes,
)
from engine.deploy.targets.aws import calls as plan_calls
from engine.deploy.targets.aws import policies, retry
from engine.deploy.targets.aws.calls import (
    CROSS_ACCOUNT,
    DESCRIPTION_LIMIT,
    INVOKER_TAG,
    CallContext,
    function_description,
    marker,
    parse_marker,
)
from engine.deploy.targets.aws.retry import Backoff, error_code, error_message
from engine.deploy.targets.aws.session import Clients
from engine.invoke.result import InvokeResult

__all__ = [
    "CROSS_ACCOUNT",
    "DESCRIPTION_LIMIT",
    "INVOKER_TAG",
    "AwsTarget",
    "AwsTargetError",
    "deployed_config",
    "function_description",
    "marker",
    "parse_marker",
]

log = logging.getLogger("engine.deploy.targets.aws")

DIRECT_UPLOAD_LIMIT = 50 * 1024 * 1024  # Lambda's limit for a zip passed inline
# Parallel reads of per-function tags; reads are cheap and GetFunction's quota is generous.
STATE_READERS = 16


class AwsTargetError(RuntimeError):
    """An AWS operation failed; the message names the operation, function and fix. `code` is
    botocore's parsed Error.Code ("" when the failure was not an AWS error response)."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


def _fail(what: str, exc: ClientError | BotoCoreError) -> AwsTargetError:
    if isinstance(exc, NoCredentialsError):
        return AwsTargetError(
            f"{what}: no AWS credentials found; set AWS_PROFILE (or run `aws sso login`), or "
            "export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        )
    if isinstance(exc, BotoCoreError):
        return AwsTargetError(f"{what}: {exc}")
    code = error_code(exc)
    return AwsTargetError(f"{what}: {code}: {error_message(exc)}", code)


def deployed_config(configuration: dict[str, Any]) -> dict[str, Any]:
    """The compared configuration keys from a Lambda FunctionConfiguration."""
    return {
        "memory_size": configuration.get("MemorySize"),
        "timeout": configuration.get("Timeout"),
        "runtime": configuration.get("Runtime"),
        "architecture": (configuration.get("Architectures") or ["x86_64"])[0],
        "handler": configuration.get("Handler"),
    }


def _waiter_failed(exc: WaiterError, waiter: str, name: str) -> AwsTargetError:
    last = exc.last_response.get("Configuration", {}) if exc.last_response else {}
    reason = last.get("StateReason") or last.get("LastUpdateStatusReason") or str(exc)
    return AwsTargetError(
        f"{name} did not become ready ({waiter}): {reason}; see its CloudWatch logs "
        "and rerun deploy, which redoes unfinished updates"
    )


def _resolved(value: Any) -> Any:
    """A parameter as boto3 takes it: file contents read now, at the call."""
    if isinstance(value, FileBytes):
        return value.read()
    if isinstance(value, dict):
        return {k: _resolved(v) for k, v in value.items()}
    return value


class AwsTarget:
    name = "aws"

    def __init__(
        self,
        settings: Settings,
        *,
        session: boto3.Session | None = None,
        backoff: Backoff | None = None,
        role_backoff: Backoff | None = None,
        direct_upload_limit: int = DIRECT_UPLOAD_LIMIT,
    ) -> None:
        self.settings = settings
        self.clients = Clients(settings, session)
        self.backoff = backoff or Backoff()
        # IAM propagation takes up to about a minute: more, longer attempts (~2.5 min total).
        self.role_backoff = role_backoff or Backoff(
            attempts=16, base=1.0, cap=12.0, sleep=self.backoff.sleep
        )
        self.direct_upload_limit = direct_upload_limit
        self.prefix = settings.lambda_prefix
        self._identity: dict[str, Any] | None = None
        self._identity_lock = threading.Lock()
        self.clients.session  # noqa: B018 - configuration errors surface now, not mid-deploy

    # -- helpers -------------------------------------------------------------------------

    def _call(self, what: str, fn: Any, *, role_retry: bool = False, **kwargs: Any) -> Any:
        classify: tuple[Any, ...] = (retry.is_transient,)
        backoff = self.backoff
        if role_retry:
            classify = (retry.is_transient, retry.is_role_not_ready)
            backoff = self.role_backoff
        try:
            return retry.call(what, fn, backoff=backoff, classify=classify, **kwargs)
        except (ClientError, BotoCoreError) as exc:
            raise _fail(what, exc) from None

    @property
    def region(self) -> str:
        return self.clients.region

    def account_id(self) -> str:
        with self._identity_lock:  # parallel creates ask at once; one call is enough
            if self._identity is None:
                sts = self.clients("sts")
                self._identity = self._call("GetCallerIdentity", sts.get_caller_identity)
        return str(self._identity["Account"])

    def _partition(self) -> str:
        self.account_id()
        arn = str((self._identity or {}).get("Arn", "arn:aws:"))
        return arn.split(":")[1] or "aws"

    def execution_role_arn(self, prefix: str | None = None) -> str:
        prefix = self.prefix if prefix is None else prefix
        role = self.settings.execution_role or naming.execution_role_name(prefix)
        if role.startswith("arn:"):
            return role
        return f"arn:{self._partition()}:iam::{self.account_id()}:role/{role}"

    def invoke_principal(self) -> str | None:
        """The invoking role's ARN when it lives in another account than the deployer."""
        roles = self.settings.invoke_roles
        if not roles or roles[-1] == "default":
            return None
        account = naming.role_account(roles[-1])
        if account is None or account == self.account_id():
            return None  # same account: the role's identity policy is enough
        return roles[-1]

    def _wait(self, service: str, waiter: str, params: dict[str, Any], name: str) -> None:
        """Run a waiter; a throttled or conflicting poll is retried with the backoff (the
        change it waits for has succeeded: a busy API must not turn it into a failure)."""
        attempt = 0
        while True:
            try:
                self.clients(service).get_waiter(waiter).wait(**params)
                return
            except WaiterError as exc:
                error = ClientError(exc.last_response or {}, waiter)
                attempt += 1
                if not retry.is_transient(error) or attempt >= self.backoff.attempts:
                    raise _waiter_failed(exc, waiter, name) from None
                wait = self.backoff.delay(attempt - 1)
                code = retry.error_code(error)
                log.info("%s %s: %s; waiting again in %.1fs", waiter, name, code, wait)
                self.backoff.sleep(wait)

    # -- state ---------------------------------------------------------------------------

    def read_state(
        self, prefix: str, expected: Mapping[str, ExpectedCode] | None = None
    ) -> dict[str, Deployed]:
        lam = self.clients("lambda")
        found: list[dict[str, Any]] = []
        marker: str | None = None
        while True:  # paged by hand so each page gets the throttling retry
            page = self._call(
                "ListFunctions", lam.list_functions, **({"Marker": marker} if marker else {})
            )
            found += [f for f in page["Functions"] if f["FunctionName"].startswith(prefix)]
            marker = page.get("NextMarker")
            if not marker:
                break

        # GetFunction rather than ListTags: same one call per function, but Lambda excludes
        # GetFunction from the 15 requests/s control-plane quota that ListTags counts against.
        def tags_of(f: dict[str, Any]) -> dict[str, str]:
            name = f["FunctionName"]
            try:
                got = self._call(f"GetFunction {name}", lam.get_function, FunctionName=name)
            except AwsTargetError as exc:
                if exc.code == "ResourceNotFoundException":
                    return {}  # deleted since listed
                raise
            return got.get("Tags") or {}

        # `expected` is not used to skip reads: only the tag says a function is ours.
        state: dict[str, Deployed] = {}
        unconfirmed = found

        workers = min(STATE_READERS, max(1, len(unconfirmed)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="aws-state") as pool:
            all_tags = list(pool.map(tags_of, unconfirmed))

        for f, tags in zip(unconfirmed, all_tags, strict=True):
            managed = tags.get(MANAGED_TAG) == prefix
            digest = tags.get(DIGEST_TAG) if managed else None
            # A failed create/update is not "in sync" whatever its tag says: report no digest,
            # so the planner redeploys it.
            if f.get("State") == "Failed" or f.get("LastUpdateStatus") == "Failed":
                digest = None
            state[f["FunctionName"]] = Deployed(
                deployed_name=f["FunctionName"],
                digest=digest,
                config=deployed_config(f),
                function_id=tags.get(FUNCTION_TAG) if managed else None,
                managed=managed,
                extra={
                    "arn": f["FunctionArn"],
                    "code_sha256": f.get("CodeSha256"),
                    "role": f.get("Role"),
                    "last_modified": f.get("LastModified"),
                    "invoker": tags.get(INVOKER_TAG),
                    "managed_by_prefix": tags.get(MANAGED_TAG),
                    "description": f.get("Description"),
                    "tags_read": True,
                },
            )
        return {f["FunctionName"]: state[f["FunctionName"]] for f in found}  # listing order

    def extra_actions(
        self, desired: list[Desired], state: dict[str, Deployed], prefix: str | None = None
    ) -> list[Action]:
        """ENSURE actions for what is missing; read-only calls only, nothing when all is set."""
        prefix = self.prefix if prefix is None else prefix
        actions: list[Action] = []
        data = {"prefix": prefix}
        creating = [d for d in desired if d.deployed_name not in state]
        if creating and not self.settings.execution_role:
            role = naming.execution_role_name(prefix)
            missing, create = self._execution_role_gaps(role)
            if missing:
                actions.append(
                    Action(
                        ActionKind.ENSURE,
                        role,
                        f"execution role: {missing}",
                        data={**data, "ensure": "execution-role", "role": role, "create": create},
                    )
                )

        principal = self.invoke_principal() if desired else None
        sid = naming.invoke_statement_id(principal) if principal else None
        for d in desired:
            deployed = state.get(d.deployed_name)
            if deployed is None or not deployed.managed:
                continue  # created with its permission; foreign functions are never touched
            if deployed.extra.get("invoker") != sid:
                reason = (
                    f"allow {principal} to invoke (cross-account)"
                    if principal
                    else "remove the cross-account invoke permission (no longer needed)"
                )
                actions.append(
                    Action(
                        ActionKind.ENSURE,
                        f"{d.deployed_name}:invoke-permission",
                        reason,
                        data={
                            **data,
                            "ensure": "invoke-permission",
                            "function": d.deployed_name,
                            "arn": deployed.extra.get("arn"),
                            "principal": principal,
                            "statement_id": sid,
                            "old_statement_id": deployed.extra.get("invoker"),
                            "description": deployed.extra.get("description"),
                            "check_owner": not deployed.extra.get("tags_read", True),
                        },
                    )
                )
        return actions

    def _execution_role_gaps(self, role: str) -> tuple[str, bool]:
        """(what is missing, whether the role must be created); ("", False) when all is set."""
        iam = self.clients("iam")
        try:
            got = self._call(f"GetRole {role}", iam.get_role, RoleName=role)
        except AwsTargetError as exc:
            if exc.code == "NoSuchEntity":
                return f"{role} does not exist; it will be created", True
            raise
        if not policies.trusts_lambda(got["Role"].get("AssumeRolePolicyDocument")):
            raise AwsTargetError(
                f"IAM role {role} exists but does not trust lambda.amazonaws.com; fix its trust "
                "policy or set RS_LAMBDA_EXECUTION_ROLE to another role"
            )
        attached = self._call(
            f"ListAttachedRolePolicies {role}", iam.list_attached_role_policies, RoleName=role
        )
        arns = {p["PolicyArn"] for p in attached.get("AttachedPolicies", [])}
        if policies.BASIC_EXECUTION_POLICY_ARN not in arns:
            return f"{role} lacks AWSLambdaBasicExecutionRole; it will be attached", False
        return "", False

    def cleanup_actions(
        self, state: dict[str, Deployed], removing: list[str], prefix: str
    ) -> list[Action]:
        """Deleting the execution role of `prefix`, when this tool created it (its tag names
        the prefix) and no function but those being removed uses it. Read-only."""
        if self.settings.execution_role:
            return []  # a role given by the user is never this tool's to delete
        role = naming.execution_role_name(prefix)
        iam = self.clients("iam")
        try:
            got = self._call(f"GetRole {role}", iam.get_role, RoleName=role)["Role"]
        except AwsTargetError as exc:
            if exc.code == "NoSuchEntity":
                return []
            raise
        tags = {t["Key"]: t["Value"] for t in got.get("Tags") or []}
        if tags.get(MANAGED_TAG) != prefix:
            return []  # not created by this tool (or for another prefix): never deleted
        users = [n for n in self._functions_using(got["Arn"]) if n not in set(removing)]
        if users:
            return []
        attached = self._call(
            f"ListAttachedRolePolicies {role}", iam.list_attached_role_policies, RoleName=role
        )
        policies_ = [p["PolicyArn"] for p in attached.get("AttachedPolicies", [])]
        return [
            Action(
                ActionKind.CLEANUP,
                role,
                "execution role created by carto-gateway; no function uses it any more",
                data={"prefix": prefix, "role": role, "policies": policies_},
            )
        ]

    def _functions_using(self, role_arn: str) -> list[str]:
        """Every function in the region (any prefix, any owner) whose role is `role_arn`."""
        lam = self.clients("lambda")
        names: list[str] = []
        marker: str | None = None
        while True:
            page = self._call(
                "ListFunctions", lam.list_functions, **({"Marker": marker} if marker else {})
            )
            names += [f["FunctionName"] for f in page["Functions"] if f.get("Role") == role_arn]
            marker = page.get("NextMarker")
            if not marker:
                return names

    # -- plan and apply ------------------------------------------------------------------

    def function_arn(self, name: str) -> str:
        return f"arn:{self._partition()}:lambda:{self.region}:{self.account_id()}:function:{name}"

    def _context(self, prefix: str) -> CallContext:
        return CallContext(
            prefix=prefix,
            role_arn=lambda: self.execution_role_arn(prefix),
            function_arn=self.function_arn,
            principal=self.invoke_principal(),
            direct_upload_limit=self.direct_upload_limit,
            s3_bucket=self.settings.s3_bucket,
            object_exists=self._object_exists,
        )

    def _object_exists(self, bucket: str, key: str) -> bool:
        s3 = self.clients("s3")
        try:
            self._call(f"HeadObject s3://{bucket}/{key}", s3.head_object, Bucket=bucket, Key=key)
        except AwsTargetError as exc:
            if exc.code in {"404", "NoSuchKey", "NotFound"}:
                return False
            raise
        return True

    def calls(self, action: Action) -> tuple[ApiCall, ...]:
        """Every call applying `action` makes, from what planning read (reads STS at most)."""
        if not action.kind.mutating:
            return ()
        prefix = str(action.data.get("prefix") or self.prefix)
        try:
            return tuple(plan_calls.action_calls(action, self._context(prefix)))
        except ValueError as exc:
            raise AwsTargetError(str(exc)) from None

    def apply(self, action: Action) -> None:
        """Make exactly the action's calls (planned now when the plan carries none)."""
        for call in action.calls or self.calls(action):
            self.run_call(call)

    def run_call(self, call: ApiCall) -> Any:
        """One planned call through the retry wrapper; its expectation checked, its waiter run.
        Returns the response, or None when an error code in `done_if` says it is done."""
        client = self.clients(call.service)
        fn = getattr(client, xform_name(call.operation))
        params = {k: _resolved(v) for k, v in call.params.items()}
        what = f"{call.operation} {call.subject}".strip()
        try:
            got = self._call(what, fn, role_retry=call.role_retry, **params)
        except AwsTargetError as exc:
            if exc.code and exc.code in call.done_if:
                return None
            raise
        if call.expect is not None:
            path, value = call.expect
            found: Any = got
            for key in path:
                found = found.get(key) if isinstance(found, dict) else None
            if found != value:
                raise AwsTargetError(call.expect_message or f"{what}: unexpected response")
        if call.wait:
            self._wait(call.service, call.wait, dict(call.wait_params), call.subject)
        return got

    # -- invoke --------------------------------------------------------------------------

    def invoke_result(self, deployed_name: str, event: dict[str, Any]) -> InvokeResult:
        """Invoke synchronously: Lambda's answer (status, FunctionError, payload bytes)."""
        lam = self.clients("lambda")
        got = self._call(
            f"Invoke {deployed_name}",
            lam.invoke,
            FunctionName=deployed_name,
            InvocationType="RequestResponse",
            Payload=json.dumps(event).encode(),
        )
        return InvokeResult(
            int(got.get("StatusCode", 200)), got.get("FunctionError"), got["Payload"].read()
        )

    def invoke(self, deployed_name: str, event: dict[str, Any]) -> Any:
        """The decoded payload (an object or a JSON string); InvocationError on FunctionError."""
        return self.invoke_result(deployed_name, event).checked(deployed_name, event)
