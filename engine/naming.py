"""Every name this project gives to something in AWS or Redshift, and the limits each obeys.

One implementation of each rule (the seed had three diverging copies of the role-name
conversion). Names are checked when the configuration is read, so a too-long prefix fails
before anything is built or deployed, with a message that says how to fix it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping

from engine.catalog.model import Function

LAMBDA_NAME_MAX = 64
LAMBDA_NAME_RE = re.compile(r"^[a-zA-Z0-9_-]+$")
ROLE_NAME_MAX = 64
ROLE_NAME_RE = re.compile(r"^[\w+=,.@-]+$")
STATEMENT_ID_MAX = 100
STATEMENT_ID_RE = re.compile(r"^[a-zA-Z0-9_-]+$")
SCHEMA_MAX_BYTES = 127
SCHEMA_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
ROLE_ARN_RE = re.compile(r"^arn:aws[a-zA-Z-]*:iam::(\d{12}):role/(?:[\w+=,.@/-]+/)?([\w+=,.@-]+)$")

INVOKE_STATEMENT_PREFIX = "carto-gateway-invoke-"


def lambda_function_name(prefix: str, function: Function) -> str:
    """`{RS_LAMBDA_PREFIX}{lambda_name or function name}`."""
    return f"{prefix}{function.lambda_name or function.name}"


def pascal_case(prefix: str) -> str:
    """'carto-at-' -> 'CartoAT', 'ci_a1b2c3d4_678901_' -> 'CiA1b2c3d4678901'.

    Segments split on '-' and '_'; the segment 'at' (Analytics Toolbox) is kept as 'AT'.
    Only the first letter of other segments is upper-cased, so digits and case survive.
    """
    parts = [p for p in re.split(r"[-_]+", prefix) if p]
    return "".join("AT" if p.lower() == "at" else p[0].upper() + p[1:] for p in parts)


def execution_role_name(prefix: str) -> str:
    return f"{pascal_case(prefix)}LambdaExecutionRole"


def schema_name(rs_prefix: str, production: bool) -> str:
    """`{RS_PREFIX}carto`, or `carto` in production: the one rule, used by Settings.schema."""
    return "carto" if production else f"{rs_prefix}carto"


def invoke_statement_id(principal_arn: str) -> str:
    """Resource-policy statement id for one invoking role.

    Derived from the role ARN, so changing RS_LAMBDA_INVOKE_ROLE yields a new id and the old
    statement (same INVOKE_STATEMENT_PREFIX) is recognisably ours and gets replaced.
    """
    digest = hashlib.sha256(principal_arn.encode()).hexdigest()[:16]
    return f"{INVOKE_STATEMENT_PREFIX}{digest}"


def role_account(role_arn: str) -> str | None:
    m = ROLE_ARN_RE.match(role_arn)
    return m.group(1) if m else None


def function_arn_pattern(region: str, account: str, prefix: str) -> str:
    """What an invoke policy written by this tool may cover: only this prefix's functions."""
    return f"arn:aws:lambda:{region}:{account}:function:{prefix}*"


def _too_long(what: str, name: str, length: int, limit: int, unit: str, fix: str) -> str:
    return f"{what} '{name}' is {length} {unit}; the limit is {limit}. {fix}"


def check_all(
    lambda_prefix: str,
    schema: str,
    lambda_names: Iterable[str] | Mapping[str, str] = (),
    *,
    execution_role: str | None = None,
    invoke_roles: Iterable[str] = (),
) -> list[str]:
    """Every problem with the names derived from the configuration, as readable messages.

    `lambda_names` lists lambda names without prefix, or maps each to its function id
    ("module/name") so messages can point at the function.yaml to edit.
    """
    problems: list[str] = []
    owners = (
        dict(lambda_names) if isinstance(lambda_names, Mapping) else {n: "" for n in lambda_names}
    )

    if not lambda_prefix:
        problems.append(
            "RS_LAMBDA_PREFIX is empty; it must not be, because it scopes every Lambda this "
            "tool reads, updates or removes. Use e.g. carto-at- or dev-<name>-"
        )
    elif not LAMBDA_NAME_RE.match(lambda_prefix):
        problems.append(
            f"RS_LAMBDA_PREFIX '{lambda_prefix}' has characters a Lambda name cannot hold; "
            "use only letters, digits, '-' and '_'"
        )
    else:
        longest = max(owners, key=len, default="")
        full = lambda_prefix + longest
        if len(full) > LAMBDA_NAME_MAX:
            owner = f" (function {owners[longest]})" if owners.get(longest) else ""
            problems.append(
                _too_long(
                    "Lambda function name",
                    full,
                    len(full),
                    LAMBDA_NAME_MAX,
                    "characters",
                    f"Shorten RS_LAMBDA_PREFIX ('{lambda_prefix}', {len(lambda_prefix)} "
                    f"characters) or give the function{owner} a shorter "
                    "clouds.redshift.lambda_name in its "
                    f"function.yaml (at most {LAMBDA_NAME_MAX - len(lambda_prefix)} characters "
                    "with this prefix).",
                )
            )
        for name in sorted(owners):
            if not LAMBDA_NAME_RE.match(name):
                owner = f" of {owners[name]}" if owners[name] else ""
                problems.append(
                    f"lambda name '{name}'{owner} may hold only letters, digits, '-' and '_'"
                )

        if execution_role is None:
            role = execution_role_name(lambda_prefix)
            if len(role) > ROLE_NAME_MAX:
                problems.append(
                    _too_long(
                        "IAM execution role name",
                        role,
                        len(role),
                        ROLE_NAME_MAX,
                        "characters",
                        "Shorten RS_LAMBDA_PREFIX or set RS_LAMBDA_EXECUTION_ROLE to a "
                        "pre-created role's ARN.",
                    )
                )
            elif not ROLE_NAME_RE.match(role):
                problems.append(
                    f"IAM execution role name '{role}' (from RS_LAMBDA_PREFIX) has characters "
                    "IAM does not allow; use only letters, digits, '-' and '_' in the prefix"
                )

    if execution_role is not None and not (
        ROLE_ARN_RE.match(execution_role) or ROLE_NAME_RE.match(execution_role)
    ):
        problems.append(
            f"RS_LAMBDA_EXECUTION_ROLE '{execution_role}' is neither a role ARN "
            "(arn:aws:iam::<account>:role/<name>) nor a role name"
        )

    for role in invoke_roles:
        if role != "default" and not ROLE_ARN_RE.match(role):
            problems.append(
                f"RS_LAMBDA_INVOKE_ROLE entry '{role}' is not a role ARN "
                "(arn:aws:iam::<account>:role/<name>); a chain is comma-separated, no spaces"
            )

    sid = invoke_statement_id("arn:aws:iam::000000000000:role/x")
    if len(sid) > STATEMENT_ID_MAX or not STATEMENT_ID_RE.match(sid):  # guards future edits
        problems.append(f"statement id '{sid}' breaks Lambda's rules (internal error)")

    if not SCHEMA_RE.match(schema):
        problems.append(
            f"schema '{schema}' (from RS_PREFIX) must match [a-z_][a-z0-9_]*: use a lower-case "
            "RS_PREFIX of letters, digits and '_', e.g. myname_"
        )
    elif len(schema.encode()) > SCHEMA_MAX_BYTES:
        problems.append(
            _too_long(
                "schema name",
                schema,
                len(schema.encode()),
                SCHEMA_MAX_BYTES,
                "bytes",
                "Shorten RS_PREFIX.",
            )
        )
    return problems
