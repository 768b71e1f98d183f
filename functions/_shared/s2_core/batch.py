"""Whole-batch paths for the id conversions (used with carto_runtime.batch_handler).

Each path checks the whole batch with a few C-speed passes (types and lengths mapped, the
joined text translated once, 64-bit arrays, comprehensions) and converts every row at once;
when any check fails it hands the batch to `per_row`, which calls the scalar definition row
by row, so a refused row raises exactly as the per-row handler would, the row named. Results
are the scalar definitions' in every case (the function tests compare both on mixed batches).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from itertools import repeat
from operator import itemgetter

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
_FIRST_DIGITS = b"0123456789abAB"
_LAST_DIGITS = b"13579bdfBDF4cC"
_FIRST = itemgetter(0)
_LAST = itemgetter(-1)
_DIGITS = b"0123456789"


def _tokens_name_cells(firsts: str, stripped: list[str]) -> bool:
    """Whether hex tokens with their trailing zeros stripped all name cells, read from their
    first and last digits: the first holds the face (0-5: digits 0-b), the last non-zero one
    the end bit, which must sit on an even bit of it (1 3 5 7 9 b d f on bit 0, 4 c on bit 2).
    A one-digit token's end bit must be bit 60 (odd digits): "4" is the one left to refuse
    ("c" has face 6). An empty one is an id of 0."""
    try:
        lasts = "".join(map(_LAST, stripped))
    except IndexError:
        return False
    return (
        firsts.isascii()
        and lasts.isascii()
        and not firsts.encode("ascii").translate(None, _FIRST_DIGITS)
        and not lasts.encode("ascii").translate(None, _LAST_DIGITS)
        and "4" not in stripped
    )


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
    once, split in 16 digits each, trailing zeros dropped by C-level calls; validity read
    from the digits (see _tokens_name_cells)."""
    if not cells or not _ints(cells):
        return None
    try:
        ids = array("q", cells)
    except OverflowError:  # beyond INT8
        return None
    ids.byteswap()
    text = ids.tobytes().hex(",", 8)
    tokens = list(map(str.rstrip, text.split(","), repeat("0")))
    return tokens if _tokens_name_cells(text[::17], tokens) else None


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
    """The ids of 1-16 digit tokens that all name cells, or None: validity read from the
    digits (see _tokens_name_cells), then the tokens padded to 16 digits and read at once as
    big-endian 64-bit integers."""
    if not _only(tokens, _HEX, 16):
        return None
    firsts = "".join(map(_FIRST, tokens))
    if not _tokens_name_cells(firsts, list(map(str.rstrip, tokens, repeat("0")))):
        return None
    n = len(tokens)
    ids = array("q", bytes.fromhex("".join(map(str.ljust, tokens, [16] * n, ["0"] * n))))
    ids.byteswap()
    return ids.tolist()


def from_uint64_texts(texts: list[Any]) -> list[int] | None:
    """The signed ids of unsigned decimal texts (0 to 2**64 - 1), or None."""
    if not _only(texts, _DIGITS, 64):  # leading zeros allowed; the array bounds the value
        return None
    try:
        unsigned = array("Q", map(int, texts))  # OverflowError above 2**64 - 1
    except OverflowError:
        return None
    return array("q", unsigned.tobytes()).tolist()


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
