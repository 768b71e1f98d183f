"""What a case expects of one response, and how a failed case is shown.

Shared by the case items (in-process, deployed) and the `[redshift]` items, so every level
judges and reports a case the same way.
"""

from __future__ import annotations

import json
from typing import Any

from engine.catalog.cases import Case
from engine.catalog.compare import compare
from engine.catalog.model import Function


class CaseFailure(Exception):
    """A case did not give what it expects; carries what to show the user."""

    def __init__(
        self, message: str, *, event: Any = None, expected: Any = None, actual: Any = None
    ) -> None:
        super().__init__(message)
        self.event, self.expected, self.actual = event, expected, actual


def _short(value: Any, limit: int = 2000) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


def check_case(function: Function, case: Case, event: Any, response: Any) -> None:
    """Raise CaseFailure unless the response is what the case expects."""
    if case.expected_error is not None:
        if response.success:
            raise CaseFailure(
                "expected an error response",
                event=event,
                expected=f"error containing {case.expected_error!r}",
                actual=response.raw,
            )
        if case.expected_error not in (response.error_msg or ""):
            raise CaseFailure(
                "error message differs",
                event=event,
                expected=f"error containing {case.expected_error!r}",
                actual=response.error_msg,
            )
        return
    if not response.success:
        raise CaseFailure(
            "the function answered with an error",
            event=event,
            expected=case.expected,
            actual=response.error_msg,
        )
    why = compare(response.results[0], case, function.output.type)
    if why:
        raise CaseFailure(why, event=event, expected=case.expected, actual=response.results[0])


def format_failure(function: Function, case: Case, level: str, failure: CaseFailure) -> str:
    lines = [
        f"{function.name}::{case.name}[{level}] ({function.cases_file}:{case.line}): {failure}",
    ]
    if case.description:
        lines.append(f"  case:     {case.description}")
    if failure.event is not None:
        lines.append(f"  event:    {_short(failure.event)}")
    if failure.expected is not None or case.expected_error is None:
        lines.append(f"  expected: {_short(failure.expected)}")
    lines.append(f"  actual:   {_short(failure.actual)}")
    options = [k for k in ("unordered",) if getattr(case, k)]
    if case.tolerance:
        options.append(f"tolerance={case.tolerance}")
    if case.compare != "exact":
        options.append(f"compare={case.compare}")
    if options:
        lines.append(f"  options:  {', '.join(options)}")
    return "\n".join(lines)
