"""The stand-in's PostgreSQL server: initdb, start on a free loopback port, stop.

Everything lives in one folder the caller gives (the project passes `.carto/redshift-local`):

    <root>/data         the cluster (initdb), owned by the server's user
    <root>/run          the unix socket (a short /tmp folder instead when the path is too long)
    <root>/server.log   the server's log, quoted in start-up errors
    <root>/.lock        held while this process owns the server

The lock is what makes a killed run harmless: it is released by the kernel when its holder
dies, so a process that gets it and finds a live postmaster in `data` knows that server was
left behind and stops it (and a data folder whose set-up never finished is made anew). As
root, initdb refuses to run, so the server runs as the unprivileged `postgres` user and its
folders are handed to it.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import pwd
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from engine.redshift.standin import compat
from engine.redshift.standin.binaries import Installation, StandinUnavailable, require_installation
from engine.redshift.standin.session import StandinSession

DATABASE = "dev"  # Redshift's default database name
TEMPLATE = "dev_template"  # dev with the extensions, copied when dev is made (anew)
SUPERUSER = "postgres"
READY_MARKER = "ready"  # written into <root> once initdb and the database set-up succeeded
SOCKET_PATH_MAX = 100  # sun_path is 108 bytes; the file is <dir>/.s.PGSQL.<port>.lock
START_TIMEOUT = 60  # seconds pg_ctl waits for the server to accept connections
PORT_ATTEMPTS = 3  # a free port can be taken between choosing and binding it


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _postmaster_pid(data: Path) -> int | None:
    try:
        first = (data / "postmaster.pid").read_text(encoding="utf-8").splitlines()[0]
        return int(first.strip())
    except (OSError, ValueError, IndexError):
        return None


class StandinBusy(StandinUnavailable):
    """Another live process owns the stand-in's folder."""


class RedshiftLocal:
    """One stand-in server. `start()` / `stop()` or a `with` block; `connect()` sessions.

    `fresh=True` drops the database `dev` (every schema in it) at start, so what a killed run
    created is gone; the server's folder is kept, so a restart needs no initdb.

    `setup` runs once per start on a psycopg connection to the database, after the
    extensions exist; by default it installs the compatibility schema (compat.install).
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        port: int | None = None,
        setup: Callable[[Any], None] | None = None,
        log: Callable[[str], None] | None = None,
        fallback: bool = True,
        fresh: bool = False,
    ) -> None:
        self.requested_root = Path(root).absolute()
        self._use_root(self.requested_root)
        self.fallback = fallback
        self.fresh = fresh
        self.requested_port = port
        self.port: int | None = None
        self.socket_dir: Path | None = None
        self.setup = setup if setup is not None else compat.install
        self.log = log or (lambda line: None)
        self.installation: Installation | None = None
        self._lock: FileLock | None = None
        self._temp_socket_dir = False
        self._user: pwd.struct_passwd | None = None

    # -- running commands as the server's user --------------------------------------------

    def _server_user(self) -> pwd.struct_passwd | None:
        """None: run as ourselves. As root: the unprivileged `postgres` user."""
        if os.geteuid() != 0:
            return None
        try:
            return pwd.getpwnam(SUPERUSER)
        except KeyError:
            raise StandinUnavailable(
                "running as root, the stand-in's server must run as an unprivileged user, and"
                " there is no `postgres` user; install Debian's postgresql-common (it creates"
                " it) or run `useradd --system postgres`"
            ) from None

    def _env(self) -> dict[str, str]:
        # A clean environment: no proxy variables reach the server (its plpython3u functions
        # call the loopback Lambda endpoint) and messages are in one language.
        return {
            "PATH": f"{self.installation.bindir}:/usr/bin:/bin" if self.installation else "",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TZ": "UTC",
            "HOME": self._user.pw_dir if self._user else os.environ.get("HOME", "/tmp"),
        }

    def _run(self, args: list[str], *, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        kwargs: dict[str, Any] = {}
        if self._user is not None:
            kwargs.update(user=self._user.pw_uid, group=self._user.pw_gid, extra_groups=[])
        return subprocess.run(
            args,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env=self._env(),
            cwd="/",
            stdin=subprocess.DEVNULL,
            **kwargs,
        )

    def _give(self, path: Path) -> None:
        if self._user is not None:
            os.chown(path, self._user.pw_uid, self._user.pw_gid)

    def _use_root(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.logfile = root / "server.log"

    def _blocking_parent(self, path: Path) -> Path | None:
        """As root: the first folder above `path` the postgres user cannot pass, if any."""
        if self._user is None:
            return None
        for parent in [path, *path.parents]:
            if not parent.exists():
                continue
            st = parent.stat()
            if st.st_uid == self._user.pw_uid or st.st_mode & stat.S_IXOTH:
                continue
            if st.st_gid == self._user.pw_gid and st.st_mode & stat.S_IXGRP:
                continue
            return parent
        return None

    def _choose_root(self) -> None:
        """The requested folder, or (as root, when the postgres user cannot reach it, e.g. a
        project under /root) a fixed folder in /tmp named after it, so that a rerun finds
        and reclaims what an earlier run left there."""
        blocked = self._blocking_parent(self.requested_root)
        if blocked is None:
            return
        mode = stat.filemode(blocked.stat().st_mode)
        problem = (
            f"the stand-in's folder {self.requested_root} is not reachable by the `postgres`"
            f" user the server runs as: {blocked} is mode {mode}"
        )
        if not self.fallback:
            raise StandinUnavailable(
                f"{problem}; choose a folder others may traverse, or run `chmod o+x {blocked}`"
            )
        digest = hashlib.sha1(str(self.requested_root).encode()).hexdigest()[:12]
        other = Path(tempfile.gettempdir()) / f"carto-redshift-local-{digest}"
        if other.is_symlink() or (other.exists() and other.stat().st_uid != os.geteuid()):
            raise StandinUnavailable(f"{problem}, and {other} is not this user's own folder")
        if self._blocking_parent(other) is not None:
            raise StandinUnavailable(f"{problem}; choose a folder others may traverse")
        self.log(f"{problem}; the stand-in's files go to {other} instead")
        self._use_root(other)

    # -- lifecycle ------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        pid = _postmaster_pid(self.data)
        return self.port is not None and pid is not None and _pid_alive(pid)

    def start(self) -> RedshiftLocal:
        if self.port is not None:
            return self
        self.installation = require_installation()
        self._user = self._server_user()
        self._use_root(self.requested_root)
        self._choose_root()
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o755)
        self._lock = FileLock(str(self.root / ".lock"))
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            self._lock = None
            raise StandinBusy(
                f"another process is running the stand-in in {self.root}; give this run its"
                " own folder, or wait for that run to end"
            ) from None
        try:
            self._reclaim()
            self._prepare_socket_dir()
            self._initdb()
            self._start_server()
            self._set_up_database()
        except BaseException:
            self.stop()
            raise
        atexit.register(self.stop)
        return self

    @classmethod
    def in_free_slot(
        cls, base: str | os.PathLike[str], *, slots: int = 8, **kwargs: Any
    ) -> RedshiftLocal:
        """A started server in the first folder `<base>/slot-<n>` no live process owns.

        Concurrent runs (pytest-xdist workers, two sessions) get different slots; a killed
        run's slot is the first free one for the next run, which reclaims what was left there.
        """
        for n in range(slots):
            server = cls(Path(base) / f"slot-{n}", **kwargs)
            try:
                return server.start()
            except StandinBusy:
                continue
        raise StandinBusy(f"all {slots} stand-in folders under {base} are in use")

    def _reclaim(self) -> None:
        """Stop a server left by a killed run; drop a data folder whose set-up never ended."""
        pid = _postmaster_pid(self.data)
        if pid is not None and _pid_alive(pid):
            self.log(f"stopping a stand-in server left running by an earlier run (pid {pid})")
            assert self.installation is not None
            done = self._run(
                [
                    self.installation.tool("pg_ctl"),
                    "-D",
                    str(self.data),
                    "-m",
                    "immediate",
                    "-w",
                    "-t",
                    "30",
                    "stop",
                ]
            )
            if done.returncode != 0 and _pid_alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                for _ in range(100):
                    if not _pid_alive(pid):
                        break
                    time.sleep(0.05)
        marker = self.root / READY_MARKER
        major = str(self.installation.major) if self.installation else ""
        ready = marker.is_file() and marker.read_text(encoding="utf-8").strip() == major
        if self.data.exists() and not ready:
            self.log(f"removing an unfinished or foreign stand-in data folder {self.data}")
            shutil.rmtree(self.data)
        if not self.data.exists():
            marker.unlink(missing_ok=True)
        (self.data / "postmaster.pid").unlink(missing_ok=True)

    def _prepare_socket_dir(self) -> None:
        wanted = self.root / "run"
        if len(str(wanted)) + len("/.s.PGSQL.65535.lock") <= SOCKET_PATH_MAX:
            shutil.rmtree(wanted, ignore_errors=True)  # stale sockets and lock files
            wanted.mkdir(mode=0o755)
            self._temp_socket_dir = False
        else:
            # sun_path is short: a deep project folder gets its socket in /tmp instead.
            wanted = Path(tempfile.mkdtemp(prefix="carto-rsl-"))
            os.chmod(wanted, 0o755)
            self._temp_socket_dir = True
        self._give(wanted)
        self.socket_dir = wanted

    def _initdb(self) -> None:
        if (self.root / READY_MARKER).is_file():
            return
        assert self.installation is not None
        self.data.mkdir(mode=0o700)
        self._give(self.data)
        done = self._run(
            [
                self.installation.tool("initdb"),
                "-D",
                str(self.data),
                "-A",
                "trust",
                "-U",
                SUPERUSER,
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
                "--no-instructions",
            ]
        )
        if done.returncode != 0:
            raise StandinUnavailable(
                f"initdb failed for the stand-in in {self.data}:\n{done.stderr.strip()[-2000:]}"
            )

    def _start_server(self) -> None:
        assert self.installation is not None and self.socket_dir is not None
        if self.requested_port is not None and not port_is_free(self.requested_port):
            raise StandinUnavailable(
                f"port {self.requested_port} on 127.0.0.1 is taken; choose another port for"
                " the stand-in, or leave it out to use a free one"
            )
        self.logfile.touch()
        self._give(self.logfile)
        for attempt in range(PORT_ATTEMPTS):
            port = self.requested_port or free_port()
            options = " ".join(
                [
                    f"-p {port}",
                    f"-k {shlex.quote(str(self.socket_dir))}",
                    "-c listen_addresses=127.0.0.1",
                    # A throw-away test database: durability is not wanted, speed is.
                    "-c fsync=off",
                    "-c synchronous_commit=off",
                    "-c full_page_writes=off",
                    "-c timezone=UTC",
                    "-c max_connections=40",
                ]
            )
            done = self._run(
                [
                    self.installation.tool("pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.logfile),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    str(START_TIMEOUT),
                    "start",
                ],
                timeout=START_TIMEOUT + 30,
            )
            if done.returncode == 0:
                self.port = port
                self.log(f"stand-in server on 127.0.0.1:{port}, socket in {self.socket_dir}")
                return
            log_tail = self._log_tail()
            taken = "could not bind" in log_tail or "already in use" in log_tail
            if taken and self.requested_port is None and attempt + 1 < PORT_ATTEMPTS:
                continue
            if taken:
                raise StandinUnavailable(
                    f"port {port} on 127.0.0.1 is taken; choose another port for the stand-in"
                )
            raise StandinUnavailable(
                f"the stand-in server did not start ({self.data}):\n"
                f"{done.stderr.strip()}\n{log_tail}"
            )

    def _log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def _set_up_database(self) -> None:
        """`dev` from a template holding the extensions (PostGIS takes seconds to create,
        a copy of the template a fraction of that), dropped first when `fresh`."""
        import psycopg

        def exists(conn: Any, name: str) -> bool:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return found.fetchone() is not None

        def prepare(database: str) -> None:
            with psycopg.connect(**self.conninfo(database), autocommit=True) as conn:
                for extension in ("plpython3u", "postgis"):
                    conn.execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")
                if self.setup is not None:
                    self.setup(conn)

        with psycopg.connect(**self.conninfo("postgres"), autocommit=True) as conn:
            if not exists(conn, TEMPLATE):
                conn.execute(f'CREATE DATABASE "{TEMPLATE}"')
                prepare(TEMPLATE)
            if self.fresh and exists(conn, DATABASE):
                conn.execute(f'DROP DATABASE "{DATABASE}" WITH (FORCE)')
            if not exists(conn, DATABASE):
                conn.execute(f'CREATE DATABASE "{DATABASE}" TEMPLATE "{TEMPLATE}"')
        # Again on `dev` itself: the compatibility schema follows the code of this run, and
        # database settings (the search path) are not copied from a template.
        prepare(DATABASE)
        assert self.installation is not None
        (self.root / READY_MARKER).write_text(f"{self.installation.major}\n", encoding="utf-8")

    def conninfo(self, database: str = DATABASE) -> dict[str, Any]:
        """psycopg.connect(**conninfo) arguments (unix socket, no password)."""
        if self.port is None or self.socket_dir is None:
            raise RuntimeError("the stand-in is not running; call start() first")
        return {
            "host": str(self.socket_dir),
            "port": self.port,
            "user": SUPERUSER,
            "dbname": database,
            "application_name": "carto-gateway",
            "connect_timeout": 10,
        }

    def connect(
        self,
        endpoint_url: str | None = None,
        *,
        function_map: Mapping[str, str] | None = None,
    ) -> StandinSession:
        """A session whose external functions call the Lambda API at `endpoint_url`
        (`function_map` renames the ARNs' function names, e.g. to another prefix)."""
        import psycopg

        try:
            connection = psycopg.connect(**self.conninfo(), autocommit=True)
        except psycopg.OperationalError as exc:
            raise StandinUnavailable(f"cannot connect to {self.describe()}: {exc}") from None
        return StandinSession(
            connection,
            endpoint_url=endpoint_url,
            function_map=function_map,
            description=self.describe(),
        )

    def describe(self) -> str:
        return (
            f"redshift-local (PostgreSQL {self.installation.major if self.installation else '?'}"
            f" on 127.0.0.1:{self.port}, {self.root})"
        )

    def stop(self) -> None:
        """Stop the server (fast, then immediate); idempotent; releases the folder."""
        with contextlib.suppress(Exception):
            atexit.unregister(self.stop)
        if self.installation is not None and _postmaster_pid(self.data) is not None:
            for mode in ("fast", "immediate"):
                done = self._run(
                    [
                        self.installation.tool("pg_ctl"),
                        "-D",
                        str(self.data),
                        "-m",
                        mode,
                        "-w",
                        "-t",
                        "30",
                        "stop",
                    ]
                )
                if done.returncode == 0 or _postmaster_pid(self.data) is None:
                    break
        if self._temp_socket_dir and self.socket_dir is not None:
            shutil.rmtree(self.socket_dir, ignore_errors=True)
        self.port = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> RedshiftLocal:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
