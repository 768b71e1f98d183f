"""remove asks first (or needs --yes), plans and progress name functions, one progress line per
function, colour only on a terminal and never with NO_COLOR."""

from __future__ import annotations

import io
import re
import shutil

import pytest

from engine.cli import confirm, main, output

LOCAL = ["--target", "local", "--prefix", "hu-"]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def deployed(catalog_repo) -> bool:
    return (catalog_repo / ".carto" / "local" / "hu-" / "hu-ech" / "metadata.json").is_file()


@pytest.fixture
def deployed_echo(catalog_repo, capsys):
    assert main(["deploy", *LOCAL]) == 0
    capsys.readouterr()
    assert deployed(catalog_repo)
    return catalog_repo


def test_remove_without_a_terminal_needs_yes(deployed_echo, capsys):
    assert main(["remove", *LOCAL]) == 2  # pytest's stdin is no terminal
    err = capsys.readouterr().err
    assert "pass --yes to confirm" in err and "--dry-run" in err
    assert deployed(deployed_echo)
    assert main(["remove", "--dry-run", *LOCAL]) == 0  # a dry run asks nothing
    assert deployed(deployed_echo)
    assert main(["remove", "--yes", *LOCAL]) == 0
    assert "remove ok: 1 deleted" in capsys.readouterr().out
    assert not deployed(deployed_echo)


@pytest.mark.parametrize(
    ("answer", "removed"), [("y\n", True), ("yes\n", True), ("n\n", False), ("", False)]
)
def test_remove_on_a_terminal_shows_the_plan_then_asks(
    deployed_echo, capsys, monkeypatch, answer, removed
):
    monkeypatch.setattr(confirm, "can_ask", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO(answer))
    assert main(["remove", *LOCAL]) == (0 if removed else 1)
    captured = capsys.readouterr()
    assert "delete  demo/echo -> hu-ech" in captured.out  # the plan, before the question
    assert "Remove what is listed above? [y/N]" in captured.err
    assert "dry run: nothing was changed" not in captured.out
    assert deployed(deployed_echo) is not removed
    if removed:
        assert "remove ok: 1 deleted" in captured.out
    else:
        assert "remove cancelled: nothing was changed" in captured.err


def test_one_progress_line_per_function_and_a_summary(catalog_repo, add_function, capsys):
    add_function("other")
    assert main(["deploy", *LOCAL]) == 0
    lines = capsys.readouterr().out.splitlines()
    for function, name in (("demo/echo", "hu-ech"), ("demo/other", "hu-oth")):
        assert sum(f"create  {function} -> {name}" in line for line in lines) == 1  # the plan
        progress = [ln for ln in lines if ln.startswith(f"  create {function} -> {name} ")]
        assert len(progress) == 1 and re.search(r": ok \(\d+\.\d+s\)$", progress[0])
        # nothing else repeats the function: no per-function lines in the summary
        assert sum(name in line for line in lines if "PutFunction" not in line) == 2
    assert re.fullmatch(
        r"deploy ok: 2 created in \d+\.\d+s", lines[-2] if "Redshift" in lines[-1] else lines[-1]
    )


def test_a_plain_dry_run_names_orphans(catalog_repo, add_function, capsys):
    other = add_function("other")
    assert main(["deploy", *LOCAL]) == 0
    shutil.rmtree(other)
    capsys.readouterr()
    assert main(["deploy", "--dry-run", *LOCAL]) == 0
    out = capsys.readouterr().out
    assert "1 orphaned function(s) under prefix 'hu-'" in out
    assert "demo/other -> hu-oth" in out and "--prune deletes them" in out


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("line", "coloured"),
    [
        ("deploy ok: 1 created in 0.1s", True),
        ("  create demo/echo -> x: FAILED (0.1s): boom", True),
        ("plan for target local, prefix 'x':", False),
    ],
)
def test_colour_on_a_terminal_only_and_never_with_no_color(monkeypatch, line, coloured):
    monkeypatch.delenv("NO_COLOR", raising=False)
    terminal = Terminal()
    monkeypatch.setattr("sys.stdout", terminal)
    output.human_out()(line)
    assert bool(ANSI.search(terminal.getvalue())) is coloured
    assert ANSI.sub("", terminal.getvalue()) == line + "\n"

    monkeypatch.setenv("NO_COLOR", "1")
    terminal = Terminal()
    monkeypatch.setattr("sys.stdout", terminal)
    output.human_out()(line)
    assert terminal.getvalue() == line + "\n"

    monkeypatch.delenv("NO_COLOR")
    piped = io.StringIO()
    monkeypatch.setattr("sys.stdout", piped)
    output.human_out()(line)
    assert piped.getvalue() == line + "\n"
