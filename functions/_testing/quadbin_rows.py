"""Quadbin rows for whole-batch tests, written from the `quadbin` reference library, never from
the code under test: valid cells (often on the grid's edges and next to its middle lines, where
coordinates are tiny numbers that repr() writes with an exponent), 64-bit values that are not
cells, and the per-row reference results as the texts a handler writes.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import quadbin
from hypothesis import strategies as st

DIRECTIONS = ("up", "down", "left", "right")


@st.composite
def edge_tiles(draw: st.DrawFn, max_z: int = 26) -> tuple[int, int, int]:
    """(x, y, z): any tile, or one on the grid's first or last column or row, or next to the
    equator or the prime meridian."""
    z = draw(st.integers(0, max_z))
    n = 1 << z
    near = st.sampled_from([0, 1, n // 2 - 1, n // 2, n // 2 + 1, n - 2, n - 1])
    coordinate = st.one_of(st.integers(0, n - 1), near.map(lambda v: min(max(v, 0), n - 1)))
    return draw(coordinate), draw(coordinate), z


cells = edge_tiles().map(quadbin.tile_to_cell)


def _not_cell(value: int) -> bool:
    return not quadbin.is_valid_cell(value)


# BIGINT values that are not cells: negative, any 63 bits, a cell with a trailing bit cleared,
# with resolution 27-31, or in mode 0 (an index, not a cell).
not_cells = st.one_of(
    st.integers(-(1 << 63), -1),
    st.integers(0, (1 << 63) - 1).filter(_not_cell),
    cells.map(lambda c: c & ~1).filter(_not_cell),
    st.tuples(cells, st.integers(27, 31)).map(lambda t: t[0] & ~(31 << 52) | t[1] << 52),
    cells.map(lambda c: c & ~(7 << 59)),
)


def check_cell(cell: int) -> None:
    if not quadbin.is_valid_cell(cell):
        raise ValueError(f"Invalid quadbin cell: {cell}")


def compact(value: object) -> str:
    """JSON text without spaces, floats as repr() writes them."""
    return json.dumps(value, separators=(",", ":"))


def center_text(cell: int) -> str:
    check_cell(cell)
    return compact({"type": "Point", "coordinates": list(quadbin.cell_to_point(cell))})


def bbox_text(cell: int) -> str:
    check_cell(cell)
    return compact(quadbin.cell_to_bounding_box(cell))


def boundary_text(cell: int) -> str:
    """The reference's ring (north-west first, counter-clockwise) in CARTO's QUADBIN_BOUNDARY
    order: south-west, north-west, north-east, south-east, south-west."""
    check_cell(cell)
    nw, sw, se, ne, _ = quadbin.cell_to_boundary(cell)
    return compact({"type": "Polygon", "coordinates": [[sw, nw, ne, se, sw]]})


def fromlonglat(longitude: float, latitude: float, resolution: int) -> int:
    if resolution < 0 or resolution > 26:
        raise ValueError("Invalid resolution: should be between 0 and 26")
    return quadbin.point_to_cell(longitude, latitude, resolution)


def sibling(cell: int, direction: str) -> int | None:
    check_cell(cell)
    if direction.lower() not in DIRECTIONS:
        raise ValueError(f"Wrong direction {direction!r}, should be one of: up, right, left, down")
    return quadbin.cell_sibling(cell, direction)


@st.composite
def mixed(
    draw: st.DrawFn, valid_rows: st.SearchStrategy, bad_rows: st.SearchStrategy, max_size: int = 40
) -> list:
    """1 to `max_size` rows: mostly valid ones, with nulls and bad rows anywhere (none at all
    in a quarter of the batches, so that whole-batch paths run too)."""
    if draw(st.integers(0, 3)) == 0:
        return draw(st.lists(valid_rows, min_size=1, max_size=max_size))
    row = st.one_of(valid_rows, valid_rows, valid_rows, bad_rows, st.none())
    return draw(st.lists(row, min_size=1, max_size=max_size))


def one_cell_batch_tests(reference: Callable[[int], str]) -> tuple[Callable[..., None], ...]:
    """The whole-batch tests of a function of one cell whose per-row result text is
    `reference(cell)`, for a test file to bind to its own test_* names:

        test_mixed_batches, test_large_batches, test_bad_row_after_good_ones = (
            qr.one_cell_batch_tests(qr.center_text)
        )

    Valid cells, cells that are not, and nulls, mixed in one batch: the whole response must be
    the text a per-row handler of the reference writes, so a wrong row named in an error, a
    result moved to another row or a float written differently fails."""
    from hypothesis import given, settings

    from pytest_carto import import_testing, row_by_row

    bt = import_testing("batch_testing")
    fixture_settings = bt.fixture_settings(200)
    one = cells.map(lambda c: [c])

    @fixture_settings
    @given(mixed(one, not_cells.map(lambda c: [c])))
    def test_mixed_batches(respond: Callable[[list], str], rows: list) -> None:
        assert respond(rows) == row_by_row(reference, rows)

    @settings(fixture_settings, max_examples=10)
    @given(bt.large_batches(one, not_cells))
    def test_large_batches(respond: Callable[[list], str], rows: list) -> None:
        assert respond(rows) == row_by_row(reference, rows)

    def test_bad_row_after_good_ones(respond: Callable[[list], str]) -> None:
        """Hand-written: the third row is named."""
        rows = [[5209574053332910079], [5192650370358181887], [1234], [-1]]
        assert '"row 3 of 4: ValueError: Invalid quadbin cell: 1234"' in respond(rows)
        assert respond(rows) == row_by_row(reference, rows)

    return test_mixed_batches, test_large_batches, test_bad_row_after_good_ones
