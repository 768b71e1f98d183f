"""--json documents parse, status --exit-code reports drift, headers go to stderr, --version,
-v after the subcommand, --jobs checked alike, and a closed pipe ends without a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from engine.cli import main
from engine.cli.output import BROKEN_PIPE_EXIT, DRIFT_EXIT

LOCAL = ["--target", "local", "--prefix", "js-"]


def document(capsys: pytest.CaptureFixture[str]) -> tuple[object, str]:
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


def test_status_json_and_exit_code_follow_the_drift(catalog_repo, add_function, capsys):
    assert main(["status", "--json", "--exit-code", *LOCAL]) == DRIFT_EXIT
    doc, err = document(capsys)
    assert doc["target"] == "local" and doc["prefix"] == "js-"
    assert [(f["function"], f["name"], f["status"]) for f in doc["functions"]] == [
        ("demo/echo", "js-ech", "missing")
    ]
    assert doc["drift"] is True and doc["counts"] == {"missing": 1}
    assert "target: local" in err  # the header: stderr, never inside the document

    assert main(["deploy", *LOCAL]) == 0
    capsys.readouterr()
    assert main(["status", "--json", "--exit-code", *LOCAL]) == 0
    doc, _ = document(capsys)
    assert [f["status"] for f in doc["functions"]] == ["in sync"] and doc["drift"] is False

    # Another function deployed, then gone from the catalog: orphaned is drift too.
    other = add_function("other")
    assert main(["deploy", *LOCAL]) == 0
    shutil.rmtree(other)
    capsys.readouterr()
    assert main(["status", "--exit-code", *LOCAL]) == DRIFT_EXIT
    out, err = capsys.readouterr()
    assert "orphaned" in out and "target:" not in out and "target: local" in err
    assert main(["status", *LOCAL]) == 0  # without --exit-code drift is not an error


def test_deploy_json_holds_the_plan_and_the_outcome(catalog_repo, capsys):
    assert main(["deploy", "--dry-run", "--json", *LOCAL]) == 0
    doc, err = document(capsys)
    assert doc["dry_run"] is True and doc["outcomes"] == [] and doc["ok"] is True
    (action,) = doc["plan"]["actions"]
    assert (action["action"], action["function"]) == ("create", "demo/echo")
    assert action["name"] == "js-ech"
    (call,) = action["calls"]
    assert call["call"] == "local:PutFunction"
    assert call["params"]["FunctionName"] == "js-ech"
    assert set(call["params"]["ZipFile"]) == {"file", "size"}  # the bytes are never in it
    assert "plan for target local" in err and "dry run: nothing was changed" in err
    assert not (catalog_repo / ".carto" / "local" / "js-" / "js-ech").exists()

    assert main(["deploy", "--json", *LOCAL]) == 0
    doc, err = document(capsys)
    assert doc["ok"] is True and doc["dry_run"] is False and doc["counts"] == {"created": 1}
    assert [(o["name"], o["ok"]) for o in doc["outcomes"]] == [("js-ech", True)]
    assert "deploy ok: 1 created" in err


def test_check_json_lists_every_result(catalog_repo, capsys):
    code = main(["check", "--json"])
    doc, err = document(capsys)
    assert {r["status"] for r in doc["results"]} <= {"PASS", "FAIL", "SKIP"}
    assert doc["counts"]["failed"] == sum(r["status"] == "FAIL" for r in doc["results"])
    assert code == (1 if doc["counts"]["failed"] else 0) and doc["ok"] is (code == 0)
    assert "Names and lengths" in {r["check"] for r in doc["results"]}
    assert "configuration:" in err


def test_sql_json_names_each_statements_function(catalog_repo, add_function, capsys):
    add_function("other")
    assert main(["sql", "--json", "--prefix", "js-"]) == 0
    doc, _ = document(capsys)
    assert {f["function"] for f in doc["functions"]} == {"demo/echo", "demo/other"}
    echo = next(f for f in doc["functions"] if f["function"] == "demo/echo")
    assert echo["source"] == "generated from function.yaml"
    assert any("EXTERNAL FUNCTION" in s and "js-ech" in s for s in echo["statements"])
    assert not any(s.rstrip().endswith(";") for s in echo["statements"])


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"carto-gateway {version('carto-at-gateway')}"


def test_verbose_is_accepted_after_the_subcommand(catalog_repo, capsys):
    assert main(["status", *LOCAL, "-v"]) == 0
    assert "RS_LAMBDA_PREFIX" in capsys.readouterr().err  # each setting, on stderr
    assert main(["-v", "list"]) == 0
    assert main(["list", "--verbose"]) == 0


@pytest.mark.parametrize("command", ["build", "deploy", "remove"])
@pytest.mark.parametrize("jobs", ["0", "-2", "many"])
def test_jobs_is_checked_alike_everywhere(catalog_repo, capsys, command, jobs):
    with pytest.raises(SystemExit) as exit_info:
        main([command, f"--jobs={jobs}"])
    assert exit_info.value.code == 2
    assert f"--jobs: must be a positive integer (as CARTO_JOBS), not '{jobs}'" in (
        capsys.readouterr().err
    )


def test_a_closed_pipe_ends_quietly(tmp_path: Path):
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line, as after `| head -0`
    cli = Path(sys.executable).with_name("carto-gateway")
    try:
        result = subprocess.run(
            [str(cli), "list"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            cwd=Path(__file__).resolve().parents[2],
        )
    finally:
        os.close(write_end)
    assert result.returncode == BROKEN_PIPE_EXIT
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr


def test_a_closed_pipe_never_stops_a_deploy_halfway(catalog_repo, add_function, capsys):
    """Progress lines that cannot be written are dropped; every function is still deployed."""
    add_function("other")
    read_end, write_end = os.pipe()
    os.close(read_end)
    saved = os.dup(1)
    try:
        os.dup2(write_end, 1)
        with open(1, "w", closefd=False) as broken, pytest.MonkeyPatch.context() as mp:
            mp.setattr("sys.stdout", broken)
            code = main(["deploy", *LOCAL])
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(write_end)
    assert code == 0
    local = catalog_repo / ".carto" / "local" / "js-"
    assert {p.name for p in local.iterdir() if p.is_dir()} == {"js-ech", "js-oth"}


def test_deploy_json_carries_the_sql_phase_actions(monkeypatch, tmp_path):
    """The SQL phase's planned actions reach the report (and so `deploy --json`)."""
    import engine.redshift
    from engine.cli.output import report_json
    from engine.config import resolve_settings
    from engine.deploy.api import DeployReport
    from engine.deploy.models import Action, ActionKind
    from engine.deploy.sqlphase import run_sql_phase

    planned = [
        Action(
            ActionKind.RUN_SQL,
            "carto.QUADBIN_CENTER",
            "create",
            data={"function_id": "quadbin/quadbin_center", "statements": ["SELECT 1"]},
        )
    ]

    class Session:
        closed = False

        def close(self):
            self.closed = True

    class Target:  # no deployed functions: no ARNs to look up
        name = "aws"

        def read_state(self, prefix):
            return {}

    session = Session()
    monkeypatch.setattr(engine.redshift, "read_state", lambda session, schema: None)
    monkeypatch.setattr(engine.redshift, "plan_sql", lambda *a, **k: list(planned))
    settings = resolve_settings(
        {"CARTO_TARGET": "aws"}, environ={}, repo_root=tmp_path, dotenv=False
    )
    report = DeployReport(plan=None, dry_run=True)
    lines: list[str] = []
    assert run_sql_phase(
        [],
        settings,
        Target(),
        "js-",
        dry_run=True,
        out=lines.append,
        open_session=lambda settings: session,
        record=report.sql_actions,
    )
    assert session.closed and report.sql_actions == planned
    (sql,) = json.loads(json.dumps(report_json(report)))["sql"]
    assert sql == {
        "action": "run-sql",
        "name": "carto.QUADBIN_CENTER",
        "function": "quadbin/quadbin_center",
        "reason": "create",
        "statements": ["SELECT 1"],
    }
