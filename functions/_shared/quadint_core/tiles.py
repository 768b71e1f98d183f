"""Quadint tiles with integer arithmetic.

A quadint is CARTO's older 64-bit tile index: ((y << z | x) << 5) | z, the zoom z (0-29) in
the low 5 bits, then the column x, then the row y (north to south) of a Web Mercator tile.
"""

from __future__ import annotations

MAX_ZOOM = 29


def from_zxy(z: int, x: int, y: int) -> int:
    return ((y << z | x) << 5) | z


def to_zxy(quadint: int) -> tuple[int, int, int]:
    """(z, x, y) of a quadint, without validation."""
    z = quadint & 31
    return z, (quadint >> 5) & ((1 << z) - 1), quadint >> (z + 5)


def check_quadint(quadint: int) -> tuple[int, int, int]:
    """(z, x, y) of a well-formed quadint (zoom 0-29, row inside the grid); else ValueError."""
    z = quadint & 31
    y = quadint >> (z + 5)
    if quadint < 0 or z > MAX_ZOOM or y >> z:
        raise ValueError(f"Invalid quadint: {quadint}")
    return z, (quadint >> 5) & ((1 << z) - 1), y


# The texts CARTO's users match on ("Wrong zoom", "Wrong resolution", "Wrong quadint zoom",
# "Wrong direction", "Invalid input") start our errors wherever the meaning is the same; the
# rest says the valid range.


def check_zoom(zoom: int) -> None:
    """The zoom argument of QUADINT_FROMLONGLAT and QUADINT_POLYFILL."""
    if zoom < 0 or zoom > MAX_ZOOM:
        raise ValueError(f"Wrong zoom: invalid resolution, should be between 0 and {MAX_ZOOM}")


def check_parent_zoom(z: int, resolution: int) -> None:
    """The parent's resolution of a zoom z quadint: 0 to z - 1."""
    if z == 0:
        raise ValueError("Wrong quadint zoom: a zoom 0 quadint has no parent")
    if resolution < 0 or resolution >= z:
        raise ValueError(
            f"Wrong resolution: invalid resolution, should be between 0 and {z - 1} "
            f"for a zoom {z} quadint"
        )


def check_children_zoom(z: int, resolution: int) -> None:
    """The children's resolution of a zoom z quadint: z + 1 to 29."""
    if z >= MAX_ZOOM:
        raise ValueError(f"Wrong quadint zoom: a zoom {z} quadint has no children")
    if resolution <= z or resolution > MAX_ZOOM:
        raise ValueError(
            f"Wrong resolution: invalid resolution, should be between {z + 1} and {MAX_ZOOM} "
            f"for a zoom {z} quadint"
        )


# Directions as (dx, dy) in tile coordinates; y grows southwards.
DIRECTIONS = {"up": (0, -1), "right": (1, 0), "left": (-1, 0), "down": (0, 1)}


def sibling(quadint: int, direction: str) -> int:
    """The neighbour in `direction`; quadints wrap around the grid's edges (east of the last
    column is the first one, north of the first row is the last one)."""
    step = DIRECTIONS.get(direction.lower())
    if step is None:
        raise ValueError(f"Wrong direction {direction!r}, should be one of: up, right, left, down")
    z, x, y = check_quadint(quadint)
    if z == 0:
        return quadint
    mask = (1 << z) - 1
    return from_zxy(z, (x + step[0]) & mask, (y + step[1]) & mask)


def kring(quadint: int, k: int) -> list[tuple[int, int, int]]:
    """(quadint, column i, row j) of the filled square around a quadint, row by row.

    Like the sibling walk it is defined by, the square wraps around the grid's edges, so a
    square wider than the grid repeats tiles.
    """
    z, x, y = check_quadint(quadint)
    if z == 0:
        raise ValueError("Invalid input origin: a zoom 0 quadint has no neighbours")
    if k < 0:
        raise ValueError("Invalid input size: should be 0 or greater")
    mask = (1 << z) - 1
    width = 2 * k + 1
    columns = [(((x - k + i) & mask) << 5) | z for i in range(width)]
    shift = z + 5
    return [
        ((((y - k + j) & mask) << shift) | column, i, j)
        for j in range(width)
        for i, column in enumerate(columns)
    ]


def _spread(value: int) -> int:
    """The bits of a 32-bit value moved to the even positions of a 64-bit one."""
    v = (value | (value << 16)) & 0x0000FFFF0000FFFF
    v = (v | (v << 8)) & 0x00FF00FF00FF00FF
    v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0F
    v = (v | (v << 2)) & 0x3333333333333333
    return (v | (v << 1)) & 0x5555555555555555


def _compact(value: int) -> int:
    """The inverse of _spread: the even bits of a 64-bit value, packed."""
    v = value & 0x5555555555555555
    v = (v | (v >> 1)) & 0x3333333333333333
    v = (v | (v >> 2)) & 0x0F0F0F0F0F0F0F0F
    v = (v | (v >> 4)) & 0x00FF00FF00FF00FF
    v = (v | (v >> 8)) & 0x0000FFFF0000FFFF
    return (v | (v >> 16)) & 0x00000000FFFFFFFF


# Every byte as its four base-4 digits: a quadkey is its 2-bit groups written in base 4.
_BYTE_DIGITS = tuple("".join(str((b >> s) & 3) for s in (6, 4, 2, 0)) for b in range(256))


def quadkey(z: int, x: int, y: int) -> str:
    """The quadkey of a tile: digit (y bit, x bit) per level, as mercantile.quadkey."""
    if z == 0:
        return ""
    digits = _spread(x) | (_spread(y) << 1)
    n = (z + 3) >> 2
    return "".join(map(_BYTE_DIGITS.__getitem__, digits.to_bytes(n, "big")))[-z:]


def quadkey_to_zxy(key: str) -> tuple[int, int, int]:
    z = len(key)
    if z > MAX_ZOOM or (z and key.strip("0123") != ""):
        raise ValueError(f"Invalid quadkey {key[:40]!r}: up to 29 digits 0-3")
    digits = int(key, 4) if z else 0
    return z, _compact(digits), _compact(digits >> 1)
