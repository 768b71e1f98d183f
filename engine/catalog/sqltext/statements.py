"""What a function's SQL template may do: define its own functions in its own schema.

The deploy records (and `remove` drops) the functions a template creates in `@@SCHEMA@@`;
anything else a template ran would be invisible to that ownership tracking, and could reach
objects that belong to someone else (`DROP TABLE public.x`, a grant on another schema). So
every statement must be one of:

    CREATE [OR REPLACE] [EXTERNAL] FUNCTION | PROCEDURE @@SCHEMA@@.<name>(...) ...
    GRANT EXECUTE ON FUNCTION | PROCEDURE @@SCHEMA@@.<name>(...) TO ...
    COMMENT ON FUNCTION | PROCEDURE @@SCHEMA@@.<name>(...) IS ...
    DROP FUNCTION | PROCEDURE [IF EXISTS] @@SCHEMA@@.<name>(...)

where, for GRANT, COMMENT and DROP, <name> is one the same template creates. A body between
dollar quotes is part of its CREATE statement, not a statement of the deploy.
"""

from __future__ import annotations

import re

from engine.catalog.sqltext.split import SplitError, position, scan
from engine.catalog.yamlsrc import Problem

_KIND = r"(?:FUNCTION|PROCEDURE)"
_NAME = r"@@SCHEMA@@\.([A-Za-z_][A-Za-z0-9_]*)\s*"
# An argument list: types may hold one level of parentheses (VARCHAR(MAX), DECIMAL(38, 10)).
_ARGS = r"\((?:[^()]|\([^()]*\))*\)"
# Functions created outside @@SCHEMA@@ are reported by the renderer's own check.
_CREATE_FUNCTION = re.compile(
    r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:EXTERNAL\s+)?FUNCTION\s+\S+?\s*\(", re.IGNORECASE
)
_OWN_CREATE = re.compile(
    rf"CREATE\s+(?:OR\s+REPLACE\s+)?(?:EXTERNAL\s+)?{_KIND}\s+{_NAME}\(", re.IGNORECASE
)
# One object each, the whole statement matched: no second object after a comma, no CASCADE
# (which would drop whatever depends on the function, wherever it lives).
_ON_OWN = (
    re.compile(rf"GRANT\s+EXECUTE\s+ON\s+{_KIND}\s+{_NAME}{_ARGS}\s+TO\s+[^,]", re.I | re.S),
    re.compile(rf"COMMENT\s+ON\s+{_KIND}\s+{_NAME}{_ARGS}\s+IS\s+(?:'(?:[^']|'')*'|NULL)", re.I),
    re.compile(rf"DROP\s+{_KIND}\s+(?:IF\s+EXISTS\s+)?{_NAME}{_ARGS}(?:\s+RESTRICT)?", re.I),
)
ALLOWED = (
    "a template may only CREATE functions or procedures in @@SCHEMA@@, and GRANT EXECUTE on, "
    "COMMENT ON or DROP the ones it creates"
)


def _statements(text: str) -> list[tuple[int, str]]:
    """(offset of the first word, statement text with comments blanked) of every statement."""
    out: list[tuple[int, str]] = []
    spans = scan(text)
    code = "".join(
        " " * (s.end - s.start) if s.kind == "comment" else text[s.start : s.end] for s in spans
    )
    start = 0
    for span in spans:
        if span.kind != "code":
            continue
        k = code.find(";", span.start, span.end)
        while k >= 0:
            out.append((start, code[start:k]))
            start = k + 1
            k = code.find(";", start, span.end)
    out.append((start, code[start:]))
    result = []
    for offset, body in out:
        stripped = body.lstrip()
        if stripped.strip():
            result.append((offset + len(body) - len(stripped), stripped.rstrip()))
    return result


def statement_problems(label: str, text: str) -> list[Problem]:
    """A problem naming each statement a template may not run (see the module docstring).

    CREATE statements outside @@SCHEMA@@ are left to the renderer's own check; text that does
    not split into statements is reported there too.
    """
    try:
        statements = _statements(text)
    except SplitError:
        return []
    created = set()
    for _, sql in statements:
        m = _OWN_CREATE.match(sql)
        if m:
            created.add(m.group(1).lower())
    problems = []
    for number, (offset, sql) in enumerate(statements, 1):
        if _OWN_CREATE.match(sql) or _CREATE_FUNCTION.match(sql):
            continue
        line, col = position(text, offset)
        shown = " ".join(sql.split())
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        own = next((m for rx in _ON_OWN[:1] if (m := rx.match(sql))), None) or next(
            (m for rx in _ON_OWN[1:] if (m := rx.fullmatch(sql))), None
        )
        if own is None:
            message = f"refused ({shown}): {ALLOWED}"
        elif own.group(1).lower() not in created:
            message = (
                f"refused ({shown}): {own.group(1)} is not created by this template; " + ALLOWED
            )
        else:
            continue
        problems.append(Problem(label, line, col, f"statement {number}", message))
    return problems
