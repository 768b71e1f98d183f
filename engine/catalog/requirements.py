"""A function's requirements file: only specifiers pip can satisfy with wheels for the runtime.

Artifacts are built from wheels for the Lambda runtime's Python and architecture, never from
sources on the build host. So each line must be a plain PEP 508 requirement (a name, optional
extras, optional version specifiers, an optional environment marker). Refused, naming the
line and why: pip options of any kind (`-e`, `-r`, `-c`, `--no-binary`, `--index-url`,
`--hash` ...; the build chooses its own), local paths, URLs and direct references
(`name @ url`), and line continuations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from engine.catalog.yamlsrc import Problem

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_EXTRAS = rf"\[\s*(?:{_NAME}(?:\s*,\s*{_NAME})*)?\s*\]"
_VERSION = r"[A-Za-z0-9_.*+!-]+"
_SPEC = rf"(?:===|==|!=|<=|>=|~=|<|>)\s*{_VERSION}"
_SPECS = rf"{_SPEC}(?:\s*,\s*{_SPEC})*"
# Markers compare names with quoted values; no `/`, `@` or `:` outside quotes is needed.
_MARKER = r"[A-Za-z0-9_.\s()<>=!~'\"-]+"
REQUIREMENT_RE = re.compile(
    rf"(?P<name>{_NAME})\s*(?:{_EXTRAS})?\s*(?:\(\s*(?:{_SPECS})\s*\)|{_SPECS})?"
    rf"\s*(?:;\s*(?P<marker>{_MARKER}))?"
)


@dataclass(frozen=True)
class Requirement:
    line: int
    text: str  # the specifier as written, comment removed
    name: str  # normalised (PEP 503)


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _strip_comment(line: str) -> str:
    # pip: a comment starts at `#` at the beginning of a line or after whitespace
    return re.sub(r"(^|\s)#.*$", "", line).strip()


def _why_not(text: str) -> str:
    """Why a line that is not a plain specifier is refused."""
    if text.startswith("-"):
        option = text.split()[0].split("=")[0]
        return (
            f"pip option {option} is not accepted: the build installs wheels for the Lambda "
            "runtime with its own options; write one requirement specifier per line"
        )
    if text.endswith("\\"):
        return "line continuations are not accepted; write one requirement per line"
    if "://" in text or re.match(rf"{_NAME}\s*(\[[^\]]*\])?\s*@", text):
        return (
            "URLs and direct references (name @ url) are not accepted: they can build from "
            "source on the host; name a released distribution with a version specifier"
        )
    if "/" in text or "\\" in text or text.startswith(".") or text.startswith("~"):
        return (
            "local paths are not accepted: they build on the host, not for the Lambda runtime; "
            "publish a wheel and name it with a version specifier"
        )
    return "not a requirement specifier (expected e.g. 'name==1.2.3' or 'name>=1.0,<2')"


def parse(path: Path) -> tuple[list[Requirement], list[Problem]]:
    """The requirements of a file and a `file:line` problem for every line refused."""
    label = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [], [Problem(label, 1, 1, "", f"cannot read file: {exc.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        return [], [Problem(label, line, 1, "", message)]
    requirements, problems = [], []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        spec = _strip_comment(line)
        if not spec:
            continue
        match = REQUIREMENT_RE.fullmatch(spec)
        if match is None or spec.endswith("\\"):
            problems.append(Problem(label, number, 1, spec[:60], _why_not(spec)))
            continue
        name = normalise(match.group("name"))
        if name in seen and match.group("marker") is None:
            problems.append(
                Problem(
                    label, number, 1, spec[:60], f"{name} is also required on line {seen[name]}"
                )
            )
            continue
        seen.setdefault(name, number)
        requirements.append(Requirement(number, spec, name))
    return requirements, problems


def requirement_problems(path: Path) -> list[Problem]:
    return parse(path)[1]
