"""deploy() / remove() against the local target: plans, convergence, dry runs."""

from __future__ import annotations

import json
import os
from pathlib import Path

from engine.deploy.api import deploy, remove
from engine.deploy.models import ActionKind
from engine.deploy.targets.local import target as local_mod


def listing(root: Path) -> list[tuple[str, int, int]]:
    """Every path under root with its size and mtime: any change shows."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            st = os.stat(os.path.join(dirpath, name))
            out.append((os.path.join(dirpath, name), st.st_size, st.st_mtime_ns))
    return out


def kinds(report):
    return {a.name: a.kind for a in report.plan.actions}


def quiet(line: str) -> None:
    pass


def test_deploy_then_noop_then_updates(make_function, settings, target):
    a, b = make_function("a"), make_function("b")
    lines: list[str] = []
    first = deploy([a, b], settings, target=target, out=lines.append)
    assert first.ok and first.deployed_names == {"demo/a": "t-a", "demo/b": "t-b"}
    assert lines[0].startswith("target: local (default: no target configured)")
    assert set(kinds(first).values()) == {ActionKind.CREATE}
    meta = json.loads((target.prefix_dir("t-") / "t-a" / "metadata.json").read_text())
    assert meta["managed"] is True and meta["function_id"] == "demo/a"
    assert meta["digest"] == first.build.artifacts["demo/a"].digest

    again = deploy([a, b], settings, target=target, out=quiet)
    assert set(kinds(again).values()) == {ActionKind.SKIP}
    assert again.counts() == {"unchanged": 2}

    a.code_file.write_text(a.code_file.read_text() + "\n# v2\n")
    b2 = make_function("b", timeout=5)
    third = deploy([a, b2], settings, target=target, out=quiet)
    assert kinds(third) == {"t-a": ActionKind.UPDATE_CODE, "t-b": ActionKind.UPDATE_CONFIG}
    state = target.read_state("t-")
    assert state["t-b"].config["timeout"] == 5
    # Old code is gone once the new one is committed.
    files = sorted(p.name for p in (target.prefix_dir("t-") / "t-a").iterdir())
    assert files == [f"artifact-{state['t-a'].digest}.zip", "metadata.json"]


def test_dry_run_changes_nothing(repo, make_function, settings, target):
    a = make_function("a")
    deploy([a], settings, target=target, out=quiet)
    a.code_file.write_text("# changed\n" + a.code_file.read_text())
    before = listing(repo / ".carto" / "local")
    lines: list[str] = []
    report = deploy(
        [a, make_function("b")], settings, target=target, dry_run=True, out=lines.append
    )
    assert listing(repo / ".carto" / "local") == before
    assert report.outcomes == [] and report.dry_run
    assert kinds(report) == {"t-a": ActionKind.UPDATE_CODE, "t-b": ActionKind.CREATE}
    assert any("update-code  demo/a -> t-a" in line for line in lines)
    assert lines[-1] == "dry run: nothing was changed"


def test_partial_failure_then_rerun_converges(make_function, settings, target, monkeypatch):
    fns = [make_function(n) for n in ("a", "bad", "c")]
    real_put = local_mod.LocalTarget._put

    def flaky(self, prefix, desired, *, code):
        if desired.deployed_name == "t-bad":
            raise OSError("disk full (simulated)")
        return real_put(self, prefix, desired, code=code)

    monkeypatch.setattr(local_mod.LocalTarget, "_put", flaky)
    lines: list[str] = []
    report = deploy(fns, settings, target=target, out=lines.append)
    assert not report.ok
    assert [(o.action.name, o.error) for o in report.failures] == [
        ("t-bad", "disk full (simulated)")
    ]
    assert any("t-bad" in line and "FAILED" in line for line in lines)
    assert set(target.read_state("t-")) == {"t-a", "t-c"}

    monkeypatch.setattr(local_mod.LocalTarget, "_put", real_put)
    rerun = deploy(fns, settings, target=target, out=quiet)
    assert rerun.ok
    assert kinds(rerun) == {
        "t-a": ActionKind.SKIP,
        "t-bad": ActionKind.CREATE,
        "t-c": ActionKind.SKIP,
    }


def test_crash_before_commit_keeps_the_old_deployment(make_function, settings, target, monkeypatch):
    a = make_function("a")
    deploy([a], settings, target=target, out=quiet)
    old = target.read_state("t-")["t-a"].digest
    a.code_file.write_text(a.code_file.read_text() + "\n# v2\n")

    def crash(path, data):
        raise OSError("power cut (simulated)")

    monkeypatch.setattr(local_mod, "_write_json_atomic", crash)
    assert not deploy([a], settings, target=target, out=quiet).ok
    assert target.read_state("t-")["t-a"].digest == old
    monkeypatch.undo()
    report = deploy([a], settings, target=target, out=quiet)
    assert report.ok and kinds(report) == {"t-a": ActionKind.UPDATE_CODE}
    assert deploy([a], settings, target=target, out=quiet).counts() == {"unchanged": 1}


def test_build_failure_is_reported_and_others_deploy(make_function, settings, target):
    good = make_function("good")
    bad = make_function("bad", runtime="python2.7")
    report = deploy([good, bad], settings, target=target, out=quiet)
    assert not report.ok
    assert any("demo/bad" in e for e in report.errors)
    assert "t-good" in target.read_state("t-")


def test_remove_only_touches_managed_functions(make_function, settings, target):
    a, b = make_function("a"), make_function("b")
    deploy([a, b], settings, target=target, out=quiet)
    foreign = target.prefix_dir("t-") / "t-foreign"
    foreign.mkdir()
    (foreign / "metadata.json").write_text(json.dumps({"managed": False}))

    pruned = remove([a], settings, target=target, prune=True, out=quiet)
    assert [x.name for x in pruned.plan.actions] == ["t-b"] and pruned.ok
    report = remove(None, settings, target=target, out=quiet)
    assert [x.name for x in report.plan.actions] == ["t-a"]
    assert any("t-foreign" in n for n in report.notes)
    assert set(target.read_state("t-")) == {"t-foreign"}


def test_deploy_prune_deletes_managed_orphans(make_function, settings, target):
    a, b = make_function("a"), make_function("b")
    deploy([a, b], settings, target=target, out=quiet)
    report = deploy([a], settings, target=target, prune=True, out=quiet)
    assert kinds(report) == {"t-a": ActionKind.SKIP, "t-b": ActionKind.DELETE}
    assert set(target.read_state("t-")) == {"t-a"}


def test_noop_redeploy_is_fast(make_function, settings, target):
    import time

    fns = [make_function(f"f{i}") for i in range(20)]
    deploy(fns, settings, target=target, out=quiet)
    start = time.monotonic()
    report = deploy(fns, settings, target=target, out=quiet)
    assert report.counts() == {"unchanged": 20}
    assert time.monotonic() - start < 2.0
