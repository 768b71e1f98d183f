"""K-rings and children of a whole batch of quadints at once, on lanes (see `lanes`).

A quadint is (y << z + 5) | (x << 5) | z: its column and row are plain bit fields, so moving
every lane's column by d is one addition of (d mod 2^z) << 5 followed by a mask (the carry
out of the field is dropped, which is the wrap around the grid), and the row likewise; the
children of a quadint are its fields shifted up by the new levels, plus the offsets of each
child. Each function returns None when the batch is not one it computes at once (a row to
refuse, or rows asking for different sizes); the caller then goes row by row.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from quadint_core.lanes import (
    MAX_ZOOM,
    X_BITS,
    Y_BITS,
    all_valid,
    by_zoom,
    format_rows,
    pack,
    repeat,
)


@cache
def _moves(d: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Per zoom (1-29): d mod 2^z in the column field and in the row field."""
    columns = [0] * 32
    rows = [0] * 32
    for z in range(1, MAX_ZOOM + 1):
        step = d % (1 << z)
        columns[z] = step << 5
        rows[z] = step << (z + 5)
    return tuple(columns), tuple(rows)


def kring_columns(origins: Sequence[int], k: int) -> list[int] | None:
    """The k-ring of every origin as (2k+1)^2 lane integers, in tiles.kring's order (row by row
    from the north-west corner); None unless every origin is a valid quadint of zoom 1-29."""
    packed = pack(origins)
    if packed is None:
        return None
    whole, zs = packed
    if 0 in zs or not all_valid(whole, zs):
        return None
    n = len(zs)
    x_bits = by_zoom(X_BITS, zs)
    y_bits = by_zoom(Y_BITS, zs)
    x = whole & x_bits
    y = whole & y_bits
    z = whole & repeat(31, n)
    columns = []
    rows = []
    for d in range(-k, k + 1):
        column_moves, row_moves = _moves(d)
        columns.append((x + by_zoom(column_moves, zs)) & x_bits)
        rows.append(((y + by_zoom(row_moves, zs)) & y_bits) | z)
    return [row | column for row in rows for column in columns]


@cache
def _child_rows(levels: int, j: int) -> tuple[int, ...]:
    """Per parent zoom z: j in the row field of a child `levels` below (zoom z + levels)."""
    return tuple(j << (z + levels + 5) if z + levels <= MAX_ZOOM else 0 for z in range(32))


def children_columns(parents: Sequence[int], levels: int) -> list[int] | None:
    """The children `levels` below every parent as 4^levels lane integers, column by column
    and north to south within each (as __QUADINT_TOCHILDREN lists them); None unless every
    parent is a valid quadint of zoom 29 - levels or below. `levels` must be 1 or more."""
    packed = pack(parents)
    if packed is None:
        return None
    whole, zs = packed
    if max(zs) > MAX_ZOOM - levels or not all_valid(whole, zs):
        return None
    n = len(zs)
    # (y << z + 5) | (x << 5) | z  ->  (y << z + 2 levels + 5) | (x << levels + 5) | z + levels:
    # no lane's bits pass bit 62, so shifting the whole integer shifts every lane alike.
    first = (
        ((whole & by_zoom(Y_BITS, zs)) << 2 * levels)
        | ((whole & by_zoom(X_BITS, zs)) << levels)
        | ((whole & repeat(31, n)) + repeat(levels, n))
    )
    side = 1 << levels
    rows = [by_zoom(_child_rows(levels, j), zs) for j in range(side)]
    out = []
    for i in range(side):
        column = first | repeat(i << 5, n) if i else first
        out.extend(column | row for row in rows)
    return out


def kring_distance_texts(columns: Sequence[int], n: int, k: int) -> list[str]:
    """Each row's '[{"index": q, "distance": d}, ...]' from kring_columns(origins, k), as
    QUADINT_KRING_DISTANCES writes it: a position's distance is the same in every row, so it
    is part of the row's template."""
    side = 2 * k + 1
    items = (
        f'{{"index": %d, "distance": {max(abs(i - k), abs(j - k))}}}'
        for j in range(side)
        for i in range(side)
    )
    return format_rows("[" + ", ".join(items) + "]", columns, n)
