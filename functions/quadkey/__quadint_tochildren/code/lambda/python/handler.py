"""__QUADINT_TOCHILDREN: the children of a quadint at a zoom, as JSON text.

A batch asking the same number of levels on every row (the usual query), with every parent
valid and no row refused, is computed on every parent at once (quadint_core.rings: the
parents' fields shifted up on 64-bit lanes, plus each child's offsets) and written by one JSON
encoding of the whole batch; any other batch goes row by row through `children_text`, the
definition, which also names the first row to refuse.
"""

from __future__ import annotations

from collections.abc import Sequence

from quadint_core import MAX_ZOOM, check_quadint
from quadint_core.lanes import json_arrays
from quadint_core.limits import max_cells, too_many
from quadint_core.rings import children_columns
from quadint_core.tiles import check_children_zoom

from carto_runtime import RowError, batch_handler

SEPARATOR = ", "  # between children, as json.dumps writes them

# The most levels at once that no zoom refuses (zoom 29 has the longest quadints); a batch
# asking for more goes row by row, where each row is checked against its own zoom.
MAX_LEVELS_ANY_ZOOM = max(
    levels for levels in range(1, MAX_ZOOM + 1) if 1 << 2 * levels <= max_cells(MAX_ZOOM, SEPARATOR)
)


def children_text(quadint: int, resolution: int) -> str:
    """One row's result, every check in order: the definition the batch path must match."""
    z, x, y = check_quadint(quadint)
    check_children_zoom(z, resolution)
    levels = resolution - z
    count = 1 << (2 * levels)
    limit = max_cells(resolution, SEPARATOR)
    if count > limit:
        raise too_many("tochildren", count, limit, "Ask for fewer levels at once.")
    side = 1 << levels
    x0 = x << levels
    y0 = y << levels
    # Column by column, north to south within each, as CARTO's implementation lists them.
    shift = resolution + 5
    rows = [((y0 + j) << shift) | resolution for j in range(side)]
    return (
        "[" + SEPARATOR.join(str(row | ((x0 + i) << 5)) for i in range(side) for row in rows) + "]"
    )


def _levels(rows: Sequence[Sequence[int]]) -> int | None:
    """The number of levels every row asks for, when it is one number the batch path takes."""
    try:
        levels = {resolution - (quadint & 31) for quadint, resolution in rows}
    except TypeError:  # not integers: row by row says what fails
        return None
    if len(levels) != 1:
        return None
    (levels,) = levels
    if type(levels) is not int or not 1 <= levels <= MAX_LEVELS_ANY_ZOOM:
        return None
    return levels


@batch_handler
def lambda_handler(rows: Sequence[Sequence[int]]) -> list[str]:
    levels = _levels(rows)
    if levels is not None:
        columns = children_columns([quadint for quadint, _ in rows], levels)
        if columns is not None:
            return json_arrays(columns, len(rows))
    out: list[str] = []
    try:
        for quadint, resolution in rows:
            out.append(children_text(quadint, resolution))
    except Exception as exc:
        raise RowError(len(out), exc) from exc
    return out
