"""How the CLI writes: data (tables, JSON) on stdout, headers and progress on stderr, colour
only on a terminal (never with NO_COLOR), and a closed pipe (`| head`) ends quietly."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Mapping
from typing import Any, TextIO

# Exit status of `status --exit-code` when anything is changed, missing or orphaned; 0 and
# 1 keep their meaning (in sync, failure) and 2 stays bad input.
DRIFT_EXIT = 3
# A reader that went away (`carto-gateway status | head -1`): 128 + SIGPIPE, as shells report.
BROKEN_PIPE_EXIT = 141


def err(message: str) -> None:
    """A header, note or progress line: stderr, so stdout stays data."""
    print(message, file=sys.stderr, flush=True)


def colour_enabled(stream: TextIO) -> bool:
    """Colour on a terminal only; NO_COLOR (any value, https://no-color.org) turns it off."""
    if "NO_COLOR" in os.environ:
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


_CODES = {"red": "31", "green": "32", "yellow": "33", "bold": "1", "dim": "2"}


def paint(text: str, colour: str, stream: TextIO | None = None) -> str:
    if not colour_enabled(stream or sys.stderr):
        return text
    return f"\033[{_CODES[colour]}m{text}\033[0m"


def _colour_of(line: str) -> str | None:
    text = line.strip()
    if "FAILED" in text or text.startswith(("ERROR", "error:", "refused")):
        return "red"
    if text.startswith(("deploy ok", "remove ok")):
        return "green"
    if text.startswith(("warning:", "note:", "dry run:")):
        return "yellow"
    return None


def human_out(*, json: bool = False) -> Callable[[str], None]:
    """The `out` of a deploy or remove: stdout (stderr with --json, whose stdout is the
    document), failures red and the final summary green on a terminal."""
    stream_name = "stderr" if json else "stdout"

    def out(line: str) -> None:
        stream = getattr(sys, stream_name)  # looked up per line: tests capture it
        colour = _colour_of(line)
        if colour and colour_enabled(stream):
            line = f"\033[{_CODES[colour]}m{line}\033[0m"
        try:
            print(line, file=stream, flush=True)
        except BrokenPipeError:  # `deploy | head`: the work goes on, its words are dropped
            if stream_name == "stdout":
                quiet_broken_pipe()

    return out


def print_json(data: Any) -> None:
    """One JSON document on stdout (the only thing on stdout with --json)."""
    print(json.dumps(data, indent=2, default=str))


def parse_jobs(text: str) -> int:
    """--jobs as CARTO_JOBS is read: a positive integer, else a usage error (exit 2)."""
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(
            f"must be a positive integer (as CARTO_JOBS), not {text!r}"
        )
    return jobs


def quiet_broken_pipe() -> int:
    """After BrokenPipeError on stdout: point stdout at /dev/null so the interpreter's final
    flush cannot raise again (and print a traceback), and return the exit status."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is no real file (captured): nothing to flush
        pass
    return BROKEN_PIPE_EXIT


# -- plans and outcomes as data ---------------------------------------------------------------


def _param(key: str, value: Any) -> Any:
    from engine.deploy.models import MASKED_PARAMS, FileBytes

    if isinstance(value, FileBytes):
        return {"file": value.path.name, "size": value.size}
    if key in MASKED_PARAMS:
        return {k: "***" for k in value} if isinstance(value, Mapping) else "***"
    if isinstance(value, Mapping):
        return {k: _param(k, v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_param("", v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def call_json(call: Any) -> dict[str, Any]:
    """An ApiCall as dry-run shows it: every parameter, code and secrets masked."""
    return {
        "call": call.name,
        "params": {k: _param(k, v) for k, v in call.params.items()},
        "done_if": sorted(call.done_if),
        "wait": call.wait,
    }


def action_json(action: Any) -> dict[str, Any]:
    function = action.data.get("function_id")
    if function is None and action.desired is not None:
        function = action.desired.function.id
    if function is None and action.deployed is not None:
        function = action.deployed.function_id
    return {
        "action": action.kind.value,
        "name": action.name,
        "function": function,
        "reason": action.reason,
        "calls": [call_json(c) for c in action.calls],
    }


def plan_json(plan: Any) -> dict[str, Any] | None:
    if plan is None:
        return None
    return {
        "target": plan.target,
        "prefix": plan.prefix,
        "actions": [action_json(a) for a in plan.actions],
    }


def report_json(report: Any) -> dict[str, Any]:
    """A DeployReport (deploy or remove): the plan, then what applying it did."""
    return {
        "ok": report.ok,
        "dry_run": report.dry_run,
        "plan": plan_json(report.plan),
        "outcomes": [
            {
                "action": o.action.kind.value,
                "name": o.action.name,
                "ok": o.ok,
                "error": o.error,
                "seconds": round(o.seconds, 3),
            }
            for o in report.outcomes
        ],
        "counts": report.counts(),
        "sql": [
            {
                "action": a.kind.value,
                "name": a.name,
                "function": a.data.get("function_id"),
                "reason": a.reason,
                "statements": list(a.data.get("statements", [])),
            }
            for a in getattr(report, "sql_actions", [])
        ],
        "errors": list(report.errors),
        "sql_errors": list(report.sql_errors),
        "notes": list(report.notes),
    }
