"""Whole-batch paths for the id conversions (used with carto_runtime.batch_handler).

Each path checks the whole batch with a few C-speed passes (a joined text matched once,
arrays of 64-bit integers, comprehensions) and converts every row at once; when any check
fails it hands the batch to `per_row`, which calls the scalar definition row by row, so a
refused row raises exactly as the per-row handler would, the row named. Results are the
scalar definitions' in every case (the function tests compare both on mixed batches).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from itertools import repeat

from carto_runtime import RowError
from s2_core.cells import MAX_LEVEL

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds of every cold start
    from typing import Any

# Ids of faces 6 and 7 are, as signed INT8, exactly the negative ids from -2**62 on.
_FACE_6 = -(1 << 62)
# The level of a cell from its lowest set bit; an lsb that is not a key is no cell.
_LEVEL_OF_LSB = {1 << (2 * k): MAX_LEVEL - k for k in range(MAX_LEVEL + 1)}
_HEX = b"0123456789abcdefABCDEF"
_DIGITS = b"0123456789"


def per_row(definition: Callable[..., Any], rows: Sequence[Sequence[Any]]) -> list[Any]:
    """definition(*row) for every row; the first failure raised as a RowError naming it."""
    out: list[Any] = []
    append = out.append
    try:
        for row in rows:
            append(definition(*row))
    except Exception as exc:
        raise RowError(len(out), exc) from exc
    return out


def _ints(values: list[Any]) -> bool:
    return list(map(type, values)) == [int] * len(values)


def levels_of(cells: list[Any]) -> list[int] | None:
    """Every cell's level, or None if any value is not a valid cell id (or not an int)."""
    if not cells or not _ints(cells) or min(cells) < -(1 << 63) or max(cells) >= 1 << 63:
        return None
    lsb_level = _LEVEL_OF_LSB
    try:
        levels = [lsb_level[c & -c] for c in cells]
    except KeyError:  # an lsb at an odd position, or 0
        return None
    if any(_FACE_6 <= c < 0 for c in cells):  # faces 6 and 7
        return None
    return levels


def to_tokens(cells: list[Any]) -> list[str] | None:
    """The tokens of valid cells, or None: the ids as big-endian bytes written in hex at
    once, split in 16 digits each, trailing zeros dropped by C-level calls (a cell's id is
    never zero, so no token empties)."""
    if levels_of(cells) is None:
        return None
    ids = array("q", cells)
    ids.byteswap()
    return list(map(str.rstrip, ids.tobytes().hex(",", 8).split(","), repeat("0")))


def _only(texts: list[Any], chars: bytes, longest: int) -> bool:
    """Every value is a str of 1 to `longest` characters, all ASCII bytes of `chars`."""
    n = len(texts)
    if not n or list(map(type, texts)) != [str] * n:
        return False
    lengths = list(map(len, texts))
    if min(lengths) < 1 or max(lengths) > longest:
        return False
    joined = "".join(texts)
    return joined.isascii() and not joined.encode("ascii").translate(None, chars)


def from_tokens(tokens: list[Any]) -> list[int] | None:
    """The ids of 1-16 digit tokens that all name cells, or None: the tokens are padded to 16
    digits and read at once as big-endian 64-bit integers."""
    if not _only(tokens, _HEX, 16):
        return None
    n = len(tokens)
    padded = "".join(map(str.ljust, tokens, [16] * n, ["0"] * n))
    ids = array("q", bytes.fromhex(padded))
    ids.byteswap()
    cells = ids.tolist()
    return cells if levels_of(cells) is not None else None


def from_uint64_texts(texts: list[Any]) -> list[int] | None:
    """The signed ids of unsigned decimal texts (0 to 2**64 - 1), or None."""
    if not _only(texts, _DIGITS, 64):  # leading zeros allowed; the array bounds the value
        return None
    try:
        unsigned = array("Q", map(int, texts))  # OverflowError above 2**64 - 1
    except OverflowError:
        return None
    return array("q", unsigned.tobytes()).tolist()


def to_uint64_texts(cells: list[Any]) -> list[str] | None:
    """The unsigned decimal texts of INT8 values, or None."""
    if not cells or not _ints(cells) or min(cells) < -(1 << 63) or max(cells) >= 1 << 63:
        return None
    return list(map(str, array("Q", array("q", cells).tobytes())))


# Per resolution r: the mask keeping a cell's bits above level r's, and level r's end bit.
_KEEP = [-(1 << ((MAX_LEVEL - r) << 1)) for r in range(MAX_LEVEL + 1)]
_END = [1 << ((MAX_LEVEL - r) << 1) for r in range(MAX_LEVEL + 1)]


def parents_of(rows: list[Any]) -> list[int] | None:
    """toparent of every (cell, resolution) row, or None if any row is not plainly valid
    (another width included)."""
    try:
        cells = [c for c, _ in rows]
    except (TypeError, ValueError):
        return None
    resolutions = [r for _, r in rows]
    levels = levels_of(cells)
    if levels is None or not _ints(resolutions) or min(resolutions) < 0:
        return None
    if any(map(int.__gt__, resolutions, levels)):
        return None
    keep, end = _KEEP, _END
    return [c & keep[r] | end[r] for c, r in rows]
