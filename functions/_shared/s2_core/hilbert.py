"""The Hilbert curve of each face: (face, i, j) <-> cell id, and CARTO's Hilbert quadkeys.

S2 numbers the four children of a cell along a Hilbert curve whose orientation (two bits:
SWAP exchanges i and j, INVERT reverses both) depends on where the cell sits; faces start
with orientation `face & SWAP`. The tables below walk four levels at once.

Leaf coordinates i and j have 30 bits; the walks read them in eight 4-bit chunks, the first
holding two levels above the face. Those two levels are (0, 0) at orientation 0 or 1 (what a
face starts with): position 0 each time, and the orientation swaps twice, so back where it
started. The walk is therefore exact, and the position's two extra digits are zero.
"""

from __future__ import annotations

from s2_core.cells import MAX_LEVEL, check_cell

SWAP = 1
INVERT = 2
# S2's definition: in orientation o, the child at position p (0-3) is the sub-square
# (i_bit << 1 | j_bit) = _CHILD_IJ[o][p], with orientation o ^ _CHILD_TURN[p].
_CHILD_IJ = ((0, 1, 3, 2), (0, 2, 3, 1), (3, 2, 0, 1), (3, 1, 0, 2))
_CHILD_TURN = (SWAP, 0, 0, SWAP | INVERT)


def _tables() -> tuple[list[int], list[int]]:
    """POS4[o << 8 | digits] = (i4 << 4 | j4) << 2 | o_end and IJ4[o << 8 | i4 << 4 | j4] =
    digits << 2 | o_end, for four levels: digits are four 2-bit positions, i4, j4 four bits."""
    pos4 = [0] * 1024
    ij4 = [0] * 1024
    for start in range(4):
        for digits in range(256):
            o, i, j = start, 0, 0
            for shift in (6, 4, 2, 0):
                p = digits >> shift & 3
                sub = _CHILD_IJ[o][p]
                i = i << 1 | sub >> 1
                j = j << 1 | sub & 1
                o ^= _CHILD_TURN[p]
            pos4[start << 8 | digits] = (i << 4 | j) << 2 | o
            ij4[start << 8 | i << 4 | j] = digits << 2 | o
    return pos4, ij4


POS4, IJ4 = _tables()


def leaf_from_face_ij(face: int, i: int, j: int) -> int:
    """The signed id of the leaf cell (face, i, j), 0 <= i, j < 2**30."""
    o = face & SWAP
    pos = 0
    table = IJ4
    for shift in (28, 24, 20, 16, 12, 8, 4, 0):
        e = table[o << 8 | (i >> shift & 15) << 4 | (j >> shift & 15)]
        pos = pos << 8 | e >> 2
        o = e & 3
    cell = (face << 61) | (pos << 1) | 1
    return cell - (1 << 64) if face > 3 else cell


def face_ij(cell: int) -> tuple[int, int, int]:
    """(face, i, j) of a valid cell id: the leaf coordinates its id reads as (for a cell above
    level 30, a leaf inside it: its top `level` bits of i and j are the cell's own)."""
    u = cell & 0xFFFFFFFFFFFFFFFF
    face = u >> 61
    o = face & SWAP
    i = j = 0
    table = POS4
    for shift in (57, 49, 41, 33, 25, 17, 9, 1):
        e = table[o << 8 | (u >> shift & 255) & (255 if shift < 57 else 15)]
        i = i << 4 | e >> 6
        j = j << 4 | (e >> 2) & 15
        o = e & 3
    return face, i, j


# CARTO's Hilbert quadkey: per level from the top, the cell's (x, y) bits pick a digit and
# the next state; faces start in state A (even) or D (odd). CARTO's definition, by state:
# (x_bit, y_bit) = (0,0), (0,1), (1,0), (1,1) -> (digit, next state).
_A, _B, _C, _D = range(4)
_QUAD_STEPS = (
    ((0, _D), (1, _A), (3, _B), (2, _A)),
    ((2, _B), (1, _B), (3, _A), (0, _C)),
    ((2, _C), (3, _D), (1, _C), (0, _B)),
    ((0, _A), (3, _C), (1, _D), (2, _D)),
)


def _quad_tables() -> tuple[list[str], list[int], dict[tuple[int, str], tuple[int, int, int]]]:
    """KEY4[s << 8 | x4 << 4 | y4] = four digits, NEXT4[...] = the state after them, and
    XY4[(s, four digits)] = (x4, y4, state after), for four levels at a time."""
    key4 = [""] * 1024
    next4 = [0] * 1024
    xy4: dict[tuple[int, str], tuple[int, int, int]] = {}
    for start in range(4):
        for x in range(16):
            for y in range(16):
                s, digits = start, ""
                for shift in (3, 2, 1, 0):
                    d, s = _QUAD_STEPS[s][(x >> shift & 1) << 1 | y >> shift & 1]
                    digits += "0123"[d]
                key4[start << 8 | x << 4 | y] = digits
                next4[start << 8 | x << 4 | y] = s
                xy4[start, digits] = (x, y, s)
    return key4, next4, xy4


KEY4, NEXT4, XY4 = _quad_tables()


def to_hilbert_quadkey(cell: int) -> str:
    """'face/digits', one digit 0-3 per level (CARTO's S2_TOHILBERTQUADKEY)."""
    level = check_cell(cell)
    face, i, j = face_ij(cell)
    drop = MAX_LEVEL - level
    # the cell's (x, y) at its level, left-aligned on a multiple of four levels
    pad = -level & 3
    x = (i >> drop) << pad
    y = (j >> drop) << pad
    s = _D if face & 1 else _A
    parts = []
    for shift in range(level + pad - 4, -1, -4):
        k = s << 8 | (x >> shift & 15) << 4 | (y >> shift & 15)
        parts.append(KEY4[k])
        s = NEXT4[k]
    digits = "".join(parts)
    return f"{face}/{digits[: len(digits) - pad]}" if pad else f"{face}/{digits}"


def from_hilbert_quadkey(key: str) -> int:
    """The cell id of 'face/digits' (face 0-5, 0 to 30 digits 0-3)."""
    if type(key) is not str:
        raise ValueError(f"Invalid Hilbert quadkey: {key!r}")
    face_text, slash, digits = key.partition("/")
    if (
        not slash
        or face_text not in ("0", "1", "2", "3", "4", "5")
        or len(digits) > MAX_LEVEL
        or digits.strip("0123")
    ):
        raise ValueError(
            f"Invalid Hilbert quadkey: {key!r} (expected 'face/digits': a face 0-5, a slash "
            "and 0 to 30 digits 0-3)"
        )
    face = ord(face_text) - 48
    level = len(digits)
    pad = -level & 3
    padded = digits + "0" * pad
    s = _D if face & 1 else _A
    x = y = 0
    for start in range(0, len(padded), 4):
        x4, y4, s = XY4[s, padded[start : start + 4]]
        x = x << 4 | x4
        y = y << 4 | y4
    drop = MAX_LEVEL - level
    i = (x >> pad) << drop
    j = (y >> pad) << drop
    leaf = leaf_from_face_ij(face, i, j)
    lsb = 1 << (drop << 1)
    return (leaf & -lsb) | lsb
