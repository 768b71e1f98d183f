"""Whole-batch versions of the quadkey module's scalar functions (for batch_handler).

They compute on quadint_core.lanes's 64-bit lanes: quadint i in bits 64i to 64i + 63 of one
big integer (array("Q", quadints).tobytes() read by int.from_bytes), so that masks, shifts
and additions act on every lane at once at C speed, per-zoom constants being spread over the
lanes by bytes.translate from byte tables. Added here: a shift by a different amount in each
lane, done one bit of the amount at a time on the lanes whose amount has that bit; and the
way between lanes and quadkeys, a hexadecimal text of one digit a nibble (hexlify, unhexlify
and bytes.translate to move the digits' bits about), with no Python operation per row.

Only batches the lanes compute exactly as the per-row definition does take that path. Any
other batch (a value that is not an int of 0 to 2^64 - 1, an invalid quadint, directions that
differ, ...) goes row by row through the definition itself (`per_row`), which names the first
failing row with RowError as a per-row handler would.
"""

from __future__ import annotations

import sys
from array import array
from binascii import hexlify, unhexlify
from collections.abc import Callable, Sequence
from functools import lru_cache
from operator import itemgetter

from lanes64 import CHUNK_ROWS, shift_right

from carto_runtime import RowError
from quadint_core.lanes import X_BITS, Y_BITS, all_valid, by_zoom, pack, repeat, unpack
from quadint_core.tiles import DIRECTIONS, MAX_ZOOM, sibling

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds of every cold start
    from typing import Any

_ALL = (1 << 64) - 1
_LOW5 = bytes(b & 31 for b in range(256))
_ZOOMS = bytes(range(MAX_ZOOM + 1))


def per_row(fn: Callable[..., Any], rows: Sequence[Sequence[Any]]) -> list[Any]:
    """fn(*row) for every row; the first row that raises is named with RowError."""
    out: list[Any] = []
    append = out.append
    try:
        for row in rows:
            append(fn(*row))
    except Exception as exc:
        raise RowError(len(out), exc) from exc
    return out


def one_size(rows: Sequence[Sequence[Any]], largest: int) -> int | None:
    """The second value of every (value, size) row when it is one int of 0 to `largest` (a
    batch the lanes can take at once); else None, for row by row to check each row. A row of
    another width raises ValueError, as unpacking it does."""
    try:
        sizes = {size for _, size in rows}
    except TypeError:  # an unhashable size: row by row says what fails
        return None
    if len(sizes) != 1:
        return None
    (size,) = sizes
    return size if type(size) is int and 0 <= size <= largest else None


# ----------------------------------------------------------------------------- lanes


def _lanes(quadints: Sequence[int]) -> tuple[int, bytes] | None:
    """(the quadints as lanes, each one's zoom as a byte) when every quadint is valid
    (check_quadint would pass it); else None."""
    packed = pack(quadints)
    if packed is None or not all_valid(*packed):
        return None
    return packed


@lru_cache(maxsize=8)
def _repeat_wide(value: int, n: int) -> int:
    """`value` in each of n 128-bit lanes."""
    return int.from_bytes(value.to_bytes(16, "little") * n, "little")


# ----------------------------------------------------------------------------- sibling


def siblings(rows: Sequence[Sequence[Any]]) -> list[Any]:
    """sibling(quadint, direction) over (quadint, direction) rows."""
    try:
        directions = {direction for _, direction in rows}
        quadints = [quadint for quadint, _ in rows]
    except (TypeError, ValueError):  # a row of another width, an unhashable direction
        return per_row(sibling, rows)
    step = None
    if all(type(d) is str for d in directions):
        names = {d.lower() for d in directions}
        if len(names) == 1:
            step = DIRECTIONS.get(names.pop())
    packed = _lanes(quadints) if step is not None else None
    if packed is None:
        return per_row(sibling, rows)
    whole, zs = packed
    n = len(quadints)
    dx, dy = step
    field = by_zoom(X_BITS if dx else Y_BITS, zs)
    # +1 adds the field's lowest bit, -1 adds the whole field (its ones complement): either
    # way, the field's carry out is dropped, which wraps around the grid's edge.
    add = field ^ (field & field << 1) if dx + dy > 0 else field
    moved = whole ^ (whole & field) | ((whole & field) + add) & field
    out = unpack(moved, n).tolist()
    i = zs.find(0)
    while i >= 0:  # zoom 0: the quadint itself, as sibling returns it
        out[i] = quadints[i]
        i = zs.find(0, i + 1)
    return out


# ----------------------------------------------------------------------------- parent


_LOW_BITS = tuple((1 << r) - 1 for r in range(MAX_ZOOM + 1))


def parents(rows: Sequence[Sequence[Any]], definition: Callable[..., int]) -> list[Any]:
    """The parent of each (quadint, resolution) row, as `definition` (the per-row function,
    which takes the batches the lanes do not) computes it."""
    try:
        quadints = [quadint for quadint, _ in rows]
        resolutions = bytes([resolution for _, resolution in rows])
    except (TypeError, ValueError):  # another width, a float, a resolution outside 0-255
        return per_row(definition, rows)
    packed = _lanes(quadints)
    if packed is None:
        return per_row(definition, rows)
    whole = packed[0]
    n = len(quadints)
    lanes = bytearray(8 * n)
    lanes[0::8] = resolutions
    r = int.from_bytes(lanes, "little")
    # z + 255 - r has bit 8 set exactly when r < z; its low byte is then z - r - 1
    below = (whole & repeat(31, n)) + repeat(255, n) - r
    if below & repeat(256, n) != repeat(256, n):
        return per_row(definition, rows)
    s = (below & repeat(255, n)) + repeat(1, n)  # z - r in every lane
    # v = y << z | x; v >> s = y << r | x >> s, whose part from bit r up is y << r: moved down
    # by s more, the bits that fall under r (y's last s bits) are dropped.
    v = shift_right(whole >> 5 & repeat(_ALL >> 5, n), s, n)
    x_bits = by_zoom(_LOW_BITS, resolutions)
    y_part = shift_right(v ^ (v & x_bits), s, n)
    parent = (v & x_bits) | y_part ^ (y_part & x_bits)
    return unpack(parent << 5 | r, n).tolist()


# ----------------------------------------------------------------------------- from quadkey
#
# Every key right-aligned in 32 digits ("0"s in front), the last key first, is one hexadecimal
# text (the digits 0-3 are hexadecimal digits). unhexlify puts two digits in each byte, a
# nibble each; a translation writes such a byte as one hexadecimal digit holding the two digits'
# y bits then x bits, and unhexlify again packs two of those in a byte. Read as one big-endian
# integer, lane i holds key i, byte k of the lane the y and x bits of digits 4k to 4k + 3 (y
# bits at 7, 6, 3, 2 and x bits at 5, 4, 1, 0). Swapping bits 5-4 with bits 3-2 of every byte
# makes it x's nibble k under y's; then the nibbles are moved (to-quadkey's _NIBBLE_ORDER
# undone) to put x in bits 0-31 of the lane and y in bits 32-63, and the quadint is
# (y << z | x) << 5 | z. A character that is not a digit 0-3 makes one of the unhexlify calls
# fail (the translation writes "x" for a nibble above 3).
_HEX_DIGITS = b"0123456789abcdef"
_PAIR_BITS = bytes(
    _HEX_DIGITS[(a >> 1) << 3 | (b >> 1) << 2 | (a & 1) << 1 | (b & 1)] if a < 4 and b < 4 else 120
    for a, b in ((byte >> 4, byte & 15) for byte in range(256))
)
_PADS = tuple("0" * (32 - z) for z in range(MAX_ZOOM + 1))
_TO_HALVES = (
    (0x0C0C0C0C0C0C0C0C, 2),
    (0x00F000F000F000F0, 4),
    (0x0000FF000000FF00, 8),
    (0x00000000FFFF0000, 16),
)


def from_quadkeys(rows: Sequence[Sequence[Any]], definition: Callable[[str], int]) -> list[Any]:
    """The quadint of each (quadkey,) row, as `definition` (the per-row function, which takes
    the batches the lanes do not) computes it."""
    try:
        keys = [key for (key,) in rows]
    except ValueError:  # a row of another width
        return per_row(definition, rows)
    quadints: list[int] = []
    for start in range(0, len(keys), CHUNK_ROWS):
        chunk = _from_quadkeys(keys[start : start + CHUNK_ROWS])
        if chunk is None:
            return per_row(definition, rows)
        quadints += chunk
    return quadints


def _from_quadkeys(keys: list[Any]) -> list[int] | None:
    """from_zxy(*quadkey_to_zxy(key)) of every key, or None unless every key is a str of at
    most 29 digits 0-3."""
    n = len(keys)
    try:
        zs = bytes(map(len, keys))
        if zs.translate(None, _ZOOMS):
            return None
        text = [""] * (2 * n)
        text[0::2] = itemgetter(*zs[::-1])(_PADS) if n > 1 else [_PADS[zs[0]]]
        text[1::2] = keys[::-1]
        quads = unhexlify(unhexlify("".join(text)).translate(_PAIR_BITS))
    except (TypeError, ValueError):  # not a str, over 255 characters, not digits 0-3
        return None
    v = int.from_bytes(quads, "big")
    lanes = bytearray(8 * n)
    lanes[0::8] = zs
    z = int.from_bytes(lanes, "little")
    for mask, step in _TO_HALVES:  # delta swaps: the bits under `mask` trade places
        t = (v ^ v >> step) & repeat(mask, n)
        v ^= t ^ t << step
    x = v & repeat(0xFFFFFFFF, n)
    # y << z as (y << 31) >> (31 - z), the right shift of a multiple of 2^(31 - z)
    y = shift_right((v ^ x) >> 1, z ^ repeat(31, n), n)
    return unpack((y | x) << 5 | z, n).tolist()


# ----------------------------------------------------------------------------- to quadkey
#
# A quadkey's digit k is x's bit k plus twice y's bit k. Per lane: x = v & (2^z - 1) and
# y = (v ^ x) >> z (v = q >> 5), x's bit z set (the "sentinel", just above the key), and the
# two interleaved by nibbles (byte k: x's nibble k, y's nibble k over it). A translation and
# hexlify write each such byte as two hexadecimal digits of two key digits each, another
# translation each of those as a byte of one key digit a nibble: 32 nibbles a key, a 128-bit
# lane in which digit k is nibble 31 - k. The digits above the key (the sentinel and the zeros
# over it) are then the lowest nibbles of the lane, up to its lowest set bit (the sentinel):
# N ^ (N - 1) covers exactly them, to turn the zeros into 0xf nibbles and the sentinel into a
# 0x7. Bytes of two 0xf nibbles dropped, the rest is written in hexadecimal and its "f"s
# dropped: before each key comes a "7" (z odd: the sentinel shares a byte with the key's first
# digit; z even: the sentinel's byte had an 0xf over it), the separator from which
# EncodedResults.strings writes the JSON array of the keys without a string object per key.
# The lanes are written big-endian each (array.byteswap), so that the keys come in the order
# of the rows.
_NIBBLE_ORDER = (
    (0x00000000FFFF0000, 16),
    (0x0000FF000000FF00, 8),
    (0x00F000F000F000F0, 4),
)


def _digit(byte: int, i: int) -> int:
    """Digit i (0-3) of a byte holding x's bits of four digits and y's over them."""
    return (byte >> i & 1) | (byte >> (4 + i) & 1) << 1


# a byte of four digits (x's bits, y's over them) as two nibbles of two digits each, the higher
# digits first; then each such nibble (hexadecimal digit) as a byte of its two digits, the
# higher one in the low nibble
_QUAD_TO_PAIRS = bytes(
    (_digit(b, 3) << 2 | _digit(b, 2)) << 4 | _digit(b, 1) << 2 | _digit(b, 0) for b in range(256)
)
_PAIR_NIBBLES = bytes(
    (int(chr(c), 16) >> 2) | (int(chr(c), 16) & 3) << 4 if chr(c) in "0123456789abcdef" else 0
    for c in range(256)
)
_SWAP_NIBBLES = bytes(b >> 4 | (b & 15) << 4 for b in range(256))


def quadkeys_text(quadints: list[Any]) -> bytes | None:
    """quadkey(*check_quadint(q)) of every quadint, each after a "7" (for
    EncodedResults.strings), or None unless all of them are valid."""
    try:
        lanes = array("Q", quadints)
    except (TypeError, OverflowError):  # not an int (bools pass, as 0 and 1), or negative
        return None
    if sys.byteorder == "big":  # pragma: no cover - lanes are little-endian
        lanes.byteswap()
    raw = lanes.tobytes()
    parts = []
    step = 8 * CHUNK_ROWS
    for start in range(0, len(raw), step):
        part = _quadkeys_text(raw[start : start + step])
        if part is None:
            return None
        parts.append(part)
    return b"".join(parts)


def _quadkeys_text(raw: bytes) -> bytes | None:
    """The keys of the quadints whose 8-byte lanes are `raw`, each after a "7"; or None if one
    quadint is invalid."""
    n = len(raw) >> 3
    zs = raw[0::8].translate(_LOW5)
    if zs.translate(None, _ZOOMS):
        return None
    whole = int.from_bytes(raw, "little")
    x_bits = by_zoom(_LOW_BITS, zs)
    v = whole >> 5 & repeat(_ALL >> 5, n)
    x = v & x_bits
    y = shift_right(v ^ x, whole & repeat(31, n), n)  # (v ^ x) >> z
    if y & (repeat(_ALL, n) ^ x_bits):  # a row outside the grid
        return None
    w = (x + x_bits + repeat(1, n)) | y << 32
    for mask, step in _NIBBLE_ORDER:
        t = (w ^ w >> step) & repeat(mask, n)
        w ^= t ^ t << step
    lanes = array("Q", w.to_bytes(8 * n, "little"))
    lanes.byteswap()  # each lane big-endian: its highest digits first
    pairs = hexlify(lanes.tobytes().translate(_QUAD_TO_PAIRS)).translate(_PAIR_NIBBLES)
    digits = int.from_bytes(pairs, "little")
    above = digits ^ (digits - _repeat_wide(1, n))  # every bit up to the sentinel's
    # every nibble under the sentinel to 0xf (the shifted mask leaves the lowest nibble's
    # two low bits to the 3), the sentinel's 0x1 to 0x7
    digits |= above << 2 | _repeat_wide(3, n)
    kept = digits.to_bytes(16 * n, "little").translate(_SWAP_NIBBLES, b"\xff")
    return hexlify(kept).translate(None, b"f")
