"""The AWS half of the planner: each decided action as the exact API calls apply will make.

Everything a call needs is known when planning: the state read says which functions exist,
their ARNs, tags and invoke statements (the invoker tag), and the configuration says the
roles. So dry-run prints these calls and apply runs exactly them, nothing decided later.
Ownership checks are calls too (a GetFunction whose tags must name the prefix), placed before
any change to a function whose tags were not read while planning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from engine import naming
from engine.deploy.models import (
    DIGEST_TAG,
    FUNCTION_TAG,
    MANAGED_TAG,
    Action,
    ActionKind,
    ApiCall,
    Desired,
    FileBytes,
)
from engine.deploy.targets.aws import policies

# The tag recording which cross-account invoke statement this tool added (its statement id).
INVOKER_TAG = "carto-gateway:invoker"
DESCRIPTION_LIMIT = 256  # Lambda's limit on a function's Description
CROSS_ACCOUNT = "cross-account"
S3_KEY_PREFIX = "carto-gateway"
FUNCTION_WAIT = {"Delay": 1, "MaxAttempts": 300}
ROLE_WAIT = {"Delay": 1, "MaxAttempts": 40}
NOT_FOUND = frozenset({"ResourceNotFoundException"})


# At the end of the Description; prefixes and function ids never contain whitespace.
MARKER_RE = re.compile(r"\[carto-gateway (?P<prefix>\S*) (?P<function>\S+?)(?P<flag> \S+)?\]\Z")


def parse_marker(description: str | None) -> tuple[str, str, bool] | None:
    """(prefix, function id, cross-account) from a Description ending with the marker."""
    m = MARKER_RE.search(description or "")
    if m is None:
        return None
    return m["prefix"], m["function"], m["flag"] == f" {CROSS_ACCOUNT}"


def marker(prefix: str, function_id: str, *, cross_account: bool = False) -> str:
    flag = f" {CROSS_ACCOUNT}" if cross_account else ""
    return f"[carto-gateway {prefix} {function_id}{flag}]"


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


@dataclass(frozen=True)
class CallContext:
    """What planning calls needs beyond the action: resolved lazily, so a plan with nothing
    to create asks STS nothing."""

    prefix: str
    role_arn: Callable[[], str]
    function_arn: Callable[[str], str]
    principal: str | None  # the cross-account invoking role, or None
    direct_upload_limit: int
    s3_bucket: str | None
    object_exists: Callable[[str, str], bool] = lambda bucket, key: False


def tags(desired: Desired, prefix: str) -> dict[str, str]:
    return {
        MANAGED_TAG: prefix,
        FUNCTION_TAG: desired.function.id,
        DIGEST_TAG: desired.artifact.digest,
    }


def owner_check(name: str, prefix: str, verb: str, *, gone_ok: bool = False) -> ApiCall:
    """GetFunction whose tags must say this tool deployed `name` under `prefix`."""
    return ApiCall(
        "lambda",
        "GetFunction",
        {"FunctionName": name},
        subject=name,
        done_if=NOT_FOUND if gone_ok else frozenset(),
        expect=(("Tags", MANAGED_TAG), prefix),
        expect_message=(
            f"refusing to {verb} {name}: it was not deployed by carto-gateway under prefix "
            f"{prefix!r} (its tags say so); it was left alone"
        ),
    )


def code_calls(desired: Desired, ctx: CallContext) -> tuple[list[ApiCall], dict[str, Any]]:
    """(uploads, Code parameters): the zip inline, or through S3 when over the inline limit."""
    artifact = desired.artifact
    if artifact.size <= ctx.direct_upload_limit:
        return [], {"ZipFile": FileBytes(artifact.path, artifact.size)}
    if not ctx.s3_bucket:
        raise ValueError(
            f"{desired.deployed_name}: the artifact is {artifact.size / 2**20:.1f} MB zipped, "
            f"over Lambda's {ctx.direct_upload_limit / 2**20:.0f} MB direct upload limit; "
            "set CARTO_S3_BUCKET to a bucket in the deploy region to upload it through S3"
        )
    # The digest in the key makes the upload content-addressed: a rerun writes the same object.
    key = f"{S3_KEY_PREFIX}/{desired.deployed_name}/{artifact.digest}.zip"
    code = {"S3Bucket": ctx.s3_bucket, "S3Key": key}
    if ctx.object_exists(ctx.s3_bucket, key):
        return [], code  # uploaded by an earlier run: the same bytes under the same key
    put = ApiCall(
        "s3",
        "PutObject",
        {"Bucket": ctx.s3_bucket, "Key": key, "Body": FileBytes(artifact.path, artifact.size)},
        subject=desired.deployed_name,
    )
    return [put], code


def _wait(name: str, waiter: str) -> dict[str, Any]:
    return {"wait": waiter, "wait_params": {"FunctionName": name, "WaiterConfig": FUNCTION_WAIT}}


def create_calls(desired: Desired, ctx: CallContext) -> list[ApiCall]:
    name, cfg, prefix = desired.deployed_name, desired.config, ctx.prefix
    description = function_description(
        desired.function.description,
        prefix,
        desired.function.id,
        cross_account=ctx.principal is not None,
    )
    uploads, code = code_calls(desired, ctx)
    create = ApiCall(
        "lambda",
        "CreateFunction",
        {
            "FunctionName": name,
            "Runtime": cfg["runtime"],
            "Role": ctx.role_arn(),
            "Handler": cfg["handler"],
            "Code": code,
            "Description": description,
            "Timeout": cfg["timeout"],
            "MemorySize": cfg["memory_size"],
            "Architectures": [cfg["architecture"]],
            "PackageType": "Zip",
            "Publish": False,
            "Tags": tags(desired, prefix),
        },
        subject=name,
        role_retry=True,
        **_wait(name, "function_active_v2"),
    )
    calls = [*uploads, create]
    if ctx.principal:
        calls += grant_calls(name, ctx.function_arn(name), ctx.principal)
    return calls


def grant_calls(name: str, arn: str, principal: str) -> list[ApiCall]:
    sid = naming.invoke_statement_id(principal)
    return [
        ApiCall(
            "lambda",
            "AddPermission",
            {
                "FunctionName": name,
                "StatementId": sid,
                "Action": "lambda:InvokeFunction",
                "Principal": principal,
            },
            subject=name,
        ),
        ApiCall("lambda", "TagResource", {"Resource": arn, "Tags": {INVOKER_TAG: sid}}, name),
    ]


def update_calls(action: Action, desired: Desired, ctx: CallContext) -> list[ApiCall]:
    name, cfg, prefix = desired.deployed_name, desired.config, ctx.prefix
    deployed = action.deployed
    extra = deployed.extra if deployed is not None else {}
    if deployed is not None and not deployed.managed:
        raise ValueError(
            f"{name} exists but was not deployed by carto-gateway under prefix {prefix!r}; "
            "remove it by hand or choose another RS_LAMBDA_PREFIX"
        )
    calls: list[ApiCall] = []
    if deployed is not None and not extra.get("tags_read", True):
        # Trusted from the Description alone so far: the tags decide before any change.
        calls.append(owner_check(name, prefix, "update"))
    changed = {k for k in cfg if deployed is None or deployed.config.get(k) != cfg.get(k)}
    # Prerequisite permission actions run first, so the invoke statement now matches the
    # configured principal; a stale invoker tag keeps the flag until a later update.
    cross_account = bool(ctx.principal or extra.get("invoker"))
    description = function_description(
        desired.function.description, prefix, desired.function.id, cross_account=cross_account
    )
    # The marker rides along with an update that happens anyway; it never causes one itself.
    describe = deployed is None or extra.get("description") != description
    # Architecture can only change together with the code (UpdateFunctionCode).
    if action.kind is ActionKind.UPDATE_CODE or "architecture" in changed:
        uploads, code = code_calls(desired, ctx)
        calls += uploads
        calls.append(
            ApiCall(
                "lambda",
                "UpdateFunctionCode",
                {"FunctionName": name, "Architectures": [cfg["architecture"]], "Publish": False}
                | code,
                subject=name,
                **_wait(name, "function_updated_v2"),
            )
        )
    if changed - {"architecture"} or describe:
        calls.append(
            ApiCall(
                "lambda",
                "UpdateFunctionConfiguration",
                {
                    "FunctionName": name,
                    "Runtime": cfg["runtime"],
                    "Handler": cfg["handler"],
                    "Timeout": cfg["timeout"],
                    "MemorySize": cfg["memory_size"],
                    "Description": description,
                },
                subject=name,
                role_retry=True,
                **_wait(name, "function_updated_v2"),
            )
        )
    arn = extra.get("arn") or ctx.function_arn(name)
    # Last: the digest tag is the commit point of the update.
    calls.append(
        ApiCall("lambda", "TagResource", {"Resource": arn, "Tags": tags(desired, prefix)}, name)
    )
    return calls


def delete_calls(name: str, prefix: str) -> list[ApiCall]:
    # Ownership re-checked at the last moment; a function already gone is removed already.
    return [
        owner_check(name, prefix, "delete", gone_ok=True),
        ApiCall("lambda", "DeleteFunction", {"FunctionName": name}, name, done_if=NOT_FOUND),
    ]


def role_calls(role: str, prefix: str, *, create: bool) -> list[ApiCall]:
    calls = []
    if create:
        calls.append(
            ApiCall(
                "iam",
                "CreateRole",
                {
                    "RoleName": role,
                    "AssumeRolePolicyDocument": policies.lambda_trust_policy(),
                    "Description": f"Execution role of carto-gateway Lambdas with prefix {prefix}",
                    # Marks the role as this tool's: `remove` deletes only roles carrying it.
                    "Tags": [{"Key": MANAGED_TAG, "Value": prefix}],
                },
                subject=role,
                done_if=frozenset({"EntityAlreadyExists"}),
            )
        )
    calls.append(
        ApiCall(
            "iam",
            "AttachRolePolicy",
            {"RoleName": role, "PolicyArn": policies.BASIC_EXECUTION_POLICY_ARN},
            subject=role,
            # Existence only; Lambda may still refuse the role for a while, which
            # CreateFunction's retry on "cannot be assumed" absorbs.
            wait="role_exists",
            wait_params={"RoleName": role, "WaiterConfig": ROLE_WAIT},
        )
    )
    return calls


def role_removal_calls(role: str, policy_arns: list[str]) -> list[ApiCall]:
    """Detach every managed policy, then delete the role; already gone counts as done."""
    gone = frozenset({"NoSuchEntity"})
    calls = [
        ApiCall(
            "iam",
            "DetachRolePolicy",
            {"RoleName": role, "PolicyArn": arn},
            subject=role,
            done_if=gone,
        )
        for arn in policy_arns
    ]
    calls.append(ApiCall("iam", "DeleteRole", {"RoleName": role}, subject=role, done_if=gone))
    return calls


def permission_calls(action: Action, ctx: CallContext) -> list[ApiCall]:
    """Make this tool's invoke statement on a function exactly the configured one (or none)."""
    data = action.data
    name, prefix = data["function"], ctx.prefix
    arn = data.get("arn") or ctx.function_arn(name)
    old, sid, principal = data.get("old_statement_id"), data.get("statement_id"), ctx.principal
    check = owner_check(name, prefix, "change the invoke permission of")
    calls = [check] if data.get("check_owner") else []
    if old and old != sid:
        calls.append(
            ApiCall(
                "lambda",
                "RemovePermission",
                {"FunctionName": name, "StatementId": old},
                subject=name,
                done_if=NOT_FOUND,
            )
        )
    if principal and sid:
        flagged = flag_description(data.get("description"), prefix)
        if flagged is not None:
            # Marked before the statement is added, so read_state reads this function's tags
            # in full from then on (and notices a stale statement).
            calls.append(
                ApiCall(
                    "lambda",
                    "UpdateFunctionConfiguration",
                    {"FunctionName": name, "Description": flagged},
                    subject=name,
                    **_wait(name, "function_updated_v2"),
                )
            )
        calls += grant_calls(name, arn, principal)
    else:
        calls.append(
            ApiCall("lambda", "UntagResource", {"Resource": arn, "TagKeys": [INVOKER_TAG]}, name)
        )
    return calls


def flag_description(description: str | None, prefix: str) -> str | None:
    """The Description with the cross-account flag, or None when it needs none (no marker of
    this prefix, so always read in full; or already flagged)."""
    parsed = parse_marker(description)
    if parsed is None or parsed[2] or parsed[0] != prefix:
        return None
    human = (description or "")[: -len(marker(prefix, parsed[1]))].strip()
    return function_description(human, prefix, parsed[1], cross_account=True)


def action_calls(action: Action, ctx: CallContext) -> list[ApiCall]:
    """Every call applying `action` makes, in order."""
    kind = action.kind
    if kind is ActionKind.SKIP:
        return []
    if kind is ActionKind.DELETE:
        return delete_calls(action.name, ctx.prefix)
    if kind is ActionKind.CLEANUP:
        return role_removal_calls(action.data["role"], list(action.data["policies"]))
    if kind is ActionKind.ENSURE:
        what = action.data.get("ensure")
        if what == "execution-role":
            return role_calls(action.data["role"], ctx.prefix, create=action.data["create"])
        if what == "invoke-permission":
            return permission_calls(action, ctx)
        raise ValueError(f"the aws target cannot ensure {what!r} ({action.name})")
    if action.desired is None:
        raise ValueError(f"{kind.value} {action.name}: the action has no desired state")
    if kind is ActionKind.CREATE:
        return create_calls(action.desired, ctx)
    if kind in (ActionKind.UPDATE_CODE, ActionKind.UPDATE_CONFIG):
        return update_calls(action, action.desired, ctx)
    raise ValueError(f"the aws target cannot apply {kind.value} actions")
