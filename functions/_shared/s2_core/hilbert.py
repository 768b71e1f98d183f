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


# CARTO's Hilbert quadkey digit of a child, by the parent's orientation and the child's
# position: CARTO walks the same curve with its own digit names. CARTO's definition is a
# table of four states (faces start in state "a", or "d" for odd faces) giving, for the
# child's (i_bit, j_bit), a digit and the next state; its states follow S2's orientations one
# to one (a: 0, d: SWAP, c: INVERT, b: SWAP | INVERT), so here it is written per orientation:
# _CARTO_DIGIT[o][i_bit << 1 | j_bit].
_CARTO_DIGIT = ("0132", "0312", "2310", "2130")


def _tables() -> tuple[list[int], list[int], list[str], dict[str, int]]:
    """For four levels at once, from a start orientation o:
    POS4[o << 8 | digits] = (i4 << 4 | j4) << 2 | o_end and IJ4[o << 8 | i4 << 4 | j4] =
    digits << 2 | o_end, digits being four 2-bit positions and i4, j4 four bits;
    QUAD4[o << 8 | digits] = CARTO's four quadkey digits, and QUAD4_POS[str(o) + those] =
    digits << 2 | o_end."""
    pos4 = [0] * 1024
    ij4 = [0] * 1024
    quad4 = [""] * 1024
    quad4_pos: dict[str, int] = {}
    for start in range(4):
        for digits in range(256):
            o, i, j, quad = start, 0, 0, ""
            for shift in (6, 4, 2, 0):
                p = digits >> shift & 3
                sub = _CHILD_IJ[o][p]
                quad += _CARTO_DIGIT[o][sub]
                i = i << 1 | sub >> 1
                j = j << 1 | sub & 1
                o ^= _CHILD_TURN[p]
            pos4[start << 8 | digits] = (i << 4 | j) << 2 | o
            ij4[start << 8 | i << 4 | j] = digits << 2 | o
            quad4[start << 8 | digits] = quad
            quad4_pos[str(start) + quad] = digits << 2 | o
    return pos4, ij4, quad4, quad4_pos


POS4, IJ4, QUAD4, QUAD4_POS = _tables()


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


def to_hilbert_quadkey(cell: int) -> str:
    """'face/digits', one digit 0-3 per level (CARTO's S2_TOHILBERTQUADKEY): the id's own
    position digits renamed four levels at a time. The walk's first chunk holds the two zero
    levels above the face (see the module docstring): their digits are dropped."""
    level = check_cell(cell)
    u = cell & 0xFFFFFFFFFFFFFFFF
    face = u >> 61
    o = face & SWAP
    parts = []
    pos4, quad4 = POS4, QUAD4
    for shift in (57, 49, 41, 33, 25, 17, 9, 1):
        k = o << 8 | (u >> shift & (255 if shift < 57 else 15))
        parts.append(quad4[k])
        o = pos4[k] & 3
    return f"{face}/{''.join(parts)[2 : 2 + level]}"


def from_hilbert_quadkey(key: str) -> int:
    """The cell id of 'face/digits' (face 0-5, 0 to 30 digits 0-3): CARTO's digits renamed
    to the id's position digits four levels at a time. Two zero levels go first (CARTO's
    digit for them is 0 from orientation 0 or 1) and zeros fill the levels below the key's,
    which the end bit then clears."""
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
    padded = "00" + digits + "0" * (MAX_LEVEL - level)
    o = face & SWAP
    pos = 0
    table = QUAD4_POS
    for start in range(0, 32, 4):
        e = table["0123"[o] + padded[start : start + 4]]
        pos = pos << 8 | e >> 2
        o = e & 3
    lsb = 1 << ((MAX_LEVEL - level) << 1)
    cell = (face << 61) | (pos << 1) | 1
    cell = (cell & -lsb) | lsb
    return cell - (1 << 64) if face > 3 else cell
