"""The stand-in server's lifecycle: nothing left running, stale state reclaimed, clear errors."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import psycopg
import pytest

from engine.redshift.standin import RedshiftLocal, StandinUnavailable, binaries
from engine.redshift.standin.server import _pid_alive, _postmaster_pid

from .conftest import needs_standin, standin_root

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def root():
    base = standin_root()
    yield base / "rsl"
    shutil.rmtree(base, ignore_errors=True)


def select_one(server: RedshiftLocal) -> int:
    with psycopg.connect(**server.conninfo(), autocommit=True) as conn:
        return conn.execute("SELECT 1").fetchone()[0]


def wait_dead(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return True
        time.sleep(0.05)
    return False


@needs_standin
def test_start_stop_leaves_nothing_running(root):
    server = RedshiftLocal(root).start()
    pid = _postmaster_pid(root / "data")
    port = server.port
    assert pid is not None and _pid_alive(pid)
    assert select_one(server) == 1
    assert server.socket_dir == root / "run"
    assert (root / "run" / f".s.PGSQL.{port}").exists()
    if os.geteuid() == 0:  # the server runs unprivileged
        assert (root / "data").stat().st_uid == binaries_user_uid()
    server.stop()
    assert wait_dead(pid)
    assert not server.running
    assert not (root / "data" / "postmaster.pid").exists()
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0
    server.stop()  # idempotent


def binaries_user_uid() -> int:
    import pwd

    return pwd.getpwnam("postgres").pw_uid


@needs_standin
def test_a_killed_run_is_reclaimed_by_the_next_start(root):
    # A run that dies without cleaning up (SIGKILL: no atexit, no finally) leaves its
    # postmaster behind; the next start stops it and starts afresh in the same folder.
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        sys.path.insert(0, {str(REPO)!r})
        from engine.redshift.standin import RedshiftLocal
        server = RedshiftLocal({str(root)!r}).start()
        print(server.port, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    orphan = _postmaster_pid(root / "data")
    assert orphan is not None and _pid_alive(orphan)  # really left running

    lines: list[str] = []
    server = RedshiftLocal(root, log=lines.append).start()
    try:
        assert wait_dead(orphan)
        assert any(f"left running by an earlier run (pid {orphan})" in line for line in lines)
        assert _postmaster_pid(root / "data") != orphan
        assert select_one(server) == 1
    finally:
        server.stop()


@needs_standin
def test_stale_pid_file_and_unfinished_data_folder(root):
    server = RedshiftLocal(root).start()
    server.stop()
    # A pid file naming a process that is gone (its server crashed) ...
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (root / "data" / "postmaster.pid").write_text(f"{dead.pid}\n{root / 'data'}\n")
    with RedshiftLocal(root) as again:
        assert select_one(again) == 1
    # ... and a data folder whose set-up never finished (no ready marker) is made anew.
    (root / "ready").unlink()
    (root / "data" / "left-over").write_text("x")
    with RedshiftLocal(root) as fresh:
        assert select_one(fresh) == 1
        assert not (root / "data" / "left-over").exists()


@needs_standin
def test_port_taken_is_a_clear_error(root):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with pytest.raises(StandinUnavailable, match=f"port {port} on 127.0.0.1 is taken"):
            RedshiftLocal(root, port=port).start()
    assert _postmaster_pid(root / "data") is None


@needs_standin
def test_one_owner_per_folder(root):
    with (
        RedshiftLocal(root),
        pytest.raises(StandinUnavailable, match="another process is running the stand-in"),
    ):
        RedshiftLocal(root).start()


@needs_standin
@pytest.mark.skipif(os.geteuid() != 0, reason="only root hands the folder to another user")
def test_folder_unreachable_by_the_server_user(tmp_path):
    # pytest's tmp_path is 0700 and root's: the postgres user cannot reach into it.
    with pytest.raises(StandinUnavailable, match="not reachable by the `postgres` user"):
        RedshiftLocal(tmp_path / "rsl", fallback=False).start()
    # By default the files go to a fixed folder in /tmp named after the requested one.
    lines: list[str] = []
    server = RedshiftLocal(tmp_path / "rsl", log=lines.append)
    try:
        server.start()
        assert server.root.parent == Path(tempfile.gettempdir())
        assert server.root.name.startswith("carto-redshift-local-")
        assert any(f"the stand-in's files go to {server.root} instead" in line for line in lines)
        assert select_one(server) == 1
        server.stop()
        # A second run with the same folder finds the same place (and its data).
        again = RedshiftLocal(tmp_path / "rsl").start()
        assert again.root == server.root and (again.root / "ready").is_file()
        again.stop()
    finally:
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)


def test_missing_server_names_the_install_command(monkeypatch, root):
    monkeypatch.setattr(binaries, "find_installation", lambda: None)
    monkeypatch.setattr(binaries, "debian_release", lambda: "12")
    with pytest.raises(StandinUnavailable) as info:
        RedshiftLocal(root).start()
    assert str(info.value).endswith(
        "install it (as root): apt-get update && apt-get install -y --no-install-recommends"
        " postgresql-15 postgresql-plpython3-15 postgresql-15-postgis-3"
    )


def test_missing_extension_names_the_pinned_package(monkeypatch, tmp_path):
    share = tmp_path / "share"
    (share / "extension").mkdir(parents=True)
    (share / "extension" / "plpython3u.control").write_text("")
    fake = binaries.Installation(15, tmp_path / "bin", share)
    monkeypatch.setattr(binaries, "find_installation", lambda: fake)
    monkeypatch.setattr(binaries, "server_package_version", lambda major: "15.18-0+deb12u1")
    message = binaries.availability()
    assert message == (
        f"PostgreSQL 15 ({tmp_path / 'bin'}) lacks PostGIS; install (as root): apt-get update &&"
        " apt-get install -y --no-install-recommends postgresql-plpython3-15=15.18-0+deb12u1"
        " postgresql-15-postgis-3"
    )


@needs_standin
def test_fresh_start_drops_what_a_run_left_and_a_plain_start_keeps_it(root):
    with RedshiftLocal(root) as server, server.connect() as session:
        session.run_transaction(["CREATE SCHEMA left_by_a_run"])
    query = "SELECT count(*) FROM pg_namespace WHERE nspname = 'left_by_a_run'"
    with RedshiftLocal(root) as server, server.connect() as session:
        assert session.query(query) == [(1,)]
    with RedshiftLocal(root, fresh=True) as server, server.connect() as session:
        assert session.query(query) == [(0,)]
        # The fresh database has the extensions and the compatibility schema.
        assert session.query("SELECT JSON_SERIALIZE(JSON_PARSE('[1, 2]'))") == [("[1,2]",)]
        assert session.query("SELECT ST_ASTEXT(ST_POINT(1, 2))") == [("POINT(1 2)",)]


@needs_standin
def test_free_slots_for_concurrent_runs(root):
    first = RedshiftLocal.in_free_slot(root, slots=2)
    try:
        second = RedshiftLocal.in_free_slot(root, slots=2)
        try:
            assert (first.root.name, second.root.name) == ("slot-0", "slot-1")
            assert first.port != second.port
            with pytest.raises(StandinUnavailable, match="all 2 stand-in folders under"):
                RedshiftLocal.in_free_slot(root, slots=2)
        finally:
            second.stop()
        # A slot given back is the first free one again.
        third = RedshiftLocal.in_free_slot(root, slots=2)
        assert third.root.name == "slot-1"
        third.stop()
    finally:
        first.stop()
