"""The repository's `.env`, read with python-dotenv and checked line by line.

python-dotenv handles the syntax people expect from a `.env` (single and double quotes,
escapes in double quotes, values spanning lines, `export KEY=...`, inline comments). On top of
it, a line that is not an assignment is refused (it used to be skipped, so a typo silently
lost a setting), a boolean key must hold a boolean (`PRODUCTION=banana` used to mean "no"),
and a key that looks like one of ours but is not gets a warning with the key it probably
meant (`CARTO_TARGTE` -> CARTO_TARGET). Values are taken literally: `${VAR}` is not expanded,
so a password holding `$` stays intact.
"""

from __future__ import annotations

import difflib
import io
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})
BOOLEAN_KEYS = frozenset({"PRODUCTION", "RS_SSL", "RS_IAM", "RS_DATA_API"})
# Prefixes of the project's own keys: an unknown one of these is a typo, never someone else's.
OWN_PREFIXES = ("RS_", "CARTO_")

# Read from the process environment only (interpreter paths, the test memory ceiling): in a
# `.env` they would be silently ignored.
ENVIRONMENT_ONLY = re.compile(r"CARTO_PYTHON_[0-9]+_[0-9]+|CARTO_MEMORY_LIMIT")

_shown: set[str] = set()


class EnvFileError(ValueError):
    """`.env` cannot be used as written; the message names file:line and the fix."""


def boolean(key: str, value: str | None, where: str) -> bool:
    """True/False for a boolean setting; an empty or unset value is False.

    `where` says where the value came from (`.env:3`, `the environment`) for the message.
    """
    word = (value or "").strip().lower()
    if not word or word in FALSE_WORDS:
        return False
    if word in TRUE_WORDS:
        return True
    raise EnvFileError(
        f"{where}: {key}={value!r} is not a boolean; write {key}=1 or {key}=0 "
        "(true/false, yes/no and on/off are accepted too)"
    )


def suggestion(key: str, known: Iterable[str]) -> str | None:
    """The known key `key` was probably meant to be, when it looks like a typo of one."""
    matches = difflib.get_close_matches(key.upper(), sorted(known), n=1, cutoff=0.8)
    return matches[0] if matches else None


def unknown_key_warning(key: str, known: Iterable[str]) -> str | None:
    """A warning for a key that looks like ours but is not one; None for foreign keys."""
    known = set(known)
    if key in known:
        return None
    if ENVIRONMENT_ONLY.fullmatch(key):
        return f"{key} is read from the environment only (it is ignored here); export it instead"
    meant = suggestion(key, known)
    if meant:
        return f"unknown key {key}; did you mean {meant}? (it is ignored)"
    if key.startswith(OWN_PREFIXES):
        return f"unknown key {key} (it is ignored); the known keys are listed in .env.template"
    return None


def _warn(message: str) -> None:
    # Settings are resolved more than once per command; each warning is printed once.
    if message not in _shown:
        _shown.add(message)
        print(f"warning: {message}", file=sys.stderr)


def read_env_file(
    path: Path,
    known: Iterable[str],
    *,
    warn: Callable[[str], None] = _warn,
) -> dict[str, str]:
    """KEY -> value of `path` ({} when there is no such file); raises EnvFileError.

    `known` are the keys the project reads; other keys that look like ours are warned about
    through `warn` (stderr by default).
    """
    if not path.is_file():
        return {}
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise EnvFileError(f"{path}:{line}: not valid UTF-8; save the file as UTF-8") from None

    from dotenv.parser import parse_stream  # only when there is a .env to read

    known = set(known)
    values: dict[str, str] = {}
    problems: list[str] = []
    for binding in parse_stream(io.StringIO(text)):
        raw = binding.original.string
        # python-dotenv counts the blank lines before a binding as part of it.
        line = binding.original.line + raw[: len(raw) - len(raw.lstrip())].count("\n")
        where = f"{path}:{line}"
        shown = raw.strip()
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        if binding.error:
            problems.append(
                f"{where}: cannot read {shown!r}; write KEY=VALUE, and quote a value that "
                'holds spaces, quotes or # (KEY="a value")'
            )
            continue
        if binding.key is None:  # a blank line or a comment
            continue
        if binding.value is None:
            problems.append(
                f"{where}: {shown!r} has no '='; write {binding.key}=VALUE "
                f"({binding.key}= for an empty value, or # in front to comment it out)"
            )
            continue
        key, value = binding.key, binding.value
        if key in BOOLEAN_KEYS:
            try:
                boolean(key, value, where)
            except EnvFileError as exc:
                problems.append(str(exc))
                continue
        message = unknown_key_warning(key, known)
        if message:
            warn(f"{where}: {message}")
        values[key] = value
    if problems:
        raise EnvFileError("\n".join(problems))
    return values
