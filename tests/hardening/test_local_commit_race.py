"""Deploy and state (issue class 12): the local target serialises writes to one function, a
deployment whose artifact is gone is never "unchanged"/"in sync" (the next deploy repairs
it), and the target itself refuses names that would leave its folder."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from filelock import FileLock, Timeout

from engine.config import Settings
from engine.deploy.api import CHANGED, IN_SYNC, deploy, status
from engine.deploy.models import ActionKind
from engine.deploy.targets.local import target as local_mod
from engine.deploy.targets.local.target import LocalTarget, LocalTargetError, check_name

PREFIX = "t-"


@pytest.fixture
def target(repo: Path):
    t = LocalTarget(repo / ".carto" / "local")
    yield t
    t.close()


@pytest.fixture
def settings(repo: Path) -> Settings:
    return Settings(repo_root=repo, lambda_prefix=PREFIX)


def _quiet(_: str) -> None:
    pass


def _artifact_of(target: LocalTarget, name: str) -> Path:
    directory = target.prefix_dir(PREFIX) / name
    meta = json.loads((directory / "metadata.json").read_text())
    return directory / meta["artifact"]


def test_a_missing_artifact_is_changed_and_the_next_deploy_repairs_it(
    make_function, settings, target
) -> None:
    fn = make_function("a")
    assert deploy([fn], settings, target=target, out=_quiet).ok
    _artifact_of(target, "t-a").unlink()  # what the lost race left behind

    [row] = status([fn], settings, target=target)
    assert row.status == CHANGED and row.status != IN_SYNC
    with pytest.raises(LocalTargetError, match="missing; deploy it again"):
        target.invoke("t-a", {"num_records": 0, "arguments": []})

    again = deploy([fn], settings, target=target, out=_quiet)
    assert again.ok
    assert [o.action.kind for o in again.outcomes] == [ActionKind.UPDATE_CODE]
    assert _artifact_of(target, "t-a").is_file()
    [row] = status([fn], settings, target=target)
    assert row.status == IN_SYNC
    assert [o.action.kind for o in deploy([fn], settings, target=target, out=_quiet).outcomes] == [
        ActionKind.SKIP
    ]


def test_the_commit_and_garbage_collection_run_under_the_functions_lock(
    make_function, settings, target, monkeypatch
) -> None:
    """While one writer collects garbage, another cannot take the lock: the interleaving
    that deleted the other's committed artifact cannot happen."""
    seen: list[str] = []
    collect = local_mod.LocalTarget._collect_garbage

    def probing(directory: Path, digest: str) -> None:
        lock = FileLock(str(directory.parent / f".{directory.name}.lock"), timeout=0)
        result: list[str] = []

        def other() -> None:  # a second writer, as another process would be
            try:
                with lock:
                    result.append("acquired")
            except Timeout:
                result.append("blocked")

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
        seen.extend(result)
        collect(directory, digest)

    monkeypatch.setattr(local_mod.LocalTarget, "_collect_garbage", staticmethod(probing))
    assert deploy([make_function("a")], settings, target=target, out=_quiet).ok
    assert seen == ["blocked"]


def test_concurrent_commits_of_one_function_leave_a_usable_deployment(
    make_function, settings, target
) -> None:
    """Two writers alternating two versions of one function: whoever commits last, the
    metadata names an artifact that exists."""
    versions = []
    for n in range(2):
        fn = make_function("race", code=f"def handler(event, context):\n    return {n}\n")
        report = deploy([fn], settings, target=target, out=_quiet)
        assert report.ok
        versions.append(report.plan.actions[0].desired)
    errors: list[BaseException] = []

    def writer(desired) -> None:
        try:
            for _ in range(15):
                target._locked(
                    PREFIX, desired.deployed_name, target._put, PREFIX, desired, code=True
                )
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(d,)) for d in versions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert _artifact_of(target, "t-race").is_file()
    state = target.read_state(PREFIX)
    assert state["t-race"].digest in {d.artifact.digest for d in versions}


@pytest.mark.parametrize("name", ["..", "../x", "a/b", "a\\b", "..x", "x..", ".hidden", "", "a\0b"])
def test_the_local_target_refuses_names_outside_its_folder(target, name: str) -> None:
    with pytest.raises(LocalTargetError, match="invalid function name"):
        check_name(name)
    with pytest.raises(LocalTargetError, match="invalid function name"):
        target.locate(name)
    with pytest.raises(LocalTargetError, match="invalid function name"):
        target._function_dir(PREFIX, name)
    status_code, _, body = target.invoke_raw(name, b"{}")
    assert status_code == 404 and b"invalid function name" in body


def test_ordinary_names_are_accepted() -> None:
    for name in ("carto-at-quadbin_center", "a", "t-a_b-1"):
        assert check_name(name) == name
