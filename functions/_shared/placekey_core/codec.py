"""The placekey encoding of an H3 index (the `where` part), and placekey validity.

A placekey's `where` part encodes the 43 bits of a resolution-10 H3 cell that hold its
location (base cell + 1 and the first 12 digits) in base 28, cleaned of a few words, padded
with `a` to 9 characters and written `@xxx-xxx-xxx`. Decoding rebuilds the index with the
resolution-10 header and digits 13-15 set to 7. The optional `what` part before the `@` is
checked for its format only.
"""

from __future__ import annotations

from placekey_core.h3index import is_valid_cell, parse_h3

ALPHABET = "23456789bcdfghjkmnpqrstvwxyz"
_BASE = len(ALPHABET)
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
# Two base-28 digits at a time: 784 strings, built in microseconds at import.
_PAIRS = [a + b for a in ALPHABET for b in ALPHABET]
_PAIR = _BASE * _BASE
# Placekey digits to the digits int(text, 28) reads: "2" -> "0" ... "z" -> "r".
_TO_BASE_28 = str.maketrans(ALPHABET, "0123456789abcdefghijklmnopqr")

_BASE_CELL_SHIFT = 1 << 45  # adding it moves the base cell up by one: base cell 0 is not 0
_LOCATION_BITS = 52  # below the mode, reserved and resolution bits
_DROPPED_BITS = 9  # digits 13-15: always 7 in a resolution-10 cell
_RESOLUTION_10_HEADER = 0x08A << 52  # mode 1, resolution 10
_DROPPED_DIGITS = (1 << _DROPPED_BITS) - 1

# The formats, checked with str.strip (no `re`: it would add milliseconds to a cold start).
# A where part: three tuples of three, the first may hold padding, e and u come from words.
_WHERE_FIRST = f"{ALPHABET}eu{_PADDING}"
_WHERE_OTHERS = f"{ALPHABET}eu"
# A what part: [alphabet]{3,} with an optional -[alphabet]{3,}, or 0/1 then 9 of base 32.
_WHAT_V2_FIRST = "01"
_WHAT_V2_REST = "abcdefghijklmnopqrstuvwxyz234567"


def _where_format(where: str) -> bool:
    return (
        len(where) == 11
        and where[3] == "-"
        and where[7] == "-"
        and not where[:3].strip(_WHERE_FIRST)
        and not where[4:7].strip(_WHERE_OTHERS)
        and not where[8:].strip(_WHERE_OTHERS)
    )


def _what_format(what: str) -> bool:
    if len(what) == 10 and what[0] in _WHAT_V2_FIRST and not what[1:].strip(_WHAT_V2_REST):
        return True
    words = what.split("-")
    return len(words) <= 2 and all(len(w) >= 3 and not w.strip(ALPHABET) for w in words)


def encode(index: int) -> str:
    """The placekey of an H3 index (any 64-bit value; validity is the caller's test)."""
    short = ((index + _BASE_CELL_SHIFT) % (1 << _LOCATION_BITS)) >> _DROPPED_BITS
    # 43 bits are at most 9 base-28 digits (28^9 > 2^43): one, then four pairs
    rest, d4 = divmod(short, _PAIR)
    rest, d3 = divmod(rest, _PAIR)
    rest, d2 = divmod(rest, _PAIR)
    d0, d1 = divmod(rest, _PAIR)
    pairs = _PAIRS
    code = (ALPHABET[d0] + pairs[d1] + pairs[d2] + pairs[d3] + pairs[d4]).lstrip(ALPHABET[0])
    if not code:
        code = ALPHABET[0]
    for word, replacement in _REPLACEMENTS:
        if word in code:
            code = code.replace(word, replacement)
    code = code.rjust(9, _PADDING)  # replacements keep lengths: 9 characters at most
    return f"@{code[:3]}-{code[3:6]}-{code[6:]}"


def decode(where: str) -> int | None:
    """The H3 index a `where` part stands for, or None when it holds a character that does
    not decode (an `e` or `u` outside a replacement). Only placekey characters, `@` and `-`
    are expected: the format is the caller's test."""
    code = where.replace("@", "").replace("-", "").replace(_PADDING, "")
    if "e" in code or "u" in code:
        for word, replacement in _REVERSED:
            if replacement in code:
                code = code.replace(replacement, word)
        if "e" in code or "u" in code:
            return None
    short = int(code.translate(_TO_BASE_28), 28) if code else 0
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
    if not _where_format(where):
        return None
    index = decode(where)
    return index if index is not None and is_valid_cell(index) else None


def _valid_index(placekey: str) -> int | None:
    parts = _split(placekey)
    if parts is None:
        return None
    what, where = parts
    if what and not _what_format(what):
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
