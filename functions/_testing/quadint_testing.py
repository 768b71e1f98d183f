"""Quadint helpers for function tests, written from the quadint definition, never from the
code under test: the encoding (`quadint`, `tile_of`, `digits`), hypothesis strategies of
tiles, quadints, non-quadints and k-ring origins, the k-ring square of the per-row
definitions (`kring_square`) and mercantile's bounds as compact JSON text (`bounds_text`).
"""

from __future__ import annotations

import json

import mercantile
from hypothesis import strategies as st


def quadint(x: int, y: int, z: int) -> int:
    """The quadint of tile (x, y, z)."""
    return ((y << z | x) << 5) | z


def tile_of(q: int) -> tuple[int, int, int]:
    """(x, y, z) of a quadint (zoom 0-29, row inside the grid); else ValueError."""
    z = q & 31
    if q < 0 or z > 29 or q >> (2 * z + 5):
        raise ValueError(f"Invalid quadint: {q}")
    return (q >> 5) & ((1 << z) - 1), q >> (z + 5), z


def digits(z: int) -> int:
    """How many decimal digits the largest quadint of zoom `z` has."""
    last = (1 << z) - 1
    return len(str(quadint(last, last, z)))


def bounds_text(tile: tuple[int, int, int]) -> str:
    """mercantile's bounds of `tile` as the compact text json.dumps writes."""
    return json.dumps(list(mercantile.bounds(*tile)), separators=(",", ":"))


@st.composite
def tiles(
    draw: st.DrawFn, min_z: int = 0, max_z: int = 29, *, middle_lines: bool = False
) -> tuple[int, int, int]:
    """(x, y, z), often on the grid's edges (where squares wrap) or its middle; with
    `middle_lines`, next to the equator and the prime meridian instead of on them (where
    bounds are tiny numbers that repr() writes with an exponent)."""
    z = draw(st.integers(min_z, max_z))
    n = 1 << z
    if middle_lines:
        edges = [0, 1, n // 2 - 1, n // 2, n // 2 + 1, n - 2, n - 1]
        near = st.sampled_from(edges).map(lambda v: min(max(v, 0), n - 1))
    else:
        near = st.sampled_from([0, 1, n // 2, n - 2, n - 1]).map(lambda v: v % n)
    coordinate = st.one_of(st.integers(0, n - 1), near)
    return draw(coordinate), draw(coordinate), z


def bad_quadints(*, middle_lines: bool = False) -> st.SearchStrategy[int]:
    """Integers that are not quadints: negative, zoom 30 or 31, a row beyond the grid (of a
    tile drawn by `tiles(middle_lines=...)`), or any 64 bits."""
    return st.one_of(
        st.integers(-(1 << 63), -1),
        st.integers(0, 1 << 58).map(lambda v: v << 5 | 30),  # zoom 30
        st.integers(0, 1 << 58).map(lambda v: v << 5 | 31),
        st.builds(  # a row beyond the grid
            lambda t, k: quadint(t[0], t[1] + (k << t[2]), t[2]),
            tiles(middle_lines=middle_lines),
            st.integers(1, 3),
        ),
        st.integers(0, (1 << 64) - 1),  # anything a lane could hold
    )


@st.composite
def corner_quadints(draw: st.DrawFn, min_z: int = 0, max_z: int = 29) -> int:
    """Quadints of zoom `min_z` to `max_z`, often with a coordinate at the grid's first or
    last column or row."""
    z = draw(st.integers(min_z, max_z))
    coordinate = st.sampled_from([0, (1 << z) - 1]) | st.integers(0, (1 << z) - 1)
    return quadint(draw(coordinate), draw(coordinate), z)


# Anything that is not a quadint, as a SQL argument may hold it: negative, zoom 30 or 31, a
# row beyond the grid, over 63 bits, floats, text and null.
not_quadints = st.one_of(
    st.integers(-(1 << 70), -1),
    corner_quadints().map(lambda q: q | 30),  # zoom 30 or 31
    corner_quadints(max_z=28).filter(lambda q: q & 31).map(lambda q: q + (1 << (2 * (q & 31) + 5))),
    st.integers(1 << 63, 1 << 70),
    st.floats(allow_nan=False),
    st.text(max_size=3),
    st.none(),
)

# k-ring origins: quadints of zoom 1 and up; those that are refused (zoom 0 has no neighbours)
origins = tiles(min_z=1).map(lambda t: quadint(*t))
bad_origins = st.one_of(st.just(0), bad_quadints())
# origins with a few nulls and bad ones among them
mixed_origins = st.one_of(origins, origins, origins, bad_origins, st.none())


def kring_square(origin: int, size: int, item_bytes: int) -> list[tuple[int, int, int]]:
    """The k-ring per-row definitions up to their result's text: the size limit first (from
    the zoom bits alone, `item_bytes` written per item besides its quadint's digits), then
    the quadint, the zoom and the size. The square wraps around the grid; row by row, each
    item is (quadint, i, j), (i, j) its offset from the origin."""
    z = origin & 31
    if size > 0:
        total = (2 * size + 1) ** 2 * (digits(z) + item_bytes)
        if total > 65535:
            raise ValueError(
                f"a k-ring of size {size} at zoom {z} would take up to {total:,} bytes; the "
                f"limit is 65,535 bytes per row (one VARCHAR(MAX) result)"
            )
    x, y, z = tile_of(origin)
    if z == 0:
        raise ValueError("Invalid input origin: a zoom 0 quadint has no neighbours")
    if size < 0:
        raise ValueError("Invalid input size: should be 0 or greater")
    n = 1 << z
    return [
        (quadint((x + i) % n, (y + j) % n, z), i, j)
        for j in range(-size, size + 1)
        for i in range(-size, size + 1)
    ]
