"""AwsTarget: Lambda functions and their IAM prerequisites, read and changed through boto3.

State lives in tags on each function (base.MANAGED_TAG, FUNCTION_TAG, DIGEST_TAG): the
managed tag's value is the prefix the function was deployed under, so a shorter prefix that
happens to match another deployment's names never adopts, updates or removes them. The
digest tag is written after the code (creation carries it atomically), so a crash between
the two makes the next run see a stale digest and simply redo the update.

Reading the tags costs one GetFunction per function, which dominates a no-op redeploy. So the
Description also ends with an ownership marker, `[carto-gateway <prefix> <module/name>]`, and
read_state, given the local artifacts' CodeSha256 (ExpectedCode), trusts a listed function
without reading its tags when the marker names this prefix and function, the code is byte for
byte the local zip and the function is not Failed: its content then *is* the local artifact's.
Anything else is read through GetFunction as before; the tags stay the source of truth for
every mutation (updates and deletes re-check them before changing a marker-trusted function).
The marker says `cross-account` once a cross-account invoke permission may have been added:
such functions are always read in full, so a stale permission is still noticed and removed.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, WaiterError

from engine import naming
from engine.config import Settings
from engine.deploy.models import (
    DIGEST_TAG,
    FUNCTION_TAG,
    MANAGED_TAG,
    Action,
    ActionKind,
    Deployed,
    Desired,
    ExpectedCode,
)
from engine.deploy.targets.aws import policies, retry
from engine.deploy.targets.aws.retry import Backoff, error_code, error_message
from engine.deploy.targets.aws.session import Clients

log = logging.getLogger("engine.deploy.targets.aws")

# The tag recording which cross-account invoke statement this tool added (its statement id).
INVOKER_TAG = "carto-gateway:invoker"
DIRECT_UPLOAD_LIMIT = 50 * 1024 * 1024  # Lambda's limit for a zip passed inline
S3_KEY_PREFIX = "carto-gateway"
WAIT = {"Delay": 1, "MaxAttempts": 300}
# Parallel reads of per-function tags; reads are cheap and GetFunction's quota is generous.
STATE_READERS = 16  # the v2 waiters' own defaults, explicit
DESCRIPTION_LIMIT = 256  # Lambda's limit on a function's Description
CROSS_ACCOUNT = "cross-account"
# At the end of the Description; prefixes and function ids never contain whitespace.
MARKER_RE = re.compile(r"\[carto-gateway (?P<prefix>\S*) (?P<function>\S+?)(?P<flag> \S+)?\]\Z")


class AwsTargetError(RuntimeError):
    """An AWS operation failed; the message names the operation, function and fix."""


def _fail(what: str, exc: ClientError | BotoCoreError) -> AwsTargetError:
    if isinstance(exc, NoCredentialsError):
        return AwsTargetError(
            f"{what}: no AWS credentials found; set AWS_PROFILE (or run `aws sso login`), or "
            "export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        )
    if isinstance(exc, BotoCoreError):
        return AwsTargetError(f"{what}: {exc}")
    return AwsTargetError(f"{what}: {error_code(exc)}: {error_message(exc)}")


def deployed_config(configuration: dict[str, Any]) -> dict[str, Any]:
    """The compared configuration keys from a Lambda FunctionConfiguration."""
    return {
        "memory_size": configuration.get("MemorySize"),
        "timeout": configuration.get("Timeout"),
        "runtime": configuration.get("Runtime"),
        "architecture": (configuration.get("Architectures") or ["x86_64"])[0],
        "handler": configuration.get("Handler"),
    }


def marker(prefix: str, function_id: str, *, cross_account: bool = False) -> str:
    flag = f" {CROSS_ACCOUNT}" if cross_account else ""
    return f"[carto-gateway {prefix} {function_id}{flag}]"


def parse_marker(description: str | None) -> tuple[str, str, bool] | None:
    """(prefix, function id, cross-account) from a Description ending with the marker."""
    m = MARKER_RE.search(description or "")
    if m is None:
        return None
    return m["prefix"], m["function"], m["flag"] == f" {CROSS_ACCOUNT}"


def function_description(
    text: str, prefix: str, function_id: str, *, cross_account: bool = False
) -> str:
    """The human description, shortened to fit Lambda's limit, then the ownership marker."""
    tail = marker(prefix, function_id, cross_account=cross_account)
    human = " ".join(text.split())
    room = DESCRIPTION_LIMIT - len(tail) - 1
    if room < 1:
        return human[:DESCRIPTION_LIMIT]  # no room for the marker: always read in full
    if len(human) > room:
        human = human[: room - 3].rstrip() + "..."
    return f"{human} {tail}" if human else tail


def _confirmed(f: dict[str, Any], prefix: str, expected: ExpectedCode | None) -> Deployed | None:
    """The listed function as Deployed when the listing alone shows it is ours and holds
    exactly the local artifact; None when its tags must be read."""
    if expected is None or f.get("CodeSha256") != expected.code_sha256:
        return None
    if f.get("State") == "Failed" or f.get("LastUpdateStatus") == "Failed":
        return None
    parsed = parse_marker(f.get("Description"))
    if parsed is None or parsed != (prefix, expected.function_id, False):
        return None
    return Deployed(
        deployed_name=f["FunctionName"],
        # Identical zip bytes: the deployed content is the local artifact's.
        digest=expected.digest,
        config=deployed_config(f),
        function_id=expected.function_id,
        managed=True,
        extra={
            "arn": f["FunctionArn"],
            "code_sha256": f.get("CodeSha256"),
            "role": f.get("Role"),
            "last_modified": f.get("LastModified"),
            "invoker": None,  # never cross-account: the marker would say so
            "managed_by_prefix": prefix,
            "description": f.get("Description"),
            "tags_read": False,
        },
    )


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

    def execution_role_arn(self) -> str:
        role = self.settings.execution_role or naming.execution_role_name(self.prefix)
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

    def _wait(self, waiter: str, name: str) -> None:
        try:
            self.clients("lambda").get_waiter(waiter).wait(FunctionName=name, WaiterConfig=WAIT)
        except WaiterError as exc:
            last = exc.last_response.get("Configuration", {}) if exc.last_response else {}
            reason = last.get("StateReason") or last.get("LastUpdateStatusReason") or str(exc)
            raise AwsTargetError(
                f"{name} did not become ready ({waiter}): {reason}; see its CloudWatch logs "
                "and rerun deploy, which redoes unfinished updates"
            ) from None

    # -- state ---------------------------------------------------------------------------

    def read_state(
        self, prefix: str, expected: Mapping[str, ExpectedCode] | None = None
    ) -> dict[str, Deployed]:
        self.prefix = prefix
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
                if "ResourceNotFoundException" in str(exc):
                    return {}  # deleted since listed
                raise
            return got.get("Tags") or {}

        state: dict[str, Deployed] = {}
        unconfirmed = []
        for f in found:
            confirmed = _confirmed(f, prefix, (expected or {}).get(f["FunctionName"]))
            if confirmed is None:
                unconfirmed.append(f)
            else:
                state[f["FunctionName"]] = confirmed

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

    def extra_actions(self, desired: list[Desired], state: dict[str, Deployed]) -> list[Action]:
        """ENSURE actions for what is missing; read-only calls only, nothing when all is set."""
        actions: list[Action] = []
        data = {"prefix": self.prefix}
        creating = [d for d in desired if d.deployed_name not in state]
        if creating and not self.settings.execution_role:
            role = naming.execution_role_name(self.prefix)
            missing = self._execution_role_gaps(role)
            if missing:
                actions.append(
                    Action(
                        ActionKind.ENSURE,
                        role,
                        f"execution role: {missing}",
                        data={**data, "ensure": "execution-role", "role": role},
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
                            "description": deployed.extra.get("description"),
                            "check_owner": not deployed.extra.get("tags_read", True),
                        },
                    )
                )
        return actions

    def _execution_role_gaps(self, role: str) -> str:
        iam = self.clients("iam")
        try:
            got = self._call(f"GetRole {role}", iam.get_role, RoleName=role)
        except AwsTargetError as exc:
            if "NoSuchEntity" in str(exc):
                return f"{role} does not exist; it will be created"
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
            return f"{role} lacks AWSLambdaBasicExecutionRole; it will be attached"
        return ""

    # -- apply ---------------------------------------------------------------------------

    def apply(self, action: Action) -> None:
        kind = action.kind
        if kind is ActionKind.SKIP:
            return
        if kind is ActionKind.ENSURE:
            what = action.data.get("ensure")
            if what == "execution-role":
                self._ensure_execution_role(action.data["role"], action.data["prefix"])
            elif what == "invoke-permission":
                if action.data.get("check_owner"):
                    self._check_owner(action.data["function"], action.data["prefix"])
                self._sync_permission(
                    action.data["function"],
                    action.data.get("arn"),
                    action.data.get("principal"),
                    action.data.get("statement_id"),
                    description=action.data.get("description"),
                    prefix=action.data["prefix"],
                )
            else:
                raise AwsTargetError(f"the aws target cannot ensure {what!r} ({action.name})")
            return
        if kind is ActionKind.DELETE:
            self._delete(action)
            return
        desired = action.desired
        if desired is None:
            raise AwsTargetError(f"{kind.value} {action.name}: the action has no desired state")
        prefix = str(action.data.get("prefix") or self.prefix)
        if kind is ActionKind.CREATE:
            self._create(desired, prefix)
        elif kind in (ActionKind.UPDATE_CODE, ActionKind.UPDATE_CONFIG):
            self._update(action, desired, prefix)
        else:
            raise AwsTargetError(f"the aws target cannot apply {kind.value} actions")

    def _tags(self, desired: Desired, prefix: str) -> dict[str, str]:
        return {
            MANAGED_TAG: prefix,
            FUNCTION_TAG: desired.function.id,
            DIGEST_TAG: desired.artifact.digest,
        }

    def _code(self, desired: Desired, prefix: str) -> dict[str, Any]:
        artifact = desired.artifact
        if artifact.size <= self.direct_upload_limit:
            return {"ZipFile": artifact.path.read_bytes()}
        bucket = self.settings.s3_bucket
        if not bucket:
            raise AwsTargetError(
                f"{desired.deployed_name}: the artifact is {artifact.size / 2**20:.1f} MB zipped, "
                f"over Lambda's {self.direct_upload_limit / 2**20:.0f} MB direct upload limit; "
                f"set CARTO_S3_BUCKET to a bucket in {self.region} to upload it through S3"
            )
        # The digest in the key makes the upload content-addressed: a rerun reuses it.
        key = f"{S3_KEY_PREFIX}/{desired.deployed_name}/{artifact.digest}.zip"
        s3 = self.clients("s3")
        try:
            s3.head_object(Bucket=bucket, Key=key)
        except ClientError as exc:
            if error_code(exc) not in {"404", "NoSuchKey", "NotFound"}:
                raise _fail(f"HeadObject s3://{bucket}/{key}", exc) from None
            try:
                s3.upload_file(str(artifact.path), bucket, key)
            except ClientError as exc2:
                raise _fail(f"upload s3://{bucket}/{key}", exc2) from None
        return {"S3Bucket": bucket, "S3Key": key}

    def _create(self, desired: Desired, prefix: str) -> None:
        lam = self.clients("lambda")
        name = desired.deployed_name
        cfg = desired.config
        principal = self.invoke_principal()
        description = function_description(
            desired.function.description,
            prefix,
            desired.function.id,
            cross_account=principal is not None,
        )
        self._call(
            f"CreateFunction {name}",
            lam.create_function,
            role_retry=True,
            FunctionName=name,
            Runtime=cfg["runtime"],
            Role=self.execution_role_arn(),
            Handler=cfg["handler"],
            Code=self._code(desired, prefix),
            Description=description,
            Timeout=cfg["timeout"],
            MemorySize=cfg["memory_size"],
            Architectures=[cfg["architecture"]],
            PackageType="Zip",
            Publish=False,
            Tags=self._tags(desired, prefix),
        )
        self._wait("function_active_v2", name)
        if principal:
            self._sync_permission(
                name,
                None,
                principal,
                naming.invoke_statement_id(principal),
                description=description,
                prefix=prefix,
            )

    def _update(self, action: Action, desired: Desired, prefix: str) -> None:
        lam = self.clients("lambda")
        name = desired.deployed_name
        deployed = action.deployed
        if deployed is not None and not deployed.managed:
            raise AwsTargetError(
                f"{name} exists but was not deployed by carto-gateway under prefix {prefix!r}; "
                "remove it by hand or choose another RS_LAMBDA_PREFIX"
            )
        if deployed is not None and not deployed.extra.get("tags_read", True):
            # Trusted from the Description alone so far: the tags decide before any change.
            self._check_owner(name, prefix)
        cfg = desired.config
        changed = {k for k in cfg if deployed is None or deployed.config.get(k) != cfg.get(k)}
        extra = deployed.extra if deployed is not None else {}
        # ENSURE actions ran first and succeeded (or this update would not run), so the
        # function's invoke permission now matches the configured principal; a stale invoker
        # tag keeps the flag until an update after its removal.
        cross_account = bool(self.invoke_principal() or extra.get("invoker"))
        description = function_description(
            desired.function.description, prefix, desired.function.id, cross_account=cross_account
        )
        # The marker rides along with an update that happens anyway (functions deployed before
        # it existed get it here); it never causes an update by itself.
        describe = deployed is None or extra.get("description") != description
        arn = extra.get("arn") or None
        # Architecture can only change together with the code (UpdateFunctionCode).
        if action.kind is ActionKind.UPDATE_CODE or "architecture" in changed:
            got = self._call(
                f"UpdateFunctionCode {name}",
                lam.update_function_code,
                FunctionName=name,
                Architectures=[cfg["architecture"]],
                Publish=False,
                **self._code(desired, prefix),
            )
            arn = got.get("FunctionArn", arn)
            self._wait("function_updated_v2", name)
        if changed - {"architecture"} or describe:
            got = self._call(
                f"UpdateFunctionConfiguration {name}",
                lam.update_function_configuration,
                role_retry=True,
                FunctionName=name,
                Runtime=cfg["runtime"],
                Handler=cfg["handler"],
                Timeout=cfg["timeout"],
                MemorySize=cfg["memory_size"],
                Description=description,
            )
            arn = got.get("FunctionArn", arn)
            self._wait("function_updated_v2", name)
        if arn is None:
            arn = self._call(f"GetFunction {name}", lam.get_function, FunctionName=name)[
                "Configuration"
            ]["FunctionArn"]
        # Last: the digest tag is the commit point of the update.
        self._call(
            f"TagResource {name}", lam.tag_resource, Resource=arn, Tags=self._tags(desired, prefix)
        )

    def _delete(self, action: Action) -> None:
        lam = self.clients("lambda")
        name = action.name
        prefix = str(action.data.get("prefix") or self.prefix)
        # Re-check ownership at the last moment: only tag-identified functions are removed.
        try:
            got = lam.get_function(FunctionName=name)
        except ClientError as exc:
            if error_code(exc) == "ResourceNotFoundException":
                return  # already gone: removal converges
            raise _fail(f"GetFunction {name}", exc) from None
        if got.get("Tags", {}).get(MANAGED_TAG) != prefix:
            raise AwsTargetError(
                f"refusing to delete {name}: it was not deployed by carto-gateway under "
                f"prefix {prefix!r}"
            )
        try:
            retry.call(
                f"DeleteFunction {name}",
                lam.delete_function,
                backoff=self.backoff,
                FunctionName=name,
            )
        except ClientError as exc:
            if error_code(exc) != "ResourceNotFoundException":
                raise _fail(f"DeleteFunction {name}", exc) from None

    def _ensure_execution_role(self, role: str, prefix: str) -> None:
        iam = self.clients("iam")
        try:
            iam.create_role(
                RoleName=role,
                AssumeRolePolicyDocument=policies.lambda_trust_policy(),
                Description=f"Execution role of carto-gateway Lambdas with prefix {prefix}",
                Tags=[{"Key": MANAGED_TAG, "Value": prefix}],
            )
        except ClientError as exc:
            if error_code(exc) != "EntityAlreadyExists":
                raise _fail(
                    f"CreateRole {role} (or set RS_LAMBDA_EXECUTION_ROLE to a pre-created role)",
                    exc,
                ) from None
        self._call(
            f"AttachRolePolicy {role}",
            iam.attach_role_policy,
            RoleName=role,
            PolicyArn=policies.BASIC_EXECUTION_POLICY_ARN,
        )
        # Existence only; Lambda may still refuse the role for a while, which CreateFunction's
        # retry on "cannot be assumed" absorbs.
        iam.get_waiter("role_exists").wait(RoleName=role, WaiterConfig={"Delay": 1})

    def _check_owner(self, name: str, prefix: str) -> None:
        lam = self.clients("lambda")
        got = self._call(f"GetFunction {name}", lam.get_function, FunctionName=name)
        if (got.get("Tags") or {}).get(MANAGED_TAG) != prefix:
            raise AwsTargetError(
                f"{name} carries a carto-gateway description but was not deployed by "
                f"carto-gateway under prefix {prefix!r} (its tags say so); it was left alone"
            )

    def _flag_cross_account(self, name: str, description: str | None, prefix: str) -> None:
        """Mark the Description before a cross-account statement is added, so read_state
        always reads this function's tags in full from then on (and sees a stale one)."""
        lam = self.clients("lambda")
        if description is None:
            description = self._call(
                f"GetFunctionConfiguration {name}",
                lam.get_function_configuration,
                FunctionName=name,
            ).get("Description")
        parsed = parse_marker(description)
        if parsed is None or parsed[2] or parsed[0] != prefix:
            return  # no marker for this prefix (always read in full) or already marked
        human = (description or "")[: -len(marker(prefix, parsed[1]))].strip()
        self._call(
            f"UpdateFunctionConfiguration {name}",
            lam.update_function_configuration,
            FunctionName=name,
            Description=function_description(human, prefix, parsed[1], cross_account=True),
        )
        self._wait("function_updated_v2", name)

    def _sync_permission(
        self,
        name: str,
        arn: str | None,
        principal: str | None,
        sid: str | None,
        *,
        description: str | None = None,
        prefix: str | None = None,
    ) -> None:
        """Make this tool's invoke statement on `name` exactly `sid` for `principal` (or none)."""
        lam = self.clients("lambda")
        try:
            policy = json.loads(
                self._call(f"GetPolicy {name}", lam.get_policy, FunctionName=name)["Policy"]
            )
        except AwsTargetError as exc:
            if "ResourceNotFoundException" not in str(exc):
                raise
            policy = {}
        present = {s.get("Sid") for s in policy.get("Statement", [])}
        for old in sorted(s for s in present if s and s.startswith(naming.INVOKE_STATEMENT_PREFIX)):
            if old != sid:
                self._call(
                    f"RemovePermission {name} {old}",
                    lam.remove_permission,
                    FunctionName=name,
                    StatementId=old,
                )
        if principal and sid and sid not in present:
            self._flag_cross_account(name, description, self.prefix if prefix is None else prefix)
            self._call(
                f"AddPermission {name}",
                lam.add_permission,
                FunctionName=name,
                StatementId=sid,
                Action="lambda:InvokeFunction",
                Principal=principal,
            )
        if arn is None:
            arn = self._call(f"GetFunction {name}", lam.get_function, FunctionName=name)[
                "Configuration"
            ]["FunctionArn"]
        if sid:
            self._call(
                f"TagResource {name}", lam.tag_resource, Resource=arn, Tags={INVOKER_TAG: sid}
            )
        else:
            self._call(
                f"UntagResource {name}", lam.untag_resource, Resource=arn, TagKeys=[INVOKER_TAG]
            )

    # -- invoke --------------------------------------------------------------------------

    def invoke(self, deployed_name: str, event: dict[str, Any]) -> Any:
        """Invoke synchronously; the decoded payload (an object or a JSON string)."""
        lam = self.clients("lambda")
        got = self._call(
            f"Invoke {deployed_name}",
            lam.invoke,
            FunctionName=deployed_name,
            InvocationType="RequestResponse",
            Payload=json.dumps(event).encode(),
        )
        raw = got["Payload"].read()
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw.decode("utf-8", "replace")
        if got.get("FunctionError"):
            from engine.invoke import InvocationError

            detail = payload
            if isinstance(payload, dict):
                detail = f"{payload.get('errorType', 'Error')}: {payload.get('errorMessage', '')}"
            raise InvocationError(
                f"{deployed_name} raised ({got['FunctionError']}): {detail}",
                event=event,
                payload=payload,
            )
        return payload
