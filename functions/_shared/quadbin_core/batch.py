"""Whole-batch loops for the hot scalar functions (used with carto_runtime.batch_handler).

The per-row functions in `cells` and `geo` cost a call or two per row, and so does the
per-row runtime; at 10,000 rows that is most of the time. These loops inline the same
arithmetic (the same float expressions, so results stay bit-identical) with everything in
local variables. A row that fails raises carto_runtime.RowError with its 0-based index, so
the error response names the row as a per-row handler's does.
"""

from __future__ import annotations

import math
from array import array
from binascii import hexlify, unhexlify
from collections.abc import Sequence

from lanes64 import (
    CHUNK_ROWS,
    by_table,
    float_texts,
    in_chunks,
    pack,
    pack_raw,
    repeat,
    shift_left,
    unpack_list,
)
from lanes64 import spread as spread_lanes

from carto_runtime import RowError
from quadbin_core.cells import (
    CELL_BASE,
    DIRECTIONS,
    FOOTER,
    RESOLUTION_ERROR,
    check_tile,
    from_quadkey,
    is_valid_cell,
    spread,
    tile_to_cell,
)

_PI = math.pi

try:
    import orjson as _orjson
except ImportError:  # pragma: no cover - the standard library gives the same texts
    _orjson = None


def _invalid(cell: int) -> ValueError:
    return ValueError(f"Invalid quadbin cell: {cell}")


def first_invalid(cells: Sequence[int]) -> RowError:
    """A RowError for the first cell of `cells` that is not valid (or cannot be tested)."""
    for i, cell in enumerate(cells):
        try:
            ok = is_valid_cell(cell)
        except Exception as exc:
            return RowError(i, exc)
        if not ok:
            return RowError(i, _invalid(cell))
    return RowError(0, ValueError("no invalid cell"))  # pragma: no cover - callers checked


# Bits of every 13-bit number spread to the even positions (26 bits): two lookups interleave
# a 26-bit coordinate on small integers, cheaper in Python than the 128-bit word of `cells`.
_SPREAD13 = [0]
for _bit in range(13):
    _SPREAD13 += [v | (1 << (2 * _bit)) for v in _SPREAD13]
# Everything of a cell but its tile bits, per resolution: header, mode, z, trailing ones.
_HEADS = [CELL_BASE | (z << 52) | (FOOTER >> (z << 1)) for z in range(27)]


def points_to_cells(rows: Sequence[Sequence[float]]) -> list[int]:
    """quadbin_core.geo.point_to_cell over (longitude, latitude, resolution) rows."""
    sin = math.sin
    log = math.log
    spread = _SPREAD13
    heads = _HEADS
    out = []
    append = out.append
    try:
        for lon, lat, z in rows:
            if z < 0 or z > 26:
                raise ValueError(RESOLUTION_ERROR)
            z2 = 1 << z
            # clip as max(min(v, hi), lo) does, NaN included
            if lon > 180.0:
                lon = 180.0
            elif lon < -180.0:
                lon = -180.0
            if lat > 89.0:
                lat = 89.0
            elif lat < -89.0:
                lat = -89.0
            sinlat = sin(lat * _PI / 180.0)
            # x and y are >= 0 here, so int() is floor()
            x = int(z2 * (lon / 360.0 + 0.5) % z2)
            y = z2 * (0.5 - 0.25 * log((1 + sinlat) / (1 - sinlat)) / _PI)
            if y > z2 - 1:
                y = z2 - 1
            elif y < 0:
                y = 0
            y = int(y)
            tile = spread[x & 8191] | spread[x >> 13] << 26
            tile |= (spread[y & 8191] | spread[y >> 13] << 26) << 1
            append(heads[z] | (tile << (52 - 2 * z)))
    except Exception as exc:
        raise RowError(len(out), exc) from exc
    return out


# Deinterleaving by lookup: a 13-bit run of payload bits -> its x bits | its y bits << 32.
# A run starting on an even bit begins with an x bit (_RUN_EVEN), one starting on an odd bit
# with a y bit (_RUN_ODD, x placed one bit up so that both runs shift alike); four lookups
# split the 52 payload bits into x and y, 26 bits each, 32 bits apart.
_RUN_EVEN = [0]
_RUN_ODD = [0]
for _bit in range(13):
    _x, _y = 1 << (_bit >> 1), 1 << (32 + (_bit >> 1))
    _RUN_EVEN += [v | (_y if _bit & 1 else _x) for v in _RUN_EVEN]
    _RUN_ODD += [v | (_x << 1 if _bit & 1 else _y) for v in _RUN_ODD]
# The trailing bits is_valid_cell tests, per resolution field (0-31); -1 never matches a cell
# (a cell is >= 0), so resolutions 27-31 fail the same test.
_UNUSED = [FOOTER >> (z << 2) for z in range(27)] + [-1] * 5
# Per resolution field (0-31): the trailing bits is_valid_cell tests (-1 for 27-31: a cell is
# >= 0, so it never matches), the shift from 26-bit to z-bit x and y, and constants of the
# center's coordinates, computed exactly as in geo.cell_to_point: its
# 180 * (2.0 * (x + 0.5) / n - 1.0) is exact (x + 0.5, * 2.0, / 2^z and - 1.0 lose nothing,
# and 180 times a 28-bit dyadic fraction fits a double), so it is (360 x + 180 - 180 n) / n;
# in the latitude, -(2.0 * (y + 0.5) / n - 1) * pi is the exact (n - 1 - 2y) / n times pi,
# rounded once, which is (n - 1 - 2y) times the exact pi / n, rounded once.
_CENTER = [
    (FOOTER >> (z << 2), 26 - z, 180 - 180 * (1 << z), 2.0**-z, (1 << z) - 1, _PI / (1 << z))
    for z in range(27)
] + [(-1, 0, 0, 0.0, 0, 0.0)] * 5


def centers_geojson(cells: Sequence[int]) -> list[str]:
    exp = math.exp
    atan = math.atan
    pi = _PI
    run_even = _RUN_EVEN
    run_odd = _RUN_ODD
    constants = _CENTER
    coords: list[float] = []  # lon, lat, lon, lat, ...
    append = coords.append
    try:
        for cell in cells:
            unused, s, offset, scale, top, pi_scale = constants[cell >> 52 & 31]
            # is_valid_cell inlined (a negative cell fails the first test)
            if cell >> 59 != 9 or cell & unused != unused:
                raise _invalid(cell)
            v = (
                run_even[cell & 8191]
                | run_odd[cell >> 13 & 8191] << 6
                | run_even[cell >> 26 & 8191] << 13
                | run_odd[cell >> 39 & 8191] << 19
            )
            append((360 * ((v & 0xFFFFFFFF) >> s) + offset) * scale)
            append(360 * (atan(exp((top - 2 * (v >> 32 + s)) * pi_scale)) / pi - 0.25))
    except Exception as exc:
        raise RowError(len(coords) >> 1, exc) from exc
    texts = float_texts(coords)
    return [
        f'{{"type":"Point","coordinates":[{lon},{lat}]}}'
        for lon, lat in zip(texts[0::2], texts[1::2], strict=True)
    ]


# Per resolution field (0-31), as _CENTER: the trailing bits is_valid_cell tests, the shift
# from 26-bit to z-bit x and y, then constants of the corners, computed exactly as in
# geo.cell_to_bbox: 180 * (2.0 * x / n - 1.0) is exact, so it is (360 x - 180 n) / n, and
# 180 * (2.0 * (x + 1) / n - 1.0) is (360 x + 360 - 180 n) / n; -(2.0 * y / n - 1) * pi is
# (n - 2y) times the exact pi / n rounded once, and -(2.0 * (y + 1) / n - 1) * pi is
# (n - 2y - 2) times it.
_CORNERS = [
    (FOOTER >> (z << 2), 26 - z, -180 << z, 360 - (180 << z), 2.0**-z, 1 << z, _PI / (1 << z))
    for z in range(27)
] + [(-1, 0, 0, 0, 0.0, 0, 0.0)] * 5


def _corners(cells: Sequence[int]) -> list[str]:
    """repr() of west, south, east, north of each cell, one after the other, validating them."""
    exp = math.exp
    atan = math.atan
    pi = _PI
    run_even = _RUN_EVEN
    run_odd = _RUN_ODD
    constants = _CORNERS
    values: list[float] = []
    append = values.append
    try:
        for cell in cells:
            unused, s, west, east, scale, top, pi_scale = constants[cell >> 52 & 31]
            # is_valid_cell inlined (a negative cell fails the first test)
            if cell >> 59 != 9 or cell & unused != unused:
                raise _invalid(cell)
            v = (
                run_even[cell & 8191]
                | run_odd[cell >> 13 & 8191] << 6
                | run_even[cell >> 26 & 8191] << 13
                | run_odd[cell >> 39 & 8191] << 19
            )
            x = 360 * ((v & 0xFFFFFFFF) >> s)
            a = top - 2 * (v >> 32 + s)
            append((x + west) * scale)
            append(360 * (atan(exp((a - 2) * pi_scale)) / pi - 0.25))
            append((x + east) * scale)
            append(360 * (atan(exp(a * pi_scale)) / pi - 0.25))
    except Exception as exc:
        raise RowError(len(values) >> 2, exc) from exc
    return float_texts(values)


def bboxes_json(cells: Sequence[int]) -> list[str]:
    t = _corners(cells)
    return [
        f"[{w},{s},{e},{n}]" for w, s, e, n in zip(t[0::4], t[1::4], t[2::4], t[3::4], strict=True)
    ]


def boundaries_geojson(cells: Sequence[int]) -> list[str]:
    """geo.boundary_geojson of every cell: rings start south-west, clockwise (CARTO's order)."""
    t = _corners(cells)
    return [
        f'{{"type":"Polygon","coordinates":[[[{w},{s}],[{w},{n}],[{e},{n}],[{e},{s}],[{w},{s}]]]}}'
        for w, s, e, n in zip(t[0::4], t[1::4], t[2::4], t[3::4], strict=True)
    ]


def tiles_to_cells(rows: Sequence[Sequence[int]]) -> list[int]:
    """check_tile then tile_to_cell over (z, x, y) rows."""
    fast = _bulk_tiles_to_cells(rows)
    if fast is not None:
        return fast
    # a batch with a row to refuse: the per-row definition names it
    out: list[int] = []
    append = out.append
    try:
        for z, x, y in rows:
            check_tile(x, y, z)
            append(tile_to_cell(x, y, z))
    except Exception as exc:
        raise RowError(len(out), exc) from exc
    return out


def quadints_to_cells(rows: Sequence[Sequence[int]]) -> list[int]:
    """The cell of the tile of each quadint ((y << z | x) << 5 | z), refusing bad quadints."""
    fast = _bulk_quadints_to_cells(rows)
    if fast is not None:
        return fast
    # a batch with a row to refuse: row by row, naming it
    out: list[int] = []
    append = out.append
    try:
        for (quadint,) in rows:
            if quadint < 0:
                raise ValueError(f"Invalid quadint: {quadint}")
            z = quadint & 31
            if z > 26:
                raise ValueError(RESOLUTION_ERROR)
            x = (quadint >> 5) & ((1 << z) - 1)
            y = quadint >> (z + 5)
            if y >> z:
                raise ValueError(f"Invalid quadint: {quadint}")
            append(tile_to_cell(x, y, z))
    except Exception as exc:
        raise RowError(len(out), exc) from exc
    return out


def _direction(direction: str) -> tuple[int, int]:
    step = DIRECTIONS.get(direction.lower())
    if step is None:
        raise ValueError(f"Wrong direction {direction!r}, should be one of: up, right, left, down")
    return step


def siblings(rows: Sequence[Sequence[int | str]]) -> list[int | None]:
    """check_cell then sibling over (cell, direction) rows."""
    fast = _bulk_siblings(rows)
    if fast is not None:
        return fast
    spread = _SPREAD13
    heads = _HEADS
    run_even = _RUN_EVEN
    run_odd = _RUN_ODD
    unused_bits = [c[0] for c in _CENTER]
    steps = DIRECTIONS
    out: list[int | None] = []
    append = out.append
    try:
        for cell, direction in rows:
            z = cell >> 52 & 31
            unused = unused_bits[z]
            if cell >> 59 != 9 or cell & unused != unused:  # is_valid_cell (< 0 fails too)
                raise _invalid(cell)
            if type(direction) is not str or (step := steps.get(direction)) is None:
                step = _direction(direction)
            v = (
                run_even[cell & 8191]
                | run_odd[cell >> 13 & 8191] << 6
                | run_even[cell >> 26 & 8191] << 13
                | run_odd[cell >> 39 & 8191] << 19
            )
            s = 26 - z
            x = ((v & 0xFFFFFFFF) >> s) + step[0]
            y = (v >> 32 + s) + step[1]
            if z == 0 or x < 0 or y < 0 or x >> z or y >> z:
                append(None)
                continue
            tile = spread[x & 8191] | spread[x >> 13] << 26
            tile |= (spread[y & 8191] | spread[y >> 13] << 26) << 1
            append(heads[z] | (tile << (52 - 2 * z)))
    except Exception as exc:
        raise RowError(len(out), exc) from exc
    return out


def quadkeys_to_cells(rows: Sequence[Sequence[str]]) -> list[int]:
    """from_quadkey over (quadkey,) rows."""
    keys = [key for (key,) in rows]
    cells = in_chunks(_bulk_quadkeys_to_cells, keys)
    return _quadkeys_to_cells(keys) if cells is None else cells


# A cell is its key's digits followed by "3"s (the trailing ones) up to 26 base-4 digits, under
# a head of mode, header and z. Written so for the whole batch, 32 digits a cell with the head
# left "000000", the digits are read into one big integer holding every cell's 64 bits, the
# first cell at the top, to which the heads are OR-ed from a per-resolution byte table. They
# are read two at a time (faster than int(text, 4)): unhexlify makes each pair a byte 0x00-0x33,
# a translation that byte the hexadecimal digit of the pair's value, and unhexlify again a
# byte of 4 digits.
_PAD_TO_THREES = bytes.maketrans(b" ", b"3")
_PAIR_TO_HEX = bytes(
    b"0123456789abcdef"[(b >> 4) * 4 + (b & 15)] if b >> 4 < 4 and b & 15 < 4 else 0
    for b in range(256)
)
_KEY_LENGTHS = bytes(range(27))
_HEAD_ONLY = tuple([CELL_BASE | (z << 52) for z in range(27)])


def _bulk_quadkeys_to_cells(keys: Sequence[str]) -> list[int] | None:
    """quadkeys_to_cells() when every key is a str of at most 26 digits 0-3, else None."""
    try:
        if "".join(keys).encode("ascii").translate(None, b"0123"):
            return None
        zs = bytes(map(len, keys))
    except (TypeError, ValueError):  # not all str, not ASCII, or a key of over 255 chars
        return None
    if zs.translate(None, _KEY_LENGTHS):  # a key of over 26 digits
        return None
    n = len(keys)
    digits = (("000000%-26s" * n) % tuple(keys)).encode("ascii").translate(_PAD_TO_THREES)
    payloads = int.from_bytes(unhexlify(unhexlify(digits).translate(_PAIR_TO_HEX)), "big")
    heads = by_table(_HEAD_ONLY, zs[::-1])  # lanes count from the bottom: last cell first
    cells = array("Q", (payloads | heads).to_bytes(8 * n, "little"))
    cells.reverse()
    return cells.tolist()


def _quadkeys_to_cells(keys: Sequence[str]) -> list[int]:
    """A batch with a key to refuse: the per-row definition names it."""
    out: list[int] = []
    append = out.append
    try:
        for key in keys:
            append(from_quadkey(key))
    except Exception as exc:
        raise RowError(len(out), exc) from exc
    return out


# Whole-batch arithmetic on 64-bit lanes (lanes64: cell i in bits 64i to 64i + 63 of one
# int); per-lane constants come from tables indexed by each lane's resolution.


def _pack(cells: Sequence[int]) -> tuple[int, bytes, bytes] | None:
    """(the cells as lanes, each lane's resolution as one byte, the lanes' little-endian bytes)
    when every cell is valid (is_valid_cell); None otherwise (or when a value is not an int),
    for the per-row loop to name the row."""
    raw = pack_raw(cells)
    if raw is None:
        return None
    n = len(cells)
    # bits 63-59 of a cell are 01001: its top byte is 0x48-0x4f
    if raw[7::8].translate(None, _HEADER_BYTES):
        return None
    whole = int.from_bytes(raw, "little")
    zs = ((whole >> 52) & repeat(31, n)).to_bytes(8 * n, "little")[0::8]
    if zs.translate(None, _RESOLUTION_BYTES):
        return None
    unused = by_table(_UNUSED_LANE, zs)
    if whole & unused != unused:
        return None
    return whole, zs, raw


_HEADER_BYTES = bytes(range(0x48, 0x50))
_RESOLUTION_BYTES = bytes(range(27))
_UNUSED_LANE = tuple([FOOTER >> (z << 2) for z in range(27)])
_TILE_LANE = tuple([((1 << 2 * z) - 1) << (52 - 2 * z) for z in range(27)])
_X_BITS = 0x5555555555555555
_BIT63 = 1 << 63
_HEAD_BITS = (0xF << 59) | (31 << 52)  # header, mode and resolution; bits 57-58 dropped
# direction -> (coordinate bits, +1 or -1)
_STEPS = {
    (dx, dy): (_X_BITS if dx else _X_BITS << 1 & ((1 << 64) - 1), dx + dy)
    for dx, dy in DIRECTIONS.values()
}


def _bulk_siblings(rows: Sequence[Sequence[int | str]]) -> list[int | None] | None:
    """siblings() for a batch with one direction and only valid cells, else None."""
    try:
        cells = [cell for cell, _ in rows]
        directions = [direction for _, direction in rows]
    except ValueError:
        return None
    try:
        kinds = set(directions)
    except TypeError:  # a direction that cannot be hashed: the loop names its row
        return None
    if len(kinds) != 1:
        return None
    (direction,) = kinds
    if type(direction) is not str:
        return None
    step = DIRECTIONS.get(direction) or DIRECTIONS.get(direction.lower())
    if step is None:
        return None
    packed = _pack(cells)
    if packed is None:
        return None
    whole, zs, _ = packed
    n = len(cells)
    bits, sign = _STEPS[step]
    low63 = repeat(_BIT63 - 1, n)
    top = repeat(_BIT63, n)
    tile = by_table(_TILE_LANE, zs)
    field = tile & repeat(bits, n)
    one = field & ~(field << 2)  # the lowest bit of each lane's field
    if sign > 0:
        # the other bits set, so that the carry runs through them; past the edge it reaches
        # bit 63
        moved = ((whole & field) | (low63 ^ field)) + one
        edge = moved & top
    else:
        # bit 63 set, so that a borrow stays in the lane; past the edge it clears bit 63
        moved = ((whole & field) | top) - one
        edge = (moved & top) ^ top
    out = (
        (moved & field)
        | (whole & (tile ^ field))
        | (whole & repeat(_HEAD_BITS, n))
        | (repeat(FOOTER, n) ^ tile)
    )
    results: list[int | None] = unpack_list(out, n)
    flags = (edge >> 63).to_bytes(8 * n, "little")[0::8]
    if 0 in zs:  # the world cell has no sibling
        flags = bytes(a | (z == 0) for a, z in zip(flags, zs, strict=True))
    i = flags.find(1)
    while i >= 0:
        results[i] = None
        i = flags.find(1, i + 1)
    return results


# For quadints: per zoom z, the bits that must be clear (y below 2^z) and 2^(26 - z), which
# moves x and y to the top of 26-bit fields; the zoom's own bits then fall below the tile.
_LOW5 = bytes(b & 31 for b in range(256))
_QUADINT_HIGH = tuple([((1 << 64) - 1) & ~((1 << (5 + 2 * z)) - 1) for z in range(27)])
# per resolution z: 26 - z, the shift from z-bit to 26-bit coordinates
_SHIFTS = tuple(26 - z for z in range(27))
_HEAD_LANE = tuple(_HEADS)


def _bulk_quadints_to_cells(rows: Sequence[Sequence[int]]) -> list[int] | None:
    """quadints_to_cells() for a batch of valid quadints (z <= 26), else None."""
    try:
        quadints = [quadint for (quadint,) in rows]
    except ValueError:
        return None
    raw = pack_raw(quadints)
    if raw is None:
        return None
    zs = raw[0::8].translate(_LOW5)
    if zs.translate(None, _RESOLUTION_BYTES):
        return None
    n = len(quadints)
    if int.from_bytes(raw, "little") & by_table(_QUADINT_HIGH, zs):
        return None
    # q = (y << z | x) << 5 | z: x and y each moved up by 26 - z sit at the top of a 26-bit
    # field, as a tile's bits do.
    field = repeat((1 << 26) - 1, n)
    shifts = by_table(_SHIFTS, zs)
    v = shift_left(int.from_bytes(raw, "little") >> 5 & repeat(FOOTER, n), shifts, n)
    x = v & field
    y = shift_left(v >> 26 & field, shifts, n)
    return _cells_from_fields(x, y, zs)


def _cells_from_fields(x: int, y: int, zs: bytes) -> list[int]:
    """The cells whose tiles' x and y (at the top of 26-bit fields) are the lanes of x and y."""
    n = len(zs)
    tile = spread_lanes(x, n) | spread_lanes(y, n) << 1
    return unpack_list(tile | by_table(_HEAD_LANE, zs), n)


# Per zoom z, the bits above a coordinate's z bits (any of them set: outside the grid).
_ABOVE_Z = tuple([((1 << 64) - 1) & ~((1 << z) - 1) for z in range(27)])


def _bulk_tiles_to_cells(rows: Sequence[Sequence[int]]) -> list[int] | None:
    """tiles_to_cells() for a batch of valid (z, x, y) rows, else None."""
    try:
        zs = bytes([z for z, _, _ in rows])
        x = pack([x for _, x, _ in rows])
        y = pack([y for _, _, y in rows])
    except (ValueError, TypeError, OverflowError):  # a negative, a float, z over 255, ...
        return None
    if zs.translate(None, _RESOLUTION_BYTES):
        return None
    above = by_table(_ABOVE_Z, zs)
    if x & above or y & above:
        return None
    shifts = by_table(_SHIFTS, zs)
    n = len(zs)
    return _cells_from_fields(shift_left(x, shifts, n), shift_left(y, shifts, n), zs)


# For QUADBIN_ISVALID, every lane's verdict at once: a lane is valid when its bits under the
# header mask and under its resolution's trailing-bits mask are as they must be. Resolutions
# 27-31 get an all-ones trailing mask, which no cell with the header's zero top bit matches.
_HEADER_MASK = 0x1F << 59
_HEADER_VALUE = 9 << 59
_UNUSED_OR_NEVER = _UNUSED_LANE + (((1 << 64) - 1),) * 5
_VERDICTS = (True,) + (False,) * 255  # a lane's folded low byte: 0 when nothing differed


def cells_validity(cells: Sequence[int | None]) -> list[bool]:
    """is_valid_cell of every cell (None is not a cell)."""
    try:
        whole = pack(cells)
    except TypeError:  # None among them (or not ints: the loop names the row)
        try:
            whole = pack([0 if cell is None else cell for cell in cells])
        except (TypeError, OverflowError):
            return _validity_per_row(cells)
    except OverflowError:  # negative, or over 64 bits: the loop answers
        return _validity_per_row(cells)
    n = len(cells)
    zs = ((whole >> 52) & repeat(31, n)).to_bytes(8 * n, "little")[0::8]
    unused = by_table(_UNUSED_OR_NEVER, zs)
    differ = (whole & unused) ^ unused
    differ |= (whole & repeat(_HEADER_MASK, n)) ^ repeat(_HEADER_VALUE, n)
    # fold each lane onto its low byte (bits of the next lane only reach the upper bytes)
    differ |= differ >> 32
    differ |= differ >> 16
    differ |= differ >> 8
    return list(map(_VERDICTS.__getitem__, differ.to_bytes(8 * n, "little")[0::8]))


def _validity_per_row(cells: Sequence[int | None]) -> list[bool]:
    out: list[bool] = []
    append = out.append
    try:
        for cell in cells:
            append(cell is not None and is_valid_cell(cell))
    except Exception as exc:
        raise RowError(len(out), exc) from exc
    return out


# A quadkey is the cell's payload in base 4: the first z of the 26 digits its 13 payload nibbles
# (hexadecimal digits) hold, two each. Every nibble of the batch gets a byte of its own (16 a
# cell) with its two digits apart, the first in bits 4-5 and the second in bits 0-1, so that
# the byte's hexadecimal text is the two digits. Marks OR-ed in from per-resolution columns
# change that text: bit 6 or 2 set turns a digit into "4"-"7" (deleted), bit 7 turns the first
# into "8"-"b" (a "," before each key). hexlify and one translate then give every key, from
# which EncodedResults.strings writes their JSON array without a string object per key.
_HIGH_PAIR = bytes((b >> 6) << 4 | (b >> 4 & 3) for b in range(256))  # the high nibble's digits
_LOW_PAIR = bytes((b >> 2 & 3) << 4 | (b & 3) for b in range(256))  # the low nibble's digits
_DROP_FIRST, _DROP_SECOND, _SEPARATOR = 0x40, 0x04, 0x80
_DROP_BOTH = _DROP_FIRST | _DROP_SECOND
_TO_KEYS = bytes.maketrans(b"89ab", b",,,,")
_NOT_KEYS = b"4567"
# Per payload nibble h (0-12): its marks at each resolution z (byte tables indexed by z).
_NIBBLE_MARKS = tuple(
    bytes(
        0 if z - 2 * h >= 2 else _DROP_SECOND if z - 2 * h == 1 else _DROP_BOTH for z in range(256)
    )
    for h in range(13)
)


def cells_to_quadkeys(cells: Sequence[int]) -> bytes:
    """quadkey(cell) of every cell, each after a "," (for EncodedResults.strings), refusing
    invalid cells (is_valid_cell)."""
    parts = []
    for start in range(0, len(cells), CHUNK_ROWS):
        part = _bulk_cells_to_quadkeys(cells[start : start + CHUNK_ROWS])
        if part is None:
            raise first_invalid(cells)
        parts.append(part)
    return b"".join(parts)


def _bulk_cells_to_quadkeys(cells: Sequence[int]) -> bytes | None:
    packed = _pack(cells)
    if packed is None:
        return None
    _, zs, raw = packed
    n = len(cells)
    # nibble 0 of a cell carries the separator, 1 and 2 (header and z) are dropped
    pairs = bytearray(16 * n)
    pairs[0::16] = bytes([_SEPARATOR | _DROP_SECOND]) * n
    pairs[1::16] = pairs[2::16] = bytes([_DROP_BOTH]) * n
    pairs[3::16] = raw[6::8].translate(_LOW_PAIR)
    for b in range(2, 8):  # big-endian byte b of a cell is its little-endian byte 7 - b
        column = raw[7 - b :: 8]
        pairs[2 * b :: 16] = column.translate(_HIGH_PAIR)
        pairs[2 * b + 1 :: 16] = column.translate(_LOW_PAIR)
    marks = bytearray(16 * n)
    for h, table in enumerate(_NIBBLE_MARKS):
        marks[3 + h :: 16] = zs.translate(table)
    marked = (int.from_bytes(pairs, "little") | int.from_bytes(marks, "little")).to_bytes(
        16 * n, "little"
    )
    return hexlify(marked).translate(_TO_KEYS, _NOT_KEYS)


def json_rows(columns: Sequence[Sequence[int]]) -> list[str]:
    """Row i's JSON array [columns[0][i], columns[1][i], ...] for every row, compact, as
    "[" + ",".join(map(str, row)) + "]" writes it: one encoding of the whole batch, split."""
    rows = list(zip(*columns, strict=True))
    if _orjson is not None:
        text = _orjson.dumps(rows).decode("ascii")
    else:  # pragma: no cover - the same text
        import json

        text = json.dumps(rows, separators=(",", ":"))
    return text[1:-1].replace("],[", "]\n[").split("\n")


# For the k-ring: per zoom z, the lowest bit of the x field (y's is one up).
_FIELD_LOW = tuple([1 << (52 - 2 * z) if z else 0 for z in range(27)])


def _moved(part: int, field: int, d: int, low63: int, top: int) -> tuple[int, int]:
    """(the coordinate bits `part` of `field` moved by d units in every lane, the lanes whose
    move left the grid flagged in bit 63): dilated-integer addition, whose carries run through
    the other bits set to ones; a subtraction borrows from bit 63, set beforehand."""
    if d >= 0:
        moved = ((part | (low63 ^ field)) + d) & (field | top)
        return moved & field, moved & top
    moved = ((part | top) + d) & (field | top)
    return moved & field, (moved & top) ^ top


def kring_cells(cells: Sequence[int], k: int) -> list[list[int]] | None:
    """The k-ring of every cell as (2k+1)^2 columns (row by row of the square, west to east),
    computed on lanes; None unless every cell is valid and every square inside the grid."""
    packed = _pack(cells)
    if packed is None:
        return None
    whole, zs, _ = packed
    if k and 0 in zs:  # the world cell has no neighbours
        return None
    n = len(cells)
    low63 = repeat(_BIT63 - 1, n)
    top = repeat(_BIT63, n)
    tile = by_table(_TILE_LANE, zs)
    x_field = tile & repeat(_X_BITS, n)
    y_field = tile ^ x_field
    x_part = whole & x_field
    y_part = whole & y_field
    unit = by_table(_FIELD_LOW, zs)  # 1 in the lowest x bit of each lane's field
    # -k..k in every lane, dilated (spread to the field's x bits): d * unit, spread
    xs, ys = [], []
    for d in range(-k, k + 1):
        steps = spread(abs(d)) * unit
        x, x_out = _moved(x_part, x_field, -steps if d < 0 else steps, low63, top)
        y, y_out = _moved(y_part, y_field, -(steps << 1) if d < 0 else steps << 1, low63, top)
        if x_out or y_out:
            return None
        xs.append(x)
        ys.append(y)
    head = by_table(_HEAD_LANE, zs)
    return [unpack_list(y | x | head, n) for y in ys for x in xs]
