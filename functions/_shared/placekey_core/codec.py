"""The placekey encoding of an H3 index (the `where` part), and placekey validity.

A placekey's `where` part encodes the 43 bits of a resolution-10 H3 cell that hold its
location (base cell + 1 and the first 12 digits) in base 28, cleaned of a few words, padded
with `a` to 9 characters and written `@xxx-xxx-xxx`. Decoding rebuilds the index with the
resolution-10 header and digits 13-15 set to 7. The optional `what` part before the `@` is
checked for its format only.
"""

from __future__ import annotations

import re

from placekey_core.h3index import is_valid_cell, parse_h3

ALPHABET = "23456789bcdfghjkmnpqrstvwxyz"
_BASE = len(ALPHABET)
_DIGIT_VALUES = {c: i for i, c in enumerate(ALPHABET)}
_PADDING = "a"
# Each (word, replacement) applies in this order when encoding, in reverse when decoding.
_REPLACEMENTS = (
    ("prn", "pre"),
    ("f4nny", "f4nne"),
    ("tw4t", "tw4e"),
    ("ngr", "ngu"),
    ("dck", "dce"),
    ("vjn", "vju"),
    ("fck", "fce"),
    ("pns", "pne"),
    ("sht", "she"),
    ("kkk", "kke"),
    ("fgt", "fgu"),
    ("dyk", "dye"),
    ("bch", "bce"),
)
_REVERSED = _REPLACEMENTS[::-1]

_BASE_CELL_SHIFT = 1 << 45  # adding it moves the base cell up by one: base cell 0 is not 0
_LOCATION_BITS = 52  # below the mode, reserved and resolution bits
_DROPPED_BITS = 9  # digits 13-15: always 7 in a resolution-10 cell
_RESOLUTION_10_HEADER = 0x08A << 52  # mode 1, resolution 10
_DROPPED_DIGITS = (1 << _DROPPED_BITS) - 1

# fullmatch, so a trailing newline is not part of a valid placekey
_WHERE = re.compile(f"[{ALPHABET}eu{_PADDING}]{{3}}-[{ALPHABET}eu]{{3}}-[{ALPHABET}eu]{{3}}")
_WHAT_V1 = re.compile(f"[{ALPHABET}]{{3,}}(-[{ALPHABET}]{{3,}})?")
_WHAT_V2 = re.compile("[01][a-z2-7]{9}")


def encode(index: int) -> str:
    """The placekey of an H3 index (any 64-bit value; validity is the caller's test)."""
    short = ((index + _BASE_CELL_SHIFT) % (1 << _LOCATION_BITS)) >> _DROPPED_BITS
    digits = []
    while short:
        short, digit = divmod(short, _BASE)
        digits.append(ALPHABET[digit])
    code = "".join(reversed(digits)) or ALPHABET[0]
    for word, replacement in _REPLACEMENTS:
        if word in code:
            code = code.replace(word, replacement)
    # 43 bits need at most 9 base-28 digits (28^9 > 2^43) and replacements keep lengths
    code = code.rjust(9, _PADDING)
    return f"@{code[:3]}-{code[3:6]}-{code[6:]}"


def decode(where: str) -> int | None:
    """The H3 index a `where` part stands for, or None when it holds a character that does
    not decode (an `e` or `u` outside a replacement). The format is the caller's test."""
    code = where.replace("@", "").replace("-", "").replace(_PADDING, "")
    if "e" in code or "u" in code:
        for word, replacement in _REVERSED:
            if replacement in code:
                code = code.replace(replacement, word)
    short = 0
    values = _DIGIT_VALUES
    for char in code:
        value = values.get(char)
        if value is None:
            return None
        short = short * _BASE + value
    return _RESOLUTION_10_HEADER + _DROPPED_DIGITS - _BASE_CELL_SHIFT + (short << _DROPPED_BITS)


def _split(placekey: str) -> tuple[str, str] | None:
    """(what, where); what is '' when absent. None for more than one `@`."""
    what, at, where = placekey.partition("@")
    if not at:
        return "", placekey
    if "@" in where:
        return None
    return what, where


def _valid_where_index(where: str) -> int | None:
    if _WHERE.fullmatch(where) is None:
        return None
    index = decode(where)
    return index if index is not None and is_valid_cell(index) else None


def _valid_index(placekey: str) -> int | None:
    parts = _split(placekey)
    if parts is None:
        return None
    what, where = parts
    if what and _WHAT_V1.fullmatch(what) is None and _WHAT_V2.fullmatch(what) is None:
        return None
    return _valid_where_index(where)


def is_valid_placekey(placekey: str) -> bool:
    """True for a well-formed placekey whose `where` part is a valid H3 cell."""
    return _valid_index(placekey) is not None


def placekey_to_h3(placekey: str) -> str | None:
    """The H3 index (lower-case hexadecimal) of a valid placekey, else None."""
    index = _valid_index(placekey)
    return None if index is None else format(index, "x")


def h3_to_placekey(h3_text: str) -> str | None:
    """The placekey of a valid H3 cell given as hexadecimal text, else None."""
    index = parse_h3(h3_text)
    if index is None or not is_valid_cell(index):
        return None
    return encode(index)
