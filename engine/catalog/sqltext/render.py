"""`@@VARIABLE@@` templates: checking at validation time and rendering at deploy time.

A placeholder whose name is unknown, or known but without a value, is an error that names the
template file, line and column. Nothing is ever dropped silently (the previous tool deleted
every line holding an empty variable). Values are validated by their grammar before they are
substituted, so rendering never produces SQL a value could have changed the shape of.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

from engine.catalog.sqltext import validate
from engine.catalog.sqltext.split import SplitError, position, scan
from engine.catalog.sqltext.statements import statement_problems
from engine.catalog.yamlsrc import Problem

# Variable name -> validator returning the text to substitute.
VALIDATORS: dict[str, Callable[[object], object]] = {
    "SCHEMA": lambda v: validate.identifier(v, "schema"),
    "FUNCTION_NAME": lambda v: validate.identifier(v, "function name"),
    "LAMBDA_ARN": validate.lambda_arn,
    "IAM_ROLE_ARN": validate.iam_role_chain,
    "MAX_BATCH_ROWS": validate.max_batch_rows,
    "MAX_BATCH_SIZE": validate.max_batch_size,
    "RETRY_TIMEOUT": validate.retry_timeout,
    "PACKAGE_VERSION": validate.package_version,
}
VARIABLES: tuple[str, ...] = tuple(VALIDATORS)

_PLACEHOLDER = re.compile(r"@@([A-Za-z0-9_]*)@@")
_CREATE_FUNCTION = re.compile(
    r"\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:EXTERNAL\s+)?FUNCTION\s+(\S+?)\s*\(", re.IGNORECASE
)


class TemplateError(ValueError):
    """Every problem found while rendering one template."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _source(path_or_text: str | Path) -> tuple[str, str]:
    """(display path, text). A Path is read; a str is template text."""
    if isinstance(path_or_text, Path):
        return str(path_or_text), path_or_text.read_text(encoding="utf-8")
    return "<template>", path_or_text


def _problems(label: str, text: str, known: Mapping[str, object] | None) -> list[Problem]:
    """Unknown (and, when `known` is given, unset) placeholders, plus SQL that cannot split."""
    problems: list[Problem] = []
    for m in _PLACEHOLDER.finditer(text):
        name = m.group(1)
        line, col = position(text, m.start())
        if name not in VALIDATORS:
            problems.append(
                Problem(
                    label,
                    line,
                    col,
                    m.group(0),
                    f"unknown template variable; known: {', '.join(VARIABLES)}",
                )
            )
        elif known is not None and known.get(name) is None:
            problems.append(Problem(label, line, col, m.group(0), "variable has no value"))
    # A lone `@@` is almost certainly a mistyped placeholder.
    leftover = _PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), text)
    for m in re.finditer("@@", leftover):
        line, col = position(text, m.start())
        problems.append(Problem(label, line, col, "@@", "unterminated template variable"))
    try:
        spans = scan(text)
    except SplitError as exc:
        problems.append(Problem(label, exc.line, exc.col, "sql", str(exc).split(": ", 1)[1]))
        return problems
    # Objects must live in the deployed schema, or remove/prune could never find them.
    code = "".join(
        text[s.start : s.end] if s.kind == "code" else " " * (s.end - s.start) for s in spans
    )
    for m in _CREATE_FUNCTION.finditer(code):
        if not m.group(1).startswith("@@SCHEMA@@."):
            line, col = position(text, m.start(1))
            problems.append(
                Problem(
                    label,
                    line,
                    col,
                    m.group(1),
                    "functions must be created as @@SCHEMA@@.<NAME>",
                )
            )
    problems += statement_problems(label, text)
    return sorted(problems, key=lambda p: (p.line, p.column))


def check_template(path: str | Path) -> list[Problem]:
    """Problems detectable without settings: unknown variables, unclosed quotes, bad names."""
    path = Path(path)
    return _problems(str(path), path.read_text(encoding="utf-8"), None)


def validate_variables(variables: Mapping[str, object]) -> dict[str, str]:
    """Validate every set variable by its grammar; raises SqlValueError on the first bad one."""
    out: dict[str, str] = {}
    for name, value in variables.items():
        if name not in VALIDATORS:
            raise KeyError(f"unknown template variable {name!r}; known: {', '.join(VARIABLES)}")
        if value is not None:
            out[name] = str(VALIDATORS[name](value))
    return out


def render(path_or_text: str | Path, variables: Mapping[str, object]) -> str:
    """Substitute `@@NAME@@` placeholders. `path_or_text`: a Path to read, or template text.

    Raises TemplateError (with file:line:col) for unknown or unset variables and SqlValueError
    for a value that does not match its grammar.
    """
    label, text = _source(path_or_text)
    values = validate_variables(variables)
    problems = _problems(label, text, values)
    if problems:
        raise TemplateError(problems)
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)
