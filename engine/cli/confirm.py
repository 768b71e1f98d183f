"""Asking before a destructive command: only on a terminal; without one the command needs
its --yes, so a script never hangs on a question or deletes without saying so."""

from __future__ import annotations

import sys
from collections.abc import Callable

from engine.cli.output import human_out


def can_ask() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


def confirm(question: str) -> bool:
    """True only for an explicit yes; end of input or an interrupt is a no."""
    sys.stderr.write(f"{question} [y/N] ")  # stderr: stdout may be a file or a pipe
    sys.stderr.flush()
    try:
        answer = sys.stdin.readline()  # "" at end of input: a no
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        return False
    return answer.strip().lower() in ("y", "yes")


def preview_out() -> Callable[[str], None]:
    """The output of the dry run shown before the question, without its closing 'dry run:
    nothing was changed' (the question follows instead)."""
    out = human_out()

    def show(line: str) -> None:
        if not line.startswith("dry run:"):
            out(line)

    return show
