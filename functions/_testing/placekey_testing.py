"""Placekey helpers for function tests: H3 cells and near misses (from the `h3` reference
library), placekey-like texts, and the `placekey` library (0.0.36) as the reference.

The placekey library imports boto3, requests, ratelimit and backoff at import time (it has
network helpers); the dev extra installs those too, and nothing here calls the network.
"""

from __future__ import annotations

import h3.api.basic_int as h3i
import placekey
from hypothesis import strategies as st

ALPHABET = "23456789bcdfghjkmnpqrstvwxyz"
U64 = 1 << 64


def cells(resolutions: st.SearchStrategy[int] | None = None) -> st.SearchStrategy[int]:
    """Valid H3 cells as integers: a random point's cell at a resolution, pentagons included."""
    resolutions = resolutions if resolutions is not None else st.integers(0, 15)
    point_cells = st.builds(
        h3i.latlng_to_cell, st.floats(-90, 90), st.floats(-180, 180), resolutions
    )
    pentagons = resolutions.flatmap(lambda r: st.sampled_from(sorted(h3i.get_pentagons(r))))
    return point_cells | pentagons


def set_digit(index: int, position: int, digit: int) -> int:
    """`index` with digit `position` (1-15) set to `digit` (0-7)."""
    shift = 3 * (15 - position)
    return (index & ~(7 << shift)) | (digit << shift)


@st.composite
def near_misses(draw: st.DrawFn, base: st.SearchStrategy[int] | None = None) -> int:
    """A cell with one thing changed: a bit, a digit, the base cell or the resolution (many of
    them still cells), or any 64-bit value."""
    cell = draw(base if base is not None else cells())
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return cell ^ (1 << draw(st.integers(0, 63)))
    if kind == 1:
        return set_digit(cell, draw(st.integers(1, 15)), draw(st.integers(0, 7)))
    if kind == 2:
        return (cell & ~(127 << 45)) | (draw(st.integers(0, 127)) << 45)
    if kind == 3:
        return (cell & ~(15 << 52)) | (draw(st.integers(0, 15)) << 52)
    return draw(st.integers(0, U64 - 1))


def reference_is_valid_cell(index: int) -> bool:
    return 0 <= index < U64 and h3i.is_valid_cell(index)


def reference_placekey_is_valid(text: str) -> bool:
    """The library's verdict; it raises on a where part it cannot decode (an `e` outside a
    replacement word), which is not a valid placekey either."""
    try:
        return placekey.placekey_format_is_valid(text)
    except ValueError:
        return False


def reference_placekey_to_h3(text: str) -> str | None:
    return placekey.placekey_to_h3(text) if reference_placekey_is_valid(text) else None


def reference_h3_to_placekey(index: int) -> str | None:
    return placekey.h3_int_to_placekey(index) if reference_is_valid_cell(index) else None


@st.composite
def placekey_like(draw: st.DrawFn) -> str:
    """Texts near placekeys: a cell's placekey with a character changed, inserted or removed;
    three tuples of placekey characters (padding and replacement letters included); any short
    text; each sometimes behind a what part."""
    kind = draw(st.integers(0, 3))
    if kind == 0:
        text = placekey.h3_int_to_placekey(draw(cells(st.just(10))))
    elif kind == 1:
        text = list(placekey.h3_int_to_placekey(draw(cells(st.just(10)))))
        i = draw(st.integers(0, len(text) - 1))
        char = draw(st.sampled_from(ALPHABET + "aeu@-A"))
        op = draw(st.integers(0, 2))
        if op == 0:
            text[i] = char
        elif op == 1:
            text.insert(i, char)
        else:
            del text[i]
        text = "".join(text)
    elif kind == 2:
        tuple_ = st.text(ALPHABET + "aeu", min_size=3, max_size=3)
        text = "@" + "-".join(draw(st.lists(tuple_, min_size=3, max_size=3)))
    else:
        text = draw(st.text(ALPHABET + "aeu@-\n", max_size=14))
    what = draw(
        st.sampled_from(["", "227-222@", "zzz@", "0abcdefghi@", "22-zzz@", "abc@", "bcd-2x@"])
    )
    return what + text
