"""QUADBIN_TOCHILDREN: the children of a cell at a resolution, as a JSON array."""

from __future__ import annotations

from collections.abc import Sequence

from quadbin_core import FOOTER, MAX_CELLS, MAX_RESOLUTION
from quadbin_core.cells import RES_MASK, children_resolution_error
from quadbin_core.limits import TooManyCells

from carto_runtime import RowError, batch_handler

# Per resolution field (0-31): the trailing bits is_valid_cell tests; -1 for 27-31 (a cell is
# >= 0, so it never matches and those resolutions fail as in is_valid_cell).
_UNUSED = [FOOTER >> (z << 2) for z in range(MAX_RESOLUTION + 1)] + [-1] * 5
_KEEP = ~RES_MASK


def _too_many(count: int) -> TooManyCells:
    return TooManyCells(
        f"tochildren would return {count:,} cells; the limit is {MAX_CELLS:,} cells per row "
        "(one result must fit in a 65,535-byte VARCHAR(MAX)): ask for at most 5 levels more"
    )


def _children_of(z: int, r: int) -> tuple[int, int, int, int, str] | None:
    """How to write the children at resolution r of any cell at resolution z: a cell's first
    child is (cell & mask) | r_bits (its resolution set to r and its new levels' bits cleared,
    as quadbin_core.to_children), the others follow it every `step` up to first + span; the
    array is `fmt` % their tuple. None where tochildren raises."""
    if r <= z or r > MAX_RESOLUTION or 1 << ((r - z) << 1) > MAX_CELLS:
        return None
    count = 1 << ((r - z) << 1)
    shift = 52 - (r << 1)
    mask = _KEEP & ~((count - 1) << shift)
    fmt = "[" + ",".join(["%d"] * count) + "]"
    return mask, r << 52, count << shift, 1 << shift, fmt


# Per resolution field (0-31): {r: _children_of(z, r)} for every r it allows.
_CHILDREN = [
    {r: c for r in range(MAX_RESOLUTION + 1) if (c := _children_of(z, r)) is not None}
    for z in range(32)
]


def _check(cell: int, r: int) -> None:
    """Raise as tochildren does for a valid cell and a resolution it refuses."""
    z = cell >> 52 & 31
    if r <= z or r > MAX_RESOLUTION:
        raise ValueError(children_resolution_error(z))
    count = 1 << ((r - z) << 1)
    if count > MAX_CELLS:
        raise _too_many(count)


@batch_handler
def lambda_handler(rows: Sequence[Sequence[int]]) -> list[str]:
    # One plain loop: a whole-batch path on lanes was not 1.5x faster on the handler at
    # 10,000 rows (benchmarks/handlers.py --fast-paths), so it was dropped. The children of
    # a cell at resolution r are consecutive multiples of one step (the lowest of the bits of
    # level r): each row's array is one formatting of their range.
    out: list[str] = []
    append = out.append
    unused_bits = _UNUSED
    children = _CHILDREN
    try:
        for cell, r in rows:
            z = cell >> 52 & 31
            unused = unused_bits[z]
            if cell >> 59 != 9 or cell & unused != unused:  # is_valid_cell (< 0 fails too)
                raise ValueError(f"Invalid quadbin cell: {cell}")
            how = children[z].get(r)
            if how is None or type(r) is not int:
                _check(cell, r)  # raises, for every resolution tochildren refuses
                how = _children_of(z, r)  # an int subclass (bool) or other number it takes
            mask, r_bits, span, step, fmt = how
            first = (cell & mask) | r_bits
            append(fmt % tuple(range(first, first + span, step)))
    except Exception as exc:
        raise RowError(len(out), exc) from exc
    return out
