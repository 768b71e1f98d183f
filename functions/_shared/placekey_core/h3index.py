"""H3 cell indexes: the 64-bit layout and an exact validity test.

Layout, high bit first: 1 reserved bit (0), 4 mode bits (1 for a cell), 3 reserved bits (0),
4 resolution bits, 7 base-cell bits (0-121), then 15 digits of 3 bits, digit 1 first. Digits
1..resolution are 0-6; the ones after the resolution are all 7. A pentagon's base cell has no
child in the deleted K axis: its first non-zero digit cannot be 1.
"""

from __future__ import annotations

# The top byte of every cell: reserved bit 0, mode 1, reserved bits 0.
_CELL_TOP_BYTE = 0b0000_1000
_BASE_CELLS = 122
_PENTAGON_BASE_CELLS = frozenset((4, 14, 24, 38, 49, 58, 63, 72, 83, 97, 107, 117))
_K_AXES_DIGIT = 1
_U64 = 1 << 64

# The low bit of each of the 15 digits: x & (x >> 1) & (x >> 2) & _DIGIT_LOW_BITS is non-zero
# exactly when some digit of x is 7, for all digits at once.
_DIGIT_LOW_BITS = int("001" * 15, 2)


def is_valid_cell(index: int) -> bool:
    """True when `index` (a Python int) is a valid H3 cell, as `h3.is_valid_cell` says."""
    if not 0 <= index < _U64 or index >> 56 != _CELL_TOP_BYTE:
        return False
    if (index >> 45) & 127 >= _BASE_CELLS:
        return False
    unused_bits = 3 * (15 - ((index >> 52) & 15))
    unused_mask = (1 << unused_bits) - 1
    if index & unused_mask != unused_mask:  # every digit after the resolution must be 7
        return False
    used = (index & ((1 << 45) - 1)) >> unused_bits
    if used & (used >> 1) & (used >> 2) & _DIGIT_LOW_BITS:  # a used digit is 7
        return False
    if used and (index >> 45) & 127 in _PENTAGON_BASE_CELLS:
        # the first non-zero digit is the one holding the highest set bit
        first = (used >> (3 * ((used.bit_length() - 1) // 3))) & 7
        if first == _K_AXES_DIGIT:
            return False
    return True


def parse_h3(text: str) -> int | None:
    """The integer a hexadecimal H3 text stands for, or None when it is not hexadecimal.

    Accepts exactly what `int(text, 16)` accepts, as h3 and the placekey library do (surrounding
    whitespace, a `0x` prefix, upper case, `_` between digits); validity is a separate test.
    """
    try:
        return int(text, 16)
    except (ValueError, TypeError):
        return None
