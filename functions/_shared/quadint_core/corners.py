"""Bounds of a whole batch of tiles, written as QUADINT_BBOX / QUADINT_BOUNDARY write them.

One loop computes every tile's west, south, east and north with geo.bounds's float
expressions (mercantile.bounds), everything in local variables; one orjson encoding of all
the floats then writes them, the few tokens where orjson's text differs from repr() redone
(`float_texts`); each row's text is one f-string of its four tokens. A batch holding a value
that is not a valid quadint (or quadkey) gets None from `quadint_tiles` (`quadkey_tiles`),
for the caller to go row by row and name the row as the per-row definition does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from lanes64 import float_texts

from quadint_core.lanes import MAX_ZOOM, repeat, unpack

# Per zoom: pow(2, z), as geo.bounds computes it.
_SCALES = [math.pow(2, z) for z in range(MAX_ZOOM + 1)]
_COLUMN_MASKS = [(1 << z) - 1 for z in range(MAX_ZOOM + 1)]
# degrees(v) is v * (180.0 / pi) in CPython, to the bit: the same double product.
_R2D = 180.0 / math.pi


def quadint_tiles(quadints: Sequence[int]) -> tuple[list[int], list[int], list[int]] | None:
    """(xs, ys, zs) of every quadint's tile; None if one of them is not a valid quadint."""
    masks = _COLUMN_MASKS
    xs: list[int] = []
    ys: list[int] = []
    zs: list[int] = []
    try:
        for q in quadints:
            z = q & 31
            # tiles.check_quadint: zoom 0-29, row inside the grid
            if q < 0 or z > 29:
                return None
            y = q >> (z + 5)
            if y >> z:
                return None
            xs.append((q >> 5) & masks[z])
            ys.append(y)
            zs.append(z)
    except TypeError:  # not an int: the definition says how it fails
        return None
    return xs, ys, zs


def tile_corners(xs: Sequence[int], ys: Sequence[int], zs: Sequence[int]) -> list[float]:
    """West, south, east, north of every tile (x, y, z), one tile after the other, with
    geo.bounds's expressions (the tiles are valid)."""
    sinh = math.sinh
    atan = math.atan
    pi = math.pi
    r2d = _R2D
    scales = _SCALES
    values: list[float] = []
    extend = values.extend
    for x, y, z in zip(xs, ys, zs, strict=True):
        z2 = scales[z]
        extend(
            (
                x / z2 * 360.0 - 180.0,
                atan(sinh(pi * (1 - 2 * (y + 1) / z2))) * r2d,
                (x + 1) / z2 * 360.0 - 180.0,
                atan(sinh(pi * (1 - 2 * y / z2))) * r2d,
            )
        )
    return values


def bbox_texts(values: list[float]) -> list[str]:
    """geo.bbox_json's "[west,south,east,north]" of every tile of `values` (tile_corners)."""
    t = float_texts(values)
    return [
        f"[{w},{s},{e},{n}]" for w, s, e, n in zip(t[0::4], t[1::4], t[2::4], t[3::4], strict=True)
    ]


def boundary_texts(values: list[float]) -> list[str]:
    """geo.boundary_geojson's polygon of every tile of `values` (tile_corners)."""
    t = float_texts(values)
    return [
        f'{{"type": "Polygon", "coordinates": [[[{w}, {s}], [{w}, {n}], [{e}, {n}], '
        f"[{e}, {s}], [{w}, {s}]]]}}"
        for w, s, e, n in zip(t[0::4], t[1::4], t[2::4], t[3::4], strict=True)
    ]


# A quadkey's digits in base 4 are its tile's bits interleaved, y's above x's at each level.
_SPACE_TO_ZERO = bytes.maketrans(b" ", b"0")
_COMPACT = (
    (1, 0x3333333333333333),
    (2, 0x0F0F0F0F0F0F0F0F),
    (4, 0x00FF00FF00FF00FF),
    (8, 0x0000FFFF0000FFFF),
    (16, 0x00000000FFFFFFFF),
)


def _compact(v: int, n: int) -> int:
    """The even bits of every 64-bit lane, packed into its low 32 bits. Bits shifted in from
    the next lane land where each step's mask is 0."""
    v &= repeat(0x5555555555555555, n)
    for shift, mask in _COMPACT:
        v = (v | v >> shift) & repeat(mask, n)
    return v


def quadkey_tiles(keys: Sequence[str]) -> tuple[list[int], list[int], bytes] | None:
    """(xs, ys, zs) of every quadkey; None unless each is a str of at most 29 digits 0-3."""
    try:
        if "".join(keys).encode("ascii").translate(None, b"0123"):
            return None
        zs = bytes(map(len, keys))
    except (TypeError, ValueError):  # not all str, not ASCII, or a key of over 255 chars
        return None
    if max(zs) > MAX_ZOOM:
        return None
    n = len(keys)
    # Every key right-aligned in 32 digits (64 bits, zeros in front), the last key first: one
    # int() reads them all, the first key in the lowest lane.
    digits = (("%32s" * n) % tuple(reversed(keys))).encode("ascii").translate(_SPACE_TO_ZERO)
    v = int(digits, 4)
    return unpack(_compact(v, n), n).tolist(), unpack(_compact(v >> 1, n), n).tolist(), zs
