"""Quadbin cell encoding with plain integer arithmetic.

A quadbin cell is a 64-bit integer: bit 62 set (header), mode 1 in bits 59-61, the resolution
z in bits 52-56, then the tile's x and y bits interleaved (one quadkey digit per level: y bit
high, x bit low) left-aligned in the low 52 bits, and every unused trailing bit set to 1.

Interleaving is done on x and y at once: y is placed 64 bits above x in one Python integer,
so each "magic number" spreading step handles both coordinates with a single operation. This
halves the work of the usual two-pass bit tricks; Python integers make 128-bit words free.
"""

from __future__ import annotations

MAX_RESOLUTION = 26
# The texts CARTO's users match on ("Invalid resolution", "Wrong direction", "Invalid input")
# start our errors wherever the meaning is the same; the rest says the valid range.
RESOLUTION_ERROR = "Invalid resolution: should be between 0 and 26"

HEADER = 0x4000000000000000
CELL_BASE = HEADER | (1 << 59)  # header + mode 1 (cell)
FOOTER = 0xFFFFFFFFFFFFF  # the 52 payload bits
RES_MASK = 0x1F << 52


def _twice(mask: int) -> int:
    return mask | (mask << 64)


_M0 = _twice(0x5555555555555555)
_M1 = _twice(0x3333333333333333)
_M2 = _twice(0x0F0F0F0F0F0F0F0F)
_M3 = _twice(0x00FF00FF00FF00FF)
_M4 = _twice(0x0000FFFF0000FFFF)
_M5 = _twice(0x00000000FFFFFFFF)
_LOW64 = (1 << 64) - 1


def check_resolution(resolution: int) -> None:
    if resolution < 0 or resolution > MAX_RESOLUTION:
        raise ValueError(RESOLUTION_ERROR)


def is_valid_cell(cell: int) -> bool:
    """True for a quadbin cell: header bit, mode 1, resolution 0-26, trailing bits set.

    The trailing-bits test is the reference's, which shifts by 4 bits a level where a cell
    uses 2: it checks only the last 52 - 4z bits, so from resolution 13 on it checks none.
    Kept so that QUADBIN_ISVALID answers exactly as the reference does.
    """
    if cell < 0 or cell >> 59 != 9:  # 9 == 0b01001: the header bit, then mode 1
        return False
    z = (cell >> 52) & 0x1F
    unused = FOOTER >> (z << 2)
    return z <= MAX_RESOLUTION and cell & unused == unused


def check_cell(cell: int) -> None:
    if not is_valid_cell(cell):
        raise ValueError(f"Invalid quadbin cell: {cell}")


def cell_to_tile(cell: int) -> tuple[int, int, int]:
    """(x, y, z) of a cell; the cell is assumed valid."""
    z = (cell >> 52) & 31
    q = (cell & FOOTER) << 12
    # x sits on the even bits of q, y on the odd ones: move y's bits to the upper word.
    v = (q | (q << 63)) & _M0
    v = (v | (v >> 1)) & _M1
    v = (v | (v >> 2)) & _M2
    v = (v | (v >> 4)) & _M3
    v = (v | (v >> 8)) & _M4
    v = (v | (v >> 16)) & _M5
    s = 32 - z
    return (v & _LOW64) >> s, v >> (64 + s), z


def tile_to_cell(x: int, y: int, z: int) -> int:
    """The cell of tile (x, y) at resolution z; x and y must be in 0..2^z-1."""
    s = 32 - z
    v = (x << s) | (y << (64 + s))
    v = (v | (v << 16)) & _M4
    v = (v | (v << 8)) & _M3
    v = (v | (v << 4)) & _M2
    v = (v | (v << 2)) & _M1
    v = (v | (v << 1)) & _M0
    # y's word shifted by 63 lands its bits on the odd positions next to x's.
    return CELL_BASE | (z << 52) | (((v & _LOW64) | (v >> 63)) >> 12) | (FOOTER >> (z << 1))


def check_tile(x: int, y: int, z: int) -> None:
    check_resolution(z)
    if x < 0 or y < 0 or x >> z or y >> z:
        raise ValueError(f"Invalid tile: x and y must be between 0 and {(1 << z) - 1} at z={z}")


def resolution(cell: int) -> int:
    return (cell >> 52) & 0x1F


def to_parent(cell: int, parent_resolution: int) -> int:
    z = (cell >> 52) & 0x1F
    if parent_resolution < 0 or parent_resolution > z:
        raise ValueError(
            f"Invalid resolution: should be between 0 and {z} for a resolution {z} cell"
        )
    return (cell & ~RES_MASK) | (parent_resolution << 52) | (FOOTER >> (parent_resolution << 1))


def children_count(cell: int, children_resolution: int) -> int:
    """How many children tochildren would return; validates the resolution."""
    z = (cell >> 52) & 0x1F
    if children_resolution <= z or children_resolution > MAX_RESOLUTION:
        raise ValueError(children_resolution_error(z))
    return 1 << ((children_resolution - z) << 1)


def children_resolution_error(z: int) -> str:
    """The error for a children resolution out of range, for a cell of resolution z."""
    if z >= MAX_RESOLUTION:
        return f"Invalid resolution: a resolution {z} cell has no children (26 is the finest)"
    return f"Invalid resolution: should be between {z + 1} and 26 for a resolution {z} cell"


def to_children(cell: int, children_resolution: int) -> range:
    """The children as a range: they are consecutive multiples of one step."""
    count = children_count(cell, children_resolution)
    shift = 52 - (children_resolution << 1)
    base = (cell & ~RES_MASK) | (children_resolution << 52)
    base &= ~((count - 1) << shift)
    return range(base, base + (count << shift), 1 << shift)


# Directions of the reference library: (dx, dy) in tile coordinates (y grows southwards).
DIRECTIONS = {"up": (0, -1), "right": (1, 0), "left": (-1, 0), "down": (0, 1)}


def sibling(cell: int, direction: str) -> int | None:
    """The neighbour in `direction`, or None past the edge of the grid (as the reference)."""
    step = DIRECTIONS.get(direction.lower())
    if step is None:
        raise ValueError(f"Wrong direction {direction!r}, should be one of: up, right, left, down")
    x, y, z = cell_to_tile(cell)
    x += step[0]
    y += step[1]
    if z == 0 or x < 0 or y < 0 or x >> z or y >> z:
        return None
    return tile_to_cell(x, y, z)


def spread(value: int) -> int:
    """The bits of a 32-bit value moved to the even positions of a 64-bit one."""
    v = (value | (value << 16)) & 0x0000FFFF0000FFFF
    v = (v | (v << 8)) & 0x00FF00FF00FF00FF
    v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0F
    v = (v | (v << 2)) & 0x3333333333333333
    return (v | (v << 1)) & 0x5555555555555555


def kring(cell: int, k: int) -> tuple[list[int], int]:
    """The filled square of side 2k+1 around a cell, row by row as the reference lists it.

    Returns (cells, width). Each cell is the OR of a column part and a row part, so only
    2(2k+1) interleavings are computed for (2k+1)^2 cells. The reference walks tile by tile
    and fails when the square leaves the grid; here that is a clear error instead.
    """
    if k < 0:
        raise ValueError("Invalid input size: should be 0 or greater")
    x, y, z = cell_to_tile(cell)
    if k and (x < k or y < k or (x + k) >> z or (y + k) >> z):
        raise ValueError(
            f"The k-ring of size {k} around tile z={z} x={x} y={y} leaves the tile grid "
            "(it would cross a pole or the antimeridian)"
        )
    s = 32 - z
    head = CELL_BASE | (z << 52) | (FOOTER >> (z << 1))
    columns = [spread(c << s) for c in range(x - k, x + k + 1)]
    rows = [(spread(r << s) << 1) | (head << 12) for r in range(y - k, y + k + 1)]
    return [(row | col) >> 12 for row in rows for col in columns], 2 * k + 1


def quadkey(cell: int) -> str:
    z = (cell >> 52) & 0x1F
    if z == 0:
        return ""
    return base4((cell & FOOTER) >> (52 - (z << 1)), z)


# Every byte as its four base-4 digits: a quadkey is its 2-bit groups written in base 4.
_BYTE_DIGITS = tuple("".join(str((b >> shift) & 3) for shift in (6, 4, 2, 0)) for b in range(256))


def base4(value: int, width: int) -> str:
    """`value` as exactly `width` base-4 digits (value < 4**width)."""
    n = (width + 3) >> 2
    return "".join(map(_BYTE_DIGITS.__getitem__, value.to_bytes(n, "big")))[-width:]


def from_quadkey(key: str) -> int:
    z = len(key)
    if z > MAX_RESOLUTION or (z and key.strip("0123") != ""):
        raise ValueError(f"Invalid quadkey {key[:40]!r}: up to 26 digits 0-3")
    digits = int(key, 4) if z else 0
    return CELL_BASE | (z << 52) | (digits << (52 - (z << 1))) | (FOOTER >> (z << 1))
