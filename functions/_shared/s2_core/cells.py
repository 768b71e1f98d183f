"""Cell ids: validity, levels, parents, children, tokens and the unsigned decimal form.

An S2 cell id is 64 bits: 3 for the face (0-5), then two per level for the cell's position
on its face's Hilbert curve, then a single 1 bit (the "lsb") whose position gives the level:
bit 60 - 2 * level. Ids arrive as signed INT8 (see the package docstring).
"""

from __future__ import annotations

import re

MAX_LEVEL = 30
U64 = (1 << 64) - 1
INT8_MIN = -(1 << 63)
INT8_MAX = (1 << 63) - 1
# The bits an lsb may sit on: even positions 0 to 60.
LSB_BITS = 0x1555555555555555
# Children more than this many levels down are refused before computing: 4**6 = 4,096 ids
# of up to 20 characters do not fit one 65,535-byte VARCHAR(MAX) (CARTO's would overflow).
MAX_CHILD_LEVELS = 5

_TOKEN = re.compile(r"[0-9a-fA-F]{1,16}")
_DECIMAL = re.compile(r"0*[0-9]{1,20}")


def level_of(cell: int) -> int:
    """The level of a valid cell id, -1 for anything else (an int the caller checked)."""
    if not INT8_MIN <= cell <= INT8_MAX or (cell & U64) >> 61 > 5:
        return -1
    lsb = cell & -cell  # the lowest set bit, sign or not
    if not lsb & LSB_BITS:
        return -1
    return MAX_LEVEL - ((lsb.bit_length() - 1) >> 1)


def check_cell(cell: int) -> int:
    """The cell's level; ValueError naming the value if it is not an S2 cell id."""
    if type(cell) is not int:
        raise ValueError(f"Invalid S2 cell id: {cell!r} (expected an INT8)")
    level = level_of(cell)
    if level < 0:
        raise ValueError(
            f"Invalid S2 cell id: {cell} (a cell id has a face 0-5 and its lowest set bit at "
            "an even position 0-60)"
        )
    return level


def check_resolution(resolution: int, what: str = "Resolution") -> int:
    if type(resolution) is not int or not 0 <= resolution <= MAX_LEVEL:
        raise ValueError(f"{what} must be between 0 and {MAX_LEVEL}, got {resolution!r}")
    return resolution


def parent(cell: int, resolution: int | None = None) -> int:
    """The cell's ancestor at `resolution` (itself at its own level); by default one level up."""
    level = check_cell(cell)
    if resolution is None:
        if level == 0:
            raise ValueError(
                "Parent resolution (-1) must be between 0 and 30: a resolution 0 (face) cell "
                "has no parent"
            )
        resolution = level - 1
    else:
        check_resolution(resolution)
        if resolution > level:
            raise ValueError(
                f"Parent resolution ({resolution}) must be equal or smaller than cell "
                f"resolution ({level})"
            )
    lsb = 1 << ((MAX_LEVEL - resolution) << 1)
    return (cell & -lsb) | lsb


def children_count(cell: int, resolution: int | None) -> tuple[int, int]:
    """(the cell's level, the children's level), checked as children() checks them."""
    level = check_cell(cell)
    if resolution is None:
        if level == MAX_LEVEL:
            raise ValueError(
                "Children resolution (31) must be between 0 and 30: a resolution 30 (leaf) "
                "cell has no children"
            )
        return level, level + 1
    check_resolution(resolution)
    if resolution < level:
        raise ValueError(
            f"Children resolution ({resolution}) must be equal or greater than cell "
            f"resolution ({level})"
        )
    if resolution - level > MAX_CHILD_LEVELS:
        raise ValueError(
            f"S2_TOCHILDREN would return {4 ** (resolution - level):,} cells "
            f"({resolution - level} levels below the cell's resolution {level}); the limit is "
            f"{MAX_CHILD_LEVELS} levels down ({4**MAX_CHILD_LEVELS:,} cells), so that one "
            "result fits in a 65,535-byte VARCHAR(MAX)"
        )
    return level, resolution


def children(cell: int, resolution: int | None = None) -> range:
    """The cell's descendants at `resolution` in curve order (ascending S2 ids); by default
    the four children. They are every other id of their level inside the cell's range."""
    level, resolution = children_count(cell, resolution)
    new = 1 << ((MAX_LEVEL - resolution) << 1)
    first = cell - (cell & -cell) + new
    step = new << 1
    return range(first, first + (step << ((resolution - level) << 1)), step)


def children_json(cell: int, resolution: int | None = None) -> str:
    """S2_TOCHILDREN's result: the children as a JSON array text."""
    return "[" + ",".join(map(str, children(cell, resolution))) + "]"


def to_token(cell: int) -> str:
    """The cell's token: its unsigned id in 16 hex digits, trailing zeros dropped."""
    check_cell(cell)
    return format(cell & U64, "016x").rstrip("0")


def from_token(token: str) -> int:
    """The signed id of a token (1 to 16 hex digits, either case, zeros implied on the right)."""
    if type(token) is not str or not _TOKEN.fullmatch(token):
        raise ValueError(f"Invalid S2 token: {token!r} (expected 1 to 16 hexadecimal digits)")
    cell = int(token.ljust(16, "0"), 16)
    if cell >> 63:
        cell -= 1 << 64
    if level_of(cell) < 0:
        raise ValueError(f"Invalid S2 token: {token!r} is not the token of a cell")
    return cell


def to_uint64_repr(cell: int) -> str:
    """The id as unsigned 64-bit decimal text (any INT8: a representation, not a check)."""
    if type(cell) is not int or not INT8_MIN <= cell <= INT8_MAX:
        raise ValueError(f"Invalid INT8: {cell!r}")
    return str(cell & U64)


def from_uint64_repr(text: str) -> int:
    """The signed INT8 of unsigned 64-bit decimal text (0 to 18446744073709551615)."""
    # at most 64 characters: leading zeros are allowed, not without end (int() of thousands
    # of digits fails)
    if type(text) is not str or len(text) > 64 or not _DECIMAL.fullmatch(text) or int(text) > U64:
        raise ValueError(
            f"Invalid uint64 representation: {text!r} (expected decimal digits worth 0 to {U64})"
        )
    value = int(text)
    return value - (1 << 64) if value >> 63 else value
