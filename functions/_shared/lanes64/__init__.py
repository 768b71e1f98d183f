"""Whole-batch arithmetic on 64-bit lanes: one toolkit for the quadbin and quadint fast paths.

A batch of n unsigned 64-bit values (cells, quadints, coordinates) is held as ONE Python int:
value i occupies bits 64i to 64i + 63, its "lane". An addition, a mask or a shift of that int
then runs over every lane at once, at C speed, provided no lane's result leaves its 64 bits
(a carry out of lane i would land in lane i + 1). Per-lane constants (a mask that depends on
each value's resolution, say) are built from per-key tables with bytes.translate, one byte
of the lanes at a time.

Worked example, three values 5, 0x0102 and 2^64 - 1 (n = 3)::

    >>> whole = pack([5, 0x0102, 2**64 - 1])
    >>> whole == 5 | 0x0102 << 64 | (2**64 - 1) << 128
    True
    >>> raw = whole.to_bytes(8 * 3, "little")   # lane i is raw[8i:8i + 8], low byte first
    >>> raw[0::8]                                # byte 0 of every lane: a "column"
    b'\\x05\\x02\\xff'
    >>> unpack(whole + repeat(1, 3) & repeat(2**64 - 1, 3), 3).tolist()  # +1 in every lane
    [6, 259, 0]

The last lane overflowed: its carry went into bit 192, outside the three lanes, and the mask
removed it. Inside a batch such a carry would have corrupted the next lane, which is why the
fast paths keep every intermediate lane below 2^64 (or, when they step past a grid's edge on
purpose, let the carry land in a spare top bit and test it).

Per-lane constants from a table, by a byte key per lane (a resolution, a zoom)::

    >>> by_table((10, 20, 2**40), b"\\x02\\x00\\x01") == 2**40 | 10 << 64 | 20 << 128
    True

Per-lane shifts, each lane by its own amount (0-63) held in the lanes of `amounts`::

    >>> v = pack([1, 1, 0xF0])
    >>> unpack(shift_left(v, pack([0, 3, 4]), 3), 3).tolist()
    [1, 8, 3840]
    >>> unpack(shift_right(pack([8, 3840, 7]), pack([3, 4, 1]), 3), 3).tolist()
    [1, 240, 3]

Every primitive here has a plain scalar definition it is property-tested against
(tests/test_lanes64_primitives.py). The results go back to Python ints with array("Q")
(`unpack`) and to text with one %-formatting of the whole batch (`format_rows`).
"""

from __future__ import annotations

import sys
from array import array
from functools import lru_cache

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds of every cold start
    from collections.abc import Callable, Sequence
    from typing import Any

MASK64 = (1 << 64) - 1
_BIG_ENDIAN = sys.byteorder == "big"

try:
    import orjson as _orjson
except ImportError:  # pragma: no cover - the standard library gives the same texts
    _orjson = None


@lru_cache(maxsize=64)
def repeat(value: int, n: int) -> int:
    """`value` (0 to 2^64 - 1) in each of n lanes (cached: a batch uses a few such constants)."""
    return int.from_bytes(value.to_bytes(8, "little") * n, "little")


def pack_raw(values: Sequence[int]) -> bytes | None:
    """The lanes' little-endian bytes (8 a value) when every value is an int of 0 to 2^64 - 1,
    else None (a negative, a float, a str, a None, 64 bits or more)."""
    try:
        packed = array("Q", values)
    except (TypeError, OverflowError):
        return None
    if _BIG_ENDIAN:  # pragma: no cover - lanes are little-endian
        packed.byteswap()
    return packed.tobytes()


def pack(values: Sequence[int]) -> int:
    """The values (each 0 to 2^64 - 1) as the lanes of one int; TypeError or OverflowError
    otherwise."""
    packed = array("Q", values)
    if _BIG_ENDIAN:  # pragma: no cover
        packed.byteswap()
    return int.from_bytes(packed.tobytes(), "little")


def unpack(value: int, n: int) -> array:
    """The n lanes of `value` (0 <= value < 2^(64n)), as an array of unsigned 64-bit ints."""
    lanes = array("Q", value.to_bytes(8 * n, "little"))
    if _BIG_ENDIAN:  # pragma: no cover
        lanes.byteswap()
    return lanes


def unpack_list(value: int, n: int) -> list[int]:
    return unpack(value, n).tolist()


@lru_cache(maxsize=64)
def _table_columns(table: tuple[int, ...]) -> tuple[tuple[int, bytes], ...]:
    """(b, translation table giving byte b of table[key]) for every byte b that some entry
    has non-zero (the others need no translation: the lanes start as zeros)."""
    return tuple(
        (b, bytes(value >> 8 * b & 255 for value in table) + bytes(256 - len(table)))
        for b in range(8)
        if any(value >> 8 * b & 255 for value in table)
    )


def by_table(table: tuple[int, ...], keys: bytes) -> int:
    """The int whose lane i is table[keys[i]] (entries 0 to 2^64 - 1; keys past the table's
    end give 0)."""
    lanes = bytearray(8 * len(keys))
    for b, column in _table_columns(table):
        lanes[b::8] = keys.translate(column)
    return int.from_bytes(lanes, "little")


def shift_left(v: int, amounts: int, n: int) -> int:
    """Every lane of `v` shifted left by its own amount (the lane of `amounts`, 0-63), one
    bit of the amount at a time. The caller keeps each result below 2^64: bits shifted past
    a lane's top would enter the next lane."""
    for b in range(6):
        flags = amounts >> b & repeat(1, n)
        if not flags:
            continue
        moving = v & (flags << 64) - flags  # whole lanes whose amount has bit b
        v = v ^ moving | moving << (1 << b)
    return v


def shift_right(v: int, amounts: int, n: int) -> int:
    """Every lane of `v` shifted right by its own amount (the lane of `amounts`, 0-63); the
    bits each step would pull into a lane's top from the next lane are masked off."""
    for b in range(6):
        flags = amounts >> b & repeat(1, n)
        if not flags:
            continue
        step = 1 << b
        moving = v & (flags << 64) - flags
        v = v ^ moving | (moving >> step) & repeat(MASK64 >> step, n)
    return v


# Each nibble of a byte with its bits moved to the even positions of a byte.
_SPREAD_LOW = bytes(sum((b >> i & 1) << 2 * i for i in range(4)) for b in range(256))
_SPREAD_HIGH = bytes(_SPREAD_LOW[b >> 4] for b in range(256))


def spread(v: int, n: int) -> int:
    """Bits 0-31 of every lane moved to its even bits 0-62 (bit k to bit 2k); the lanes' upper
    32 bits are ignored. Interleaving x and y is spread(x) | spread(y) << 1."""
    raw = v.to_bytes(8 * n, "little")
    out = bytearray(8 * n)
    for k in range(4):
        column = raw[k::8]
        out[2 * k :: 8] = column.translate(_SPREAD_LOW)
        out[2 * k + 1 :: 8] = column.translate(_SPREAD_HIGH)
    return int.from_bytes(out, "little")


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


def float_texts(values: list[float]) -> list[str]:
    """repr() of every float of `values`, through one orjson encoding when it is importable.

    orjson writes the same shortest round-trip digits as repr(), but positional notation where
    repr() writes an exponent (below 1e-4), other exponents without repr()'s sign and two
    digits, and NaN and infinities as null. Those tokens are redone with repr().
    """
    if _orjson is None or not values:
        return list(map(repr, values))
    text = _orjson.dumps(values).decode("ascii")
    texts = text[1:-1].split(",")
    if "e" in text or "n" in text or "0.0000" in text:
        for i, token in enumerate(texts):
            if "e" in token or "n" in token or token.startswith(("0.0000", "-0.0000")):
                texts[i] = repr(values[i])
    return texts


# Whole-batch paths make several passes over buffers of tens of bytes a row: taken 4,096 rows
# at a time, those stay in the processor's cache (about 10% faster at 10,000 rows).
CHUNK_ROWS = 4096


def in_chunks(
    bulk: Callable[[Sequence[Any]], list[Any] | None], items: Sequence[Any]
) -> list[Any] | None:
    """bulk() over CHUNK_ROWS items at a time, joined; None as soon as a chunk gives None."""
    if len(items) <= CHUNK_ROWS:
        return bulk(items)
    out: list[Any] = []
    for start in range(0, len(items), CHUNK_ROWS):
        part = bulk(items[start : start + CHUNK_ROWS])
        if part is None:
            return None
        out += part
    return out


__all__ = [
    "CHUNK_ROWS",
    "MASK64",
    "by_table",
    "float_texts",
    "format_rows",
    "in_chunks",
    "json_arrays",
    "pack",
    "pack_raw",
    "repeat",
    "row_major",
    "shift_left",
    "shift_right",
    "spread",
    "unpack",
    "unpack_list",
]
