"""Validation of every value that is spliced into SQL text.

DDL cannot take bind parameters, so schema names, ARNs and batch settings end up inside the
statement text. Each value is therefore checked against the narrowest grammar that describes
it before any SQL is built: a value that passes cannot contain a quote, a semicolon, a comment
opener or a dollar sign, so it cannot change the meaning of the statement around it.
"""

from __future__ import annotations

import re

# Redshift folds unquoted identifiers to lower case and allows 127 bytes.
IDENTIFIER_RE = re.compile(r"[a-z_][a-z0-9_]*")
IDENTIFIER_MAX = 127

_PARTITION = r"aws[a-z-]*"
_REGION = r"[a-z]{2}(?:-[a-z]+)+-[0-9]+"
_ACCOUNT = r"[0-9]{12}"
# Lambda function names, plus an optional alias or version qualifier ($LATEST is excluded on
# purpose: a `$` never needs to appear in our SQL).
LAMBDA_ARN_RE = re.compile(
    rf"arn:{_PARTITION}:lambda:{_REGION}:{_ACCOUNT}:function:[A-Za-z0-9_-]{{1,64}}"
    r"(?::[A-Za-z0-9_-]{1,128})?"
)
# IAM allows `,` in role names, but Redshift separates a role chain with commas, so such a role
# could never be used here; it is rejected instead of silently splitting the chain.
_ROLE_CHARS = r"[A-Za-z0-9_+=.@-]"
IAM_ROLE_ARN_RE = re.compile(
    rf"arn:{_PARTITION}:iam::{_ACCOUNT}:role/(?:{_ROLE_CHARS}+/)*{_ROLE_CHARS}{{1,64}}"
)
MAX_ROLE_CHAIN = 10  # Redshift accepts at most 10 roles in a chain

BATCH_SIZE_RE = re.compile(r"([1-9][0-9]*) ?(KB|MB)")
VERSION_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}")
FUNCTION_ID_RE = re.compile(r"[a-z0-9_]+/[a-z_][a-z0-9_]*")

MAX_BATCH_ROWS_MAX = 2_147_483_647
RETRY_TIMEOUT_MAX = 900_000  # the function.yaml schema's bound
MAX_BATCH_SIZE_KB = (1, 5 * 1024)  # Redshift: 1 KB .. 5 MB


class SqlValueError(ValueError):
    """A value that would go into SQL text does not match its grammar."""

    def __init__(self, what: str, value: object, expected: str) -> None:
        self.what = what
        self.value = value
        super().__init__(f"invalid {what} {value!r}: expected {expected}")


def identifier(value: object, what: str = "identifier") -> str:
    """A lower-case SQL identifier such as a schema or function name."""
    if not isinstance(value, str) or not IDENTIFIER_RE.fullmatch(value):
        raise SqlValueError(what, value, "lower-case letters, digits and _ ([a-z_][a-z0-9_]*)")
    if len(value.encode()) > IDENTIFIER_MAX:
        raise SqlValueError(what, value, f"at most {IDENTIFIER_MAX} bytes")
    return value


def lambda_arn(value: object) -> str:
    if not isinstance(value, str) or not LAMBDA_ARN_RE.fullmatch(value):
        raise SqlValueError(
            "Lambda ARN",
            value,
            "arn:aws:lambda:<region>:<12-digit account>:function:<name>[:<alias>]",
        )
    return value


def iam_role_chain(value: object) -> str:
    """One IAM role ARN or a chain `arn1,arn2` (commas, no spaces), as IAM_ROLE takes it."""
    expected = (
        "arn:aws:iam::<12-digit account>:role/<name>, or several joined by commas without"
        " spaces (a role chain)"
    )
    if not isinstance(value, str) or not value:
        raise SqlValueError("IAM role", value, expected)
    roles = value.split(",")
    if len(roles) > MAX_ROLE_CHAIN:
        raise SqlValueError("IAM role chain", value, f"at most {MAX_ROLE_CHAIN} roles")
    for role in roles:
        if not IAM_ROLE_ARN_RE.fullmatch(role):
            raise SqlValueError("IAM role", role if len(roles) > 1 else value, expected)
    return value


def integer(value: object, what: str, minimum: int, maximum: int) -> int:
    """An integer within bounds; digit strings are accepted (they come from settings)."""
    if isinstance(value, bool):
        raise SqlValueError(what, value, "an integer")
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,10}", value):
        value = int(value)
    if not isinstance(value, int) or not minimum <= value <= maximum:
        raise SqlValueError(what, value, f"an integer from {minimum} to {maximum}")
    return value


def max_batch_rows(value: object) -> int:
    return integer(value, "MAX_BATCH_ROWS", 1, MAX_BATCH_ROWS_MAX)


def retry_timeout(value: object) -> int:
    return integer(value, "RETRY_TIMEOUT (milliseconds)", 0, RETRY_TIMEOUT_MAX)


def max_batch_size(value: object) -> str:
    """An integer (KB, as Redshift assumes without a unit) or '<n> KB' / '<n> MB'.

    Returns the clause value normalised to `<n> KB` or `<n> MB`.
    """
    expected = "an integer number of KB or '<n> KB' / '<n> MB', from 1 KB to 5 MB"
    if isinstance(value, int) and not isinstance(value, bool):
        number, unit = value, "KB"
    elif isinstance(value, str) and (m := BATCH_SIZE_RE.fullmatch(value.strip())):
        number, unit = int(m.group(1)), m.group(2)
    else:
        raise SqlValueError("MAX_BATCH_SIZE", value, expected)
    kb = number * (1024 if unit == "MB" else 1)
    if not MAX_BATCH_SIZE_KB[0] <= kb <= MAX_BATCH_SIZE_KB[1]:
        raise SqlValueError("MAX_BATCH_SIZE", value, expected)
    return f"{number} {unit}"


def package_version(value: object) -> str:
    if not isinstance(value, str) or not VERSION_RE.fullmatch(value):
        raise SqlValueError("package version", value, "letters, digits and . + _ -")
    return value


def function_id(value: object) -> str:
    if not isinstance(value, str) or not FUNCTION_ID_RE.fullmatch(value):
        raise SqlValueError("function id", value, "<module>/<name> in lower case")
    return value


def volatility(value: object) -> str:
    # IMMUTABLE is not accepted for Lambda UDFs (reference facts 1.6).
    if value not in ("STABLE", "VOLATILE"):
        raise SqlValueError("volatility", value, "STABLE or VOLATILE")
    return str(value)
