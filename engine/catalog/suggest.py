"""Did-you-mean hints for misspelled module and function names (CLI and plugin alike)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(unknown: Iterable[str], known: Iterable[str]) -> str:
    """`; did you mean quadbin?` for the unknown names that resemble a known one, else ''."""
    choices = sorted({k.lower() for k in known})
    hints = []
    for name in sorted(set(unknown)):
        close = difflib.get_close_matches(name.lower(), choices, n=1, cutoff=0.6)
        if close:
            hints.append(f"{close[0]} (for {name})" if len(set(unknown)) > 1 else close[0])
    return f"; did you mean {', '.join(hints)}?" if hints else ""


def unknown_selection(
    modules: Iterable[str],
    functions: Iterable[str],
    known_modules: Iterable[str],
    known_functions: Iterable[str],
) -> list[str]:
    """One message per kind of unknown name, as `carto-gateway` and the plugin report them."""
    known_modules = sorted(set(known_modules))
    known_functions = sorted(set(known_functions))
    problems = []
    unknown = {m.lower() for m in modules} - {m.lower() for m in known_modules}
    if unknown:
        problems.append(
            f"unknown module(s): {', '.join(sorted(unknown))}; known: {', '.join(known_modules)}"
            + did_you_mean(unknown, known_modules)
        )
    unknown = {f.lower() for f in functions} - {f.lower() for f in known_functions}
    if unknown:
        problems.append(
            f"unknown function(s): {', '.join(sorted(unknown))}"
            + did_you_mean(unknown, known_functions)
            + " (see `carto-gateway list` for the names)"
        )
    return problems
