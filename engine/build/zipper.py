"""Deterministic zips and the content digest of their entries.

Rebuilding the same inputs must give the same bytes, so nothing of the build machine leaks
in: entries are sorted, timestamps fixed at 1980-01-01, modes normalised to what Lambda
needs (0o644 files, 0o755 directories and executables), the creator system fixed to Unix and
the deflate level fixed. The digest is computed from (name, mode, content) rather than from
the zip bytes, because deflate output may differ between zlib builds for the same input.

The zip format is written out here (local headers, central directory, end record: no zip64,
no extra fields), so that a member's compressed stream can come from a cache keyed by its
content: rebuilding an artifact compresses only the files that changed.
"""

from __future__ import annotations

import hashlib
import os
import stat
import struct
import threading
import zlib
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
    if root.is_symlink():
        raise ValueError(f"{root}: symbolic link; only real files are shipped")
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in EXCLUDED_DIRS)
        for name in (*dirnames, *filenames):  # a link would ship (or drop) what it points at
            if os.path.islink(os.path.join(dirpath, name)):
                raise ValueError(
                    f"{Path(dirpath) / name}: symbolic link; only real files are shipped"
                )
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


def deflated(entry: Entry, cache_dir: Path | None) -> tuple[int, bytes]:
    """(CRC-32, raw deflate stream) of an entry's content at COMPRESS_LEVEL.

    With a cache folder the stream is kept under the content's hash (and zlib's version,
    whose output it is), so a rebuild compresses only what changed."""
    cached = None
    if cache_dir is not None:
        key = f"{entry.sha256}-{COMPRESS_LEVEL}-{zlib.ZLIB_RUNTIME_VERSION}"
        cached = cache_dir / f"{hashlib.sha256(key.encode()).hexdigest()}.z"
        try:
            blob = cached.read_bytes()
        except FileNotFoundError:
            pass
        else:
            return int.from_bytes(blob[:4], "little"), blob[4:]
    data = entry.source.read_bytes()
    packer = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    stream = packer.compress(data) + packer.flush()
    crc = zlib.crc32(data)
    if cached is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(crc.to_bytes(4, "little") + stream)
        os.replace(tmp, cached)
    return crc, stream


# Without zip64 a zip holds at most 65,535 members and its offsets stay under 4 GiB (the
# content bound leaves room for headers and incompressible data).
MAX_MEMBERS = 0xFFFF
MAX_TOTAL_BYTES = 3 << 30


class ZipLimitError(ValueError):
    """The entries do not fit a zip without zip64; nothing was written."""


# The zip format, written out: local headers, then the central directory and its end record.
_DOS_DATE = (FIXED_TIME[0] - 1980) << 9 | FIXED_TIME[1] << 5 | FIXED_TIME[2]
_DOS_TIME = FIXED_TIME[3] << 11 | FIXED_TIME[4] << 5 | FIXED_TIME[5] // 2
_VERSION = 20  # 2.0: deflate and directories
_MADE_BY = 3 << 8 | _VERSION  # Unix, so the external attributes carry the mode


def _member(name: bytes, method: int, crc: int, packed: int, size: int) -> bytes:
    """The fields a local header and a central directory record share, from the version
    needed to the name's length (no extra field)."""
    return struct.pack(
        "<HHHHHIIIHH", _VERSION, 0, method, _DOS_TIME, _DOS_DATE, crc, packed, size, len(name), 0
    )


def write_zip(entries: list[Entry], dest: Path, cache_dir: Path | None = None) -> None:
    """Write a deterministic zip of `entries` (plus their directories) to `dest` atomically,
    reusing compressed contents from `cache_dir` (see deflated)."""
    items: list[tuple[str, Entry | None]] = [(d, None) for d in directories(entries)]
    items += [(e.arcname, e) for e in entries]
    total = sum(e.size for e in entries)
    if len(items) > MAX_MEMBERS or total > MAX_TOTAL_BYTES:
        raise ZipLimitError(
            f"{dest.name} would hold {len(items):,} files and directories and {total:,} bytes; "
            f"a zip without zip64 holds at most {MAX_MEMBERS:,} and {MAX_TOTAL_BYTES:,}. "
            "Ship fewer files: drop or slim the largest requirements."
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    items.sort(key=lambda item: item[0])
    central = []
    try:
        with open(tmp, "wb") as out:
            for arcname, entry in items:
                name = arcname.encode("utf-8")
                if entry is None:
                    method, crc, stream, size = 0, 0, b"", 0
                    attributes = ((stat.S_IFDIR | DIR_MODE) << 16) | 0x10  # MS-DOS directory
                else:
                    method, size = 8, entry.size
                    crc, stream = deflated(entry, cache_dir)
                    attributes = (stat.S_IFREG | entry.mode) << 16
                fields = _member(name, method, crc, len(stream), size)
                central.append(
                    struct.pack("<IH", 0x02014B50, _MADE_BY)
                    + fields
                    + struct.pack("<HHHII", 0, 0, 0, attributes, out.tell())
                    + name
                )
                out.write(struct.pack("<I", 0x04034B50) + fields + name + stream)
            start = out.tell()
            out.write(b"".join(central))
            out.write(
                struct.pack(
                    "<IHHHHIIH",
                    0x06054B50,
                    0,
                    0,
                    len(central),
                    len(central),
                    out.tell() - start,
                    start,
                    0,
                )
            )
        os.replace(tmp, dest)
    finally:
        if tmp.exists():
            tmp.unlink()
