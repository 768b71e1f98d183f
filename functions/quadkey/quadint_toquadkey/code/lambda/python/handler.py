"""QUADINT_TOQUADKEY: the quadkey of a quadint."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat

from quadint_core.tiles import MAX_ZOOM

from carto_runtime import RowError, batch_handler

# A quadkey digit is 2 * (y bit) + (x bit) at its level. Written in binary on MAX_ZOOM
# characters each, the batch's x and y are two strings of "0"/"1" bytes; read as two big
# integers X and Y, X + 2Y - 0x60 in every byte is "0"-"3" at each level (no byte carries or
# borrows: 0x30 <= x + 2y - 0x60 <= 0x33), so the whole batch's digits come from one addition.
# A row's quadkey is the last z digits of its block.
_WIDTH = MAX_ZOOM
_BINARY = f"0{_WIDTH}b"


@batch_handler
def lambda_handler(rows: Sequence[tuple[int]]) -> list[str]:
    xs: list[int] = []
    ys: list[int] = []
    zs: list[int] = []
    append_x = xs.append
    append_y = ys.append
    append_z = zs.append
    try:
        for (quadint,) in rows:
            # quadint_core.check_quadint inlined
            z = quadint & 31
            y = quadint >> (z + 5)
            if quadint < 0 or z > MAX_ZOOM or y >> z:
                raise ValueError(f"Invalid quadint: {quadint}")
            append_x((quadint >> 5) & ((1 << z) - 1))
            append_y(y)
            append_z(z)
    except Exception as exc:
        raise RowError(len(zs), exc) from exc
    size = _WIDTH * len(zs)
    x_bits = int.from_bytes("".join(map(format, xs, repeat(_BINARY))).encode("ascii"), "big")
    y_bits = int.from_bytes("".join(map(format, ys, repeat(_BINARY))).encode("ascii"), "big")
    offset = int.from_bytes(b"\x60" * size, "big")
    digits = (x_bits + 2 * y_bits - offset).to_bytes(size, "big").decode("ascii")
    ends = range(_WIDTH, size + 1, _WIDTH)
    starts = [end - z for end, z in zip(ends, zs, strict=True)]
    return list(map(digits.__getitem__, map(slice, starts, ends)))
