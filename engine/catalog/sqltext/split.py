"""Split SQL text into statements, the way Redshift reads it.

Only templates need this: generated SQL is produced as a list of statements from the start.
A `;` ends a statement unless it sits inside a single-quoted string (`''` and backslash
escapes, since Redshift treats `\\` in literals as an escape), a double-quoted identifier
(`""` escape), a dollar-quoted body (`$$ ... $$` or `$tag$ ... $tag$`), a `--` comment or a
`/* */` comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DOLLAR_TAG = re.compile(r"\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$")


class SplitError(ValueError):
    """Unterminated quote, identifier, dollar body or comment."""

    def __init__(self, message: str, line: int, col: int) -> None:
        self.line, self.col = line, col
        super().__init__(f"{line}:{col}: {message}")


@dataclass(frozen=True)
class Span:
    kind: str  # "code", "string", "identifier", "dollar", "comment"
    start: int
    end: int  # exclusive


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of an offset."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def scan(text: str) -> list[Span]:
    """Cut text into code, quoted and comment spans; raises SplitError when one is open."""
    spans: list[Span] = []
    i, n, code_start = 0, len(text), 0

    def close(kind: str, start: int, end: int) -> None:
        nonlocal code_start
        if code_start < start:
            spans.append(Span("code", code_start, start))
        spans.append(Span(kind, start, end))
        code_start = end

    def unterminated(what: str, start: int) -> SplitError:
        return SplitError(f"unterminated {what}", *position(text, start))

    while i < n:
        c = text[i]
        if c == "'":
            j = i + 1
            while True:
                if j >= n:
                    raise unterminated("string literal", i)
                if text[j] == "\\":
                    j += 2
                elif text[j] == "'":
                    if j + 1 < n and text[j + 1] == "'":
                        j += 2
                    else:
                        break
                else:
                    j += 1
            close("string", i, j + 1)
            i = j + 1
        elif c == '"':
            j = i + 1
            while True:
                j = text.find('"', j)
                if j < 0:
                    raise unterminated("quoted identifier", i)
                if text.startswith('""', j):
                    j += 2
                    continue
                break
            close("identifier", i, j + 1)
            i = j + 1
        elif c == "-" and text.startswith("--", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            close("comment", i, j)
            i = j
        elif c == "/" and text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                raise unterminated("/* comment", i)
            close("comment", i, j + 2)
            i = j + 2
        elif c == "$" and (m := _DOLLAR_TAG.match(text, i)) and not _ident_char_before(text, i):
            tag = m.group(0)
            j = text.find(tag, m.end())
            if j < 0:
                raise unterminated(f"{tag} body", i)
            close("dollar", i, j + len(tag))
            i = j + len(tag)
        else:
            i += 1
    if code_start < n:
        spans.append(Span("code", code_start, n))
    return spans


def _ident_char_before(text: str, i: int) -> bool:
    # `a$b$` is an identifier containing dollars in PostgreSQL dialects, not a quote opener.
    return i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_")


def split_statements(text: str) -> list[str]:
    """Statements without their terminating `;`, stripped; empty or comment-only ones dropped."""
    statements: list[str] = []
    start = 0
    spans = scan(text)
    for span in spans:
        if span.kind != "code":
            continue
        k = text.find(";", span.start, span.end)
        while k >= 0:
            statements.append(text[start:k])
            start = k + 1
            k = text.find(";", start, span.end)
    statements.append(text[start:])
    return [s.strip() for s in statements if not _blank(s)]


def strip_comments(sql: str) -> str:
    """The statement with every comment replaced by one space (quoted text untouched)."""
    return "".join(
        " " if span.kind == "comment" else sql[span.start : span.end] for span in scan(sql)
    )


def _blank(sql: str) -> bool:
    return not strip_comments(sql).strip()
