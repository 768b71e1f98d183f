"""QUADBIN_TOQUADKEY: the quadkey of a quadbin cell."""

from __future__ import annotations

from collections.abc import Sequence

from quadbin_core import CELL_BASE, FOOTER, MAX_RESOLUTION
from quadbin_core.batch import first_invalid

from carto_runtime import batch_handler

# A cell is 16 hex digits: 3 for header, mode and resolution, then 13 for the 52 payload bits,
# which are the 26 base-4 digits of the quadkey at resolution 26 (one hex digit, two quadkey
# digits). The quadkey at resolution z is the first z of those 26 digits.
# Two byte-for-byte translations give each hex digit's high and low base-4 digit.
_HEX = b"0123456789abcdef"
_HIGH_DIGIT = bytes.maketrans(_HEX, b"0000111122223333")
_LOW_DIGIT = bytes.maketrans(_HEX, b"0123012301230123")
_LOWEST = CELL_BASE  # every valid cell has bits 62-59 equal to 0b1001
_HIGHEST = CELL_BASE | (1 << 59) - 1
# The trailing bits is_valid_cell tests at each resolution (none from resolution 13 on).
_UNUSED = [FOOTER >> (z << 2) for z in range(MAX_RESOLUTION + 1)]


def _check(cells: list[int]) -> list[int]:
    """The resolution of each cell, raising a RowError for the first invalid one
    (is_valid_cell)."""
    try:
        if min(cells) >= _LOWEST and max(cells) <= _HIGHEST:
            zs = [(c >> 52) & 31 for c in cells]
            if max(zs) <= MAX_RESOLUTION:
                unused = list(map(_UNUSED.__getitem__, zs))
                if min(zs) >= 13 or list(map(int.__and__, cells, unused)) == unused:
                    return zs
    except Exception:
        pass  # a value that is not an int: first_invalid names its row
    raise first_invalid(cells)


@batch_handler
def lambda_handler(rows: Sequence[tuple[int]]) -> list[str]:
    cells = [cell for (cell,) in rows]
    zs = _check(cells)
    # Every cell's payload in base 4 at once: 32 digits a cell, the key from the 7th.
    hexdigits = (("%016x" * len(cells)) % tuple(cells)).encode("ascii")
    interleaved = bytearray(2 * len(hexdigits))
    interleaved[0::2] = hexdigits.translate(_HIGH_DIGIT)
    interleaved[1::2] = hexdigits.translate(_LOW_DIGIT)
    digits = interleaved.decode("ascii")
    starts = range(6, 32 * len(cells), 32)
    return list(map(digits.__getitem__, map(slice, starts, map(int.__add__, starts, zs))))
