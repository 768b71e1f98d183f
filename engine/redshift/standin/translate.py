"""Redshift SQL as the stand-in runs it: the one place where the generated SQL is changed.

- `CREATE [OR REPLACE] EXTERNAL FUNCTION s.f(types) RETURNS t STABLE|VOLATILE LAMBDA '<arn>'
  IAM_ROLE ... [RETRY_TIMEOUT n] [MAX_BATCH_ROWS n] [MAX_BATCH_SIZE n [KB|MB]]` becomes a
  plpython3u function of the same signature and volatility that POSTs a one-row Redshift
  event to `<endpoint>/2015-03-31/functions/<name>/invocations` (the name is the ARN's
  function name, optionally renamed by `function_map`) and raises the Lambda's `error_msg`.
  The clauses are checked as Redshift checks them (types external functions accept, batch
  limits in range, the required clauses present).
- `VARCHAR(MAX)` becomes `redshift_compat.varchar_max` (the 65,535-byte check) where a value
  is produced (casts, RETURNS, table columns) and plain `varchar` in argument lists, so
  signatures read back from pg_proc as `character varying`, as Redshift's do.
- Everything else runs as generated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from engine.redshift.standin.compat import SCHEMA

VARCHAR_MAX_DOMAIN = f"{SCHEMA}.varchar_max"
INT_MAX = 2_147_483_647
MAX_BATCH_SIZE_KB = (1, 5 * 1024)  # 1 KB .. 5 MB

# The types Redshift accepts for Lambda UDF arguments and results, by their aliases.
_EXTERNAL_TYPES = {
    "smallint", "int2", "integer", "int", "int4", "bigint", "int8", "decimal", "numeric",
    "real", "float4", "double precision", "float8", "float", "char", "character", "nchar",
    "bpchar", "varchar", "character varying", "nvarchar", "text", "boolean", "bool", "date",
    "timestamp", "timestamp without time zone",
}  # fmt: skip
_VARCHAR = r"(?:n?varchar|character\s+varying)"
_VARCHAR_MAX = re.compile(rf"\b{_VARCHAR}\s*\(\s*max\s*\)", re.I)
_VALUE_POSITION = re.compile(rf"(::\s*|\bAS\s+|\bRETURNS\s+){_VARCHAR}\s*\(\s*max\s*\)", re.I)
_CREATE_TABLE = re.compile(r"^\s*CREATE\s+(?:(?:LOCAL\s+)?(?:TEMP|TEMPORARY)\s+)?TABLE\b", re.I)
_EXTERNAL = re.compile(
    r"^\s*CREATE\s+(?P<replace>OR\s+REPLACE\s+)?EXTERNAL\s+FUNCTION\s+(?P<name>[\w.\"$]+)\s*"
    r"\((?P<args>.*?)\)\s*RETURNS\s+(?P<returns>.+?)\s+"
    r"(?P<clauses>(?:STABLE|VOLATILE|IMMUTABLE)\b.*?)\s*;?\s*$",
    re.I | re.S,
)
_CLAUSE = re.compile(
    r"\s*(?:(?P<volatility>STABLE|VOLATILE|IMMUTABLE)"
    r"|LAMBDA\s+'(?P<lambda>[^']*)'"
    r"|IAM_ROLE\s+(?P<role>default|'[^']*')"
    r"|RETRY_TIMEOUT\s+(?P<retry>\d+)"
    r"|MAX_BATCH_ROWS\s+(?P<rows>\d+)"
    r"|MAX_BATCH_SIZE\s+(?P<size>\d+)(?:\s+(?P<unit>KB|MB))?)(?=\s|$)",
    re.I,
)
_ARN = re.compile(r"^arn:aws[\w-]*:lambda:(?P<region>[\w-]+):\d{12}:function:(?P<name>[\w-]+)")


class TranslationError(ValueError):
    """A statement the stand-in refuses, as Redshift would; the message says what is wrong."""


@dataclass(frozen=True)
class ExternalFunction:
    replace: bool
    name: str  # schema.name as written
    arg_types: tuple[str, ...]
    returns: str
    volatility: str
    lambda_name: str  # function name (the ARN's last part, or the name as given)
    region: str


def _code_segments(sql: str) -> Iterator[tuple[bool, str]]:
    """(is_code, text) pieces: single-quoted literals, quoted identifiers and comments are
    not code; dollar-quoted bodies are (SQL function bodies hold SQL)."""
    pattern = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/", re.S)
    pos = 0
    for m in pattern.finditer(sql):
        if m.start() > pos:
            yield True, sql[pos : m.start()]
        yield False, m.group()
        pos = m.end()
    if pos < len(sql):
        yield True, sql[pos:]


def rewrite_varchar_max(statement: str) -> str:
    """`VARCHAR(MAX)` as the domain where a value is made, else `varchar` (see module doc)."""
    table = bool(_CREATE_TABLE.match(statement))
    out = []
    for is_code, text in _code_segments(statement):
        if is_code:
            if table:
                text = _VARCHAR_MAX.sub(VARCHAR_MAX_DOMAIN, text)
            else:
                text = _VALUE_POSITION.sub(lambda m: m.group(1) + VARCHAR_MAX_DOMAIN, text)
                text = _VARCHAR_MAX.sub("varchar", text)
        out.append(text)
    return "".join(out)


def _without_comments(statement: str) -> str:
    return "".join(
        text
        for is_code, text in _code_segments(statement)
        if is_code or not text.startswith(("--", "/*"))
    )


def split_types(args: str) -> list[str]:
    """`VARCHAR(MAX), DECIMAL(10, 2)` -> ['VARCHAR(MAX)', 'DECIMAL(10, 2)'] (top-level commas)."""
    parts, depth, current = [], 0, []
    for ch in args:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    tail = "".join(current).strip()
    if tail or parts:
        parts.append(tail)
    return parts


def _base_type(sql_type: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\(.*\)", "", sql_type)).strip().lower()


def parse_external(statement: str) -> ExternalFunction | None:
    """The external function a statement creates, None for any other statement."""
    code = _without_comments(statement)
    if not re.match(r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?EXTERNAL\s+FUNCTION\b", code, re.I):
        return None
    m = _EXTERNAL.match(code.strip())
    if m is None:
        raise TranslationError(
            "cannot read this CREATE EXTERNAL FUNCTION: expected `name(types) RETURNS type"
            " STABLE|VOLATILE LAMBDA '<function>' IAM_ROLE ...`"
        )
    arg_types = tuple(split_types(m["args"]))
    for position, sql_type in enumerate((*arg_types, m["returns"].strip())):
        base = _base_type(sql_type)
        if base not in _EXTERNAL_TYPES:
            where = "RETURNS" if position == len(arg_types) else f"argument {position + 1}"
            raise TranslationError(
                f"{m['name']}: {where} has type {sql_type}, which Lambda UDFs do not support"
                " (use VARCHAR(MAX) and a SQL wrapper)"
            )
    found: dict[str, str] = {}
    clauses = m["clauses"]
    pos = 0
    while pos < len(clauses):
        c = _CLAUSE.match(clauses, pos)
        if c is None:
            raise TranslationError(f"{m['name']}: unexpected clause near {clauses[pos:].strip()!r}")
        for key, value in c.groupdict().items():
            if value is not None and key != "unit":
                if key in found:
                    raise TranslationError(f"{m['name']}: {key.upper()} given twice")
                found[key] = value
        if c["size"] is not None:
            size_kb = int(c["size"]) * (1024 if (c["unit"] or "KB").upper() == "MB" else 1)
            if not MAX_BATCH_SIZE_KB[0] <= size_kb <= MAX_BATCH_SIZE_KB[1]:
                raise TranslationError(
                    f"{m['name']}: MAX_BATCH_SIZE must be between 1 KB and 5 MB, got"
                    f" {c['size']} {c['unit'] or 'KB'}"
                )
        pos = c.end()
    for required in ("lambda", "role"):
        if required not in found:
            clause = "LAMBDA" if required == "lambda" else "IAM_ROLE"
            raise TranslationError(f"{m['name']}: the {clause} clause is required")
    if "rows" in found and not 1 <= int(found["rows"]) <= INT_MAX:
        raise TranslationError(f"{m['name']}: MAX_BATCH_ROWS must be between 1 and {INT_MAX}")
    if found["volatility"].upper() == "IMMUTABLE":
        raise TranslationError(f"{m['name']}: Lambda UDFs are STABLE or VOLATILE, not IMMUTABLE")
    arn = _ARN.match(found["lambda"])
    return ExternalFunction(
        replace=bool(m["replace"]),
        name=m["name"],
        arg_types=arg_types,
        returns=m["returns"].strip(),
        volatility=found["volatility"].upper(),
        lambda_name=arn["name"] if arn else found["lambda"],
        region=arn["region"] if arn else "us-east-1",
    )


def external_function_sql(
    fn: ExternalFunction, endpoint_url: str, function_map: Mapping[str, str] | None = None
) -> str:
    """The plpython3u function standing in for `fn`, calling `endpoint_url`."""
    target = (function_map or {}).get(fn.lambda_name, fn.lambda_name)
    varchar_max = tuple(i for i, t in enumerate(fn.arg_types) if _VARCHAR_MAX.fullmatch(t.strip()))
    external_name = fn.name.replace('"', "").lower()  # Redshift's fully qualified name
    args = ", ".join(rewrite_varchar_max(t) for t in fn.arg_types)
    returns = rewrite_varchar_max(f"RETURNS {fn.returns}")
    call = (
        f"{endpoint_url.rstrip('/')!r}, {target!r}, {external_name!r}, {fn.region!r},"
        f" args, {varchar_max!r}"
    )
    body = (
        "\ninvoke = GD.get('redshift_local_invoke')\n"
        "if invoke is None:\n"
        f"    plpy.execute('SELECT {SCHEMA}.lambda_runtime()')\n"
        "    invoke = GD['redshift_local_invoke']\n"
        f"return invoke({call})\n"
    )
    replace = "OR REPLACE " if fn.replace else ""
    return (
        f"CREATE {replace}FUNCTION {fn.name}({args})\n{returns}\n{fn.volatility}\n"
        f"LANGUAGE plpython3u\nAS $carto_external${body}$carto_external$"
    )


def translate(
    statement: str, endpoint_url: str | None, function_map: Mapping[str, str] | None = None
) -> str:
    """One statement as the stand-in runs it (see the module doc)."""
    fn = parse_external(statement)
    if fn is None:
        return rewrite_varchar_max(statement)
    if not endpoint_url:
        raise TranslationError(
            f"{fn.name}: an external function needs the Lambda endpoint's URL; open the"
            " session with endpoint_url="
        )
    return external_function_sql(fn, endpoint_url, function_map)


def split_sql(script: str) -> list[str]:
    """Statements of a script at top-level semicolons (quotes, comments and dollar-quoted
    bodies respected); statements holding only comments are dropped."""
    statements, start, i, n = [], 0, 0, len(script)
    while i < n:
        ch = script[i]
        if script.startswith("--", i):
            i = script.find("\n", i)
            i = n if i < 0 else i
        elif script.startswith("/*", i):
            end = script.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif ch in "'\"":
            end = i + 1
            while end < n:
                if script[end] == ch:
                    if end + 1 < n and script[end + 1] == ch:
                        end += 2
                        continue
                    break
                end += 1
            i = end + 1
        elif ch == "$" and (m := re.match(r"\$([A-Za-z_]\w*)?\$", script[i:])):
            tag = m.group()
            end = script.find(tag, i + len(tag))
            i = n if end < 0 else end + len(tag)
        elif ch == ";":
            statements.append(script[start:i])
            start = i = i + 1
        else:
            i += 1
    statements.append(script[start:])
    return [s.strip() for s in statements if _has_code(s)]


def _has_code(statement: str) -> bool:
    stripped = re.sub(r"--[^\n]*|/\*.*?\*/", "", statement, flags=re.S)
    return bool(stripped.strip())
