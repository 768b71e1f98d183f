"""Deterministic zips and the content digest of their entries.

Rebuilding the same inputs must give the same bytes, so nothing of the build machine leaks
in: entries are sorted, timestamps fixed at 1980-01-01, modes normalised to what Lambda
needs (0o644 files, 0o755 directories and executables), the creator system fixed to Unix and
the deflate level fixed. The digest is computed from (name, mode, content) rather than from
the zip bytes, because deflate output may differ between zlib builds for the same input.
"""

from __future__ import annotations

import hashlib
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
COMPRESS_LEVEL = 6
FILE_MODE = 0o644
EXEC_MODE = 0o755
DIR_MODE = 0o755
EXCLUDED_DIRS = frozenset({"__pycache__"})
EXCLUDED_SUFFIXES = (".pyc", ".pyo")


@dataclass(frozen=True)
class Entry:
    arcname: str  # posix path inside the zip, no leading slash
    source: Path
    mode: int  # 0o644 or 0o755
    size: int
    sha256: str  # of the content


def normalised_mode(st_mode: int) -> int:
    return EXEC_MODE if st_mode & 0o111 else FILE_MODE


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def make_entry(arcname: str, source: Path) -> Entry:
    st = source.stat()  # follows symlinks: the zip stores the content, never a link
    return Entry(arcname, source, normalised_mode(st.st_mode), st.st_size, file_sha256(source))


def tree_files(root: Path) -> list[tuple[str, Path]]:
    """(relative posix name, path) of every shippable file under root, sorted."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in EXCLUDED_DIRS)
        for name in filenames:
            if name.endswith(EXCLUDED_SUFFIXES):
                continue
            path = Path(dirpath) / name
            found.append((path.relative_to(root).as_posix(), path))
    return sorted(found)


def directories(entries: list[Entry]) -> list[str]:
    """Every parent directory of the entries, as 'a/', 'a/b/' arcnames."""
    dirs: set[str] = set()
    for e in entries:
        parts = e.arcname.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            dirs.add("/".join(parts[:i]) + "/")
    return sorted(dirs)


def content_digest(entries: list[Entry], parameters: list[str]) -> str:
    """sha256 over the build parameters and every (name, mode, content) of the zip."""
    h = hashlib.sha256(b"carto-gateway artifact digest v1\n")
    for p in parameters:
        h.update(f"param\0{p}\n".encode())
    for e in sorted(entries, key=lambda e: e.arcname):
        h.update(f"file\0{e.arcname}\0{e.mode:o}\0{e.sha256}\n".encode())
    return h.hexdigest()


def write_zip(entries: list[Entry], dest: Path) -> None:
    """Write a deterministic zip of `entries` (plus their directories) to `dest` atomically."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.{id(entries)}.tmp")
    items: list[tuple[str, Entry | None]] = [(d, None) for d in directories(entries)]
    items += [(e.arcname, e) for e in entries]
    items.sort(key=lambda item: item[0])
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as zf:
            for arcname, entry in items:
                info = zipfile.ZipInfo(arcname, date_time=FIXED_TIME)
                info.create_system = 3  # Unix, so external_attr carries the mode
                if entry is None:
                    info.external_attr = ((stat.S_IFDIR | DIR_MODE) << 16) | 0x10
                    zf.writestr(info, b"", compress_type=zipfile.ZIP_STORED)
                    continue
                info.external_attr = (stat.S_IFREG | entry.mode) << 16
                data = entry.source.read_bytes()
                zf.writestr(
                    info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL
                )
        os.replace(tmp, dest)
    finally:
        if tmp.exists():
            tmp.unlink()
