"""Find the PostgreSQL server, plpython3u and PostGIS, or say exactly what to install.

Debian installs each major version under /usr/lib/postgresql/<N>/bin (not on PATH) and its
extensions under /usr/share/postgresql/<N>/extension; elsewhere `pg_config --bindir` and
`--sharedir` say where they are. The stand-in needs three things of one major version: the
server (`initdb`, `pg_ctl`, `postgres`), plpython3u and PostGIS. On Debian the last two must
match the installed server's package version, hence the pinned install command.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

DEBIAN_LIB = Path("/usr/lib/postgresql")
DEBIAN_SHARE = Path("/usr/share/postgresql")
# The PostgreSQL major version each Debian release carries (used when no server is
# installed yet, to name the packages to install).
DEBIAN_MAJOR = {"11": 13, "12": 15, "13": 17}
SERVER_TOOLS = ("initdb", "pg_ctl", "postgres")


class StandinUnavailable(RuntimeError):
    """The stand-in cannot start; the message says why and what to run."""


@dataclass(frozen=True)
class Installation:
    """One PostgreSQL major version's binaries and extension files."""

    major: int
    bindir: Path
    sharedir: Path

    def tool(self, name: str) -> str:
        return str(self.bindir / name)

    def has_extension(self, name: str) -> bool:
        return (self.sharedir / "extension" / f"{name}.control").is_file()


def _run(args: list[str]) -> str | None:
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _major_of(bindir: Path) -> int | None:
    out = _run([str(bindir / "postgres"), "--version"])  # "postgres (PostgreSQL) 15.18 (...)"
    m = re.search(r"\)\s+(\d+)", out or "")
    return int(m.group(1)) if m else None


def _candidates() -> list[Path]:
    dirs: list[Path] = []
    bindir = _run(["pg_config", "--bindir"]) if shutil.which("pg_config") else None
    if bindir:
        dirs.append(Path(bindir))
    if DEBIAN_LIB.is_dir():
        # Newest major first: it is what Debian's `postgresql` package points at.
        versions = sorted(
            (p for p in DEBIAN_LIB.iterdir() if p.name.isdigit()),
            key=lambda p: int(p.name),
            reverse=True,
        )
        dirs.extend(p / "bin" for p in versions)
    return dirs


def find_installation() -> Installation | None:
    """The first PostgreSQL whose server tools are all present, else None."""
    seen: set[Path] = set()
    for bindir in _candidates():
        if bindir in seen or not all((bindir / t).is_file() for t in SERVER_TOOLS):
            continue
        seen.add(bindir)
        major = _major_of(bindir)
        if major is None:
            continue
        sharedir = DEBIAN_SHARE / str(major)
        if not sharedir.is_dir():
            out = _run([str(bindir / "pg_config"), "--sharedir"])
            sharedir = Path(out) if out else sharedir
        return Installation(major, bindir, sharedir)
    return None


def debian_release() -> str | None:
    try:
        text = Path("/etc/os-release").read_text(encoding="utf-8")
    except OSError:
        return None
    if not re.search(r"^ID=\"?debian", text, re.M):
        return None
    m = re.search(r"^VERSION_ID=\"?(\d+)", text, re.M)
    return m.group(1) if m else None


def server_package_version(major: int) -> str | None:
    """The installed `postgresql-<N>` package version, to pin the extensions to it."""
    if not shutil.which("dpkg-query"):
        return None
    return _run(["dpkg-query", "-W", "-f=${Version}", f"postgresql-{major}"]) or None


def install_command(major: int | None = None, *, server_installed: bool = False) -> str:
    """The apt-get command that gives this machine a usable stand-in."""
    if major is None:
        major = DEBIAN_MAJOR.get(debian_release() or "", 15)
    plpython = f"postgresql-plpython3-{major}"
    if server_installed:
        version = server_package_version(major)
        if version:
            plpython += f"={version}"
    packages = [plpython, f"postgresql-{major}-postgis-3"]
    if not server_installed:
        packages.insert(0, f"postgresql-{major}")
    return "apt-get update && apt-get install -y --no-install-recommends " + " ".join(packages)


def require_installation() -> Installation:
    """The installation with plpython3u and PostGIS, or StandinUnavailable naming the fix."""
    found = find_installation()
    if found is None:
        raise StandinUnavailable(
            "the local Redshift stand-in needs a PostgreSQL server (initdb, pg_ctl, postgres),"
            f" none was found; install it (as root): {install_command()}"
        )
    missing = [
        label
        for label, extension in (("plpython3u", "plpython3u"), ("PostGIS", "postgis"))
        if not found.has_extension(extension)
    ]
    if missing:
        raise StandinUnavailable(
            f"PostgreSQL {found.major} ({found.bindir}) lacks {' and '.join(missing)}; install"
            f" (as root): {install_command(found.major, server_installed=True)}"
        )
    return found


def availability() -> str | None:
    """None when the stand-in can start, else the reason with the install command (for skips)."""
    try:
        require_installation()
    except StandinUnavailable as exc:
        return str(exc)
    return None
