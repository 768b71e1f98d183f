"""Whole-batch quadint arithmetic: every quadint of a batch in a 64-bit lane of one big integer.

Quadint i occupies bits 64i to 64i + 63 of the big integer (its "lane"); a valid quadint
uses at most bits 0-62 of it. Masks, shifts and additions then run over every lane at once
at C speed, as long as no lane's result leaves its 64 bits. Per-lane constants depend on the
lane's zoom (its low 5 bits): they come from tables indexed by zoom, spread over the lanes with
bytes.translate (8 translations, one per byte of a lane).

The results go back to Python ints with array("Q"), and to each row's JSON text with one
%-formatting of the whole batch (`format_rows`).
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Sequence
from functools import cache, lru_cache

MAX_ZOOM = 29
_BIG_ENDIAN = sys.byteorder == "big"
_ALL = (1 << 64) - 1
_LOW5 = bytes(b & 31 for b in range(256))

# Per zoom (0-31): the bits above a valid quadint's row (y < 2^z: the quadint is below
# 2^(2z + 5)); zooms 30 and 31 get every bit, which their own zoom bits already fail.
_ABOVE = tuple((_ALL & ~((1 << (2 * z + 5)) - 1)) if z <= MAX_ZOOM else _ALL for z in range(32))
# Per zoom: the column's bits (x << 5) and the row's bits (y << z + 5).
X_BITS = tuple(((1 << z) - 1) << 5 if z <= MAX_ZOOM else 0 for z in range(32))
Y_BITS = tuple(((1 << z) - 1) << (z + 5) if z <= MAX_ZOOM else 0 for z in range(32))


@lru_cache(maxsize=64)
def repeat(value: int, n: int) -> int:
    """`value` in each of n lanes (cached: a batch uses a few such constants)."""
    return int.from_bytes(value.to_bytes(8, "little") * n, "little")


@cache
def _byte_tables(table: tuple[int, ...]) -> tuple[bytes, ...]:
    """Byte b of every entry of `table`, as 8 translation tables (indexed by zoom)."""
    return tuple(
        bytes((value >> (8 * b)) & 255 for value in table) + bytes(256 - len(table))
        for b in range(8)
    )


def by_zoom(table: tuple[int, ...], zs: bytes) -> int:
    """The big integer whose lane i is table[zs[i]] (entries of 0 to 2^64 - 1)."""
    lanes = bytearray(8 * len(zs))
    for b, column in enumerate(_byte_tables(table)):
        lanes[b::8] = zs.translate(column)
    return int.from_bytes(lanes, "little")


def pack(values: Sequence[int]) -> tuple[int, bytes] | None:
    """(the values as lanes, each lane's zoom field as a byte) when every value is an int of 0
    to 2^64 - 1; None otherwise."""
    try:
        packed = array("Q", values)
    except (TypeError, OverflowError):
        return None
    if _BIG_ENDIAN:  # pragma: no cover - lanes are little-endian
        packed.byteswap()
    raw = packed.tobytes()
    return int.from_bytes(raw, "little"), raw[0::8].translate(_LOW5)


def all_valid(whole: int, zs: bytes) -> bool:
    """True if every lane holds a valid quadint (zoom 0-29, row inside the grid); the lanes
    come from `pack`, so none is negative."""
    return max(zs) <= MAX_ZOOM and not whole & by_zoom(_ABOVE, zs)


def unpack(value: int, n: int) -> array:
    """The n lanes of `value`, as an array of unsigned 64-bit ints."""
    lanes = array("Q", value.to_bytes(8 * n, "little"))
    if _BIG_ENDIAN:  # pragma: no cover
        lanes.byteswap()
    return lanes


def row_major(columns: Sequence[int], n: int) -> list[int]:
    """Lane i of every column, row i after row i - 1: [c0[0], c1[0], ..., c0[1], c1[1], ...]."""
    width = len(columns)
    flat = array("Q", bytes(8 * width * n))
    for i, column in enumerate(columns):
        flat[i::width] = unpack(column, n)
    return flat.tolist()


def format_rows(template: str, columns: Sequence[int], n: int) -> list[str]:
    """template % (lane i of every column) for every row i: one %-formatting of the whole batch
    (the template repeated n times, a newline after each), split. The template holds one %d
    per column and no newline."""
    text = ((template + "\n") * n) % tuple(row_major(columns, n))
    return text[:-1].split("\n")


def json_arrays(columns: Sequence[int], n: int) -> list[str]:
    """Row i's JSON array "[a, b, ...]" of lane i of each column, as json.dumps writes a list
    of ints (", " between items)."""
    return format_rows("[" + ", ".join(["%d"] * len(columns)) + "]", columns, n)
