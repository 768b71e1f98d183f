"""Strategies and reference definitions for the s2 function tests.

Cells are drawn from S2's id layout (face, level, position bits, end bit) and every expected
value comes from the reference libraries: s2sphere 0.2.5 (CARTO's dependency), s2cell 1.8.0
and s2geometry 0.14.0 (Google's bindings). CARTO's Hilbert quadkeys have no reference
library: `carto_quadkey` and `carto_from_quadkey` follow CARTO's published definition step by
step on s2sphere's projections (center (u, v) -> (s, t) -> (i, j); digits -> (i, j) -> the
cell center's point), nothing of it shared with the code under test.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable

import s2cell
import s2geometry
import s2sphere
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

INT8_MIN = -(1 << 63)
INT8_MAX = (1 << 63) - 1
U64 = 1 << 64


def unsigned(cell: int) -> int:
    return cell % U64


def signed(u: int) -> int:
    return u - U64 if u >= 1 << 63 else u


ALL_LEVELS = st.integers(0, 30)


@st.composite
def cells_at(draw: st.DrawFn, levels: st.SearchStrategy[int] = ALL_LEVELS) -> int:
    """A valid cell id (signed): any face, any level, any position on the face's curve."""
    face = draw(st.integers(0, 5))
    level = draw(levels)
    pos = draw(st.integers(0, (1 << (2 * level)) - 1))
    shift = 2 * (30 - level)
    u = (face << 61) | (pos << (shift + 1)) | (1 << shift)
    return signed(u)


cells = cells_at()
leaf_cells = cells_at(st.just(30))


def is_valid(cell: int) -> bool:
    """s2geometry's validity of a signed id."""
    return s2geometry.S2CellId(unsigned(cell)).is_valid()


# Ids that are no cell: random INT8s (almost all invalid), 0, all ones, face 6 and 7 ids, and
# valid ids with the end bit moved to an odd position.
invalid_ids = st.one_of(
    st.integers(INT8_MIN, INT8_MAX),
    st.sampled_from(
        [0, -1, INT8_MIN, 1 << 62, 1 << 61, 3 << 61, signed(6 << 61 | 1 << 60), signed(7 << 61 | 1)]
    ),
    cells.map(
        lambda c: signed(
            (unsigned(c) & -unsigned(c)) << 1 | unsigned(c) & ~(unsigned(c) & -unsigned(c))
        )
    ),
).filter(lambda v: not is_valid(v))

# Longitudes and latitudes: anywhere, often exactly on the antimeridian, the poles, the
# equator and the face edges (multiples of 45 degrees).
EDGES = [-180.0, 180.0, -135.0, -90.0, -45.0, 0.0, 45.0, 90.0, 135.0, -0.0]
longitudes = st.one_of(st.floats(-180, 180), st.sampled_from(EDGES))
latitudes = st.one_of(
    st.floats(-90, 90), st.sampled_from([-90.0, 90.0, 0.0, -45.0, 45.0, 35.26438968275466])
)
levels = ALL_LEVELS


def ref_from_lonlat(lon: float, lat: float, level: int) -> int:
    """CARTO's S2_FROMLONGLAT on s2sphere."""
    ll = s2sphere.LatLng(math.radians(lat), math.radians(lon))
    return signed(s2sphere.CellId.from_lat_lng(ll).parent(level).id())


def google_from_lonlat(lon: float, lat: float, level: int) -> int:
    return signed(s2geometry.S2CellId(s2geometry.S2LatLng.FromDegrees(lat, lon)).parent(level).id())


def ref_level(cell: int) -> int:
    return s2sphere.CellId(unsigned(cell)).level()


def ref_parent(cell: int, level: int | None = None) -> int:
    c = s2sphere.CellId(unsigned(cell))
    return signed((c.parent() if level is None else c.parent(level)).id())


def ref_children(cell: int, level: int | None = None) -> list[int]:
    c = s2sphere.CellId(unsigned(cell))
    return [signed(x.id()) for x in (c.children() if level is None else c.children(level))]


def google_children(cell: int, level: int) -> list[int]:
    c = s2geometry.S2CellId(unsigned(cell))
    out, x, end = [], c.child_begin(level), c.child_end(level)
    while x.id() != end.id():
        out.append(signed(x.id()))
        x = x.next()
    return out


def ref_token(cell: int) -> str:
    return s2sphere.CellId(unsigned(cell)).to_token()


def ref_vertices(cell: int) -> list[tuple[float, float]]:
    c = s2sphere.Cell(s2sphere.CellId(unsigned(cell)))
    out = []
    for k in range(4):
        ll = s2sphere.LatLng.from_point(c.get_vertex(k))
        out.append((ll.lng().degrees, ll.lat().degrees))
    return out


def google_vertices(cell: int) -> list[tuple[float, float]]:
    c = s2geometry.S2Cell(s2geometry.S2CellId(unsigned(cell)))
    out = []
    for k in range(4):
        ll = s2geometry.S2LatLng(c.GetVertex(k))
        out.append((ll.lng().degrees(), ll.lat().degrees()))
    return out


def wkt_ring(text: str) -> list[tuple[float, float]]:
    """The (lng, lat) pairs of 'POLYGON ((...))' text, read back exactly."""
    assert text.startswith("POLYGON ((") and text.endswith("))"), text
    pairs = text[len("POLYGON ((") : -2].split(", ")
    return [(float(a), float(b)) for a, b in (p.split(" ") for p in pairs)]


# CARTO's digit table: state -> per (x_bit * 2 + y_bit): (digit, next state); faces start in
# 'a' (even) or 'd' (odd).
_CARTO_MAP = {
    "a": [(0, "d"), (1, "a"), (3, "b"), (2, "a")],
    "b": [(2, "b"), (1, "b"), (3, "a"), (0, "c")],
    "c": [(2, "c"), (3, "d"), (1, "c"), (0, "b")],
    "d": [(0, "a"), (3, "c"), (1, "d"), (2, "d")],
}


def carto_quadkey(cell: int) -> str:
    c = s2sphere.CellId(unsigned(cell))
    face, order = c.face(), c.level()
    u, v = c.get_center_uv()
    size = 1 << order
    ij = [max(0, min(size - 1, math.floor(s2sphere.CellId.uv_to_st(t) * size))) for t in (u, v)]
    state, digits = ("d" if face % 2 else "a"), []
    for k in range(order - 1, -1, -1):
        qx, qy = ij[0] >> k & 1, ij[1] >> k & 1
        digit, state = _CARTO_MAP[state][qx * 2 + qy]
        digits.append(str(digit))
    return f"{face}/{''.join(digits)}"


def carto_from_quadkey(key: str) -> int:
    face_text, digits = key.split("/")
    face, order = int(face_text), len(digits)
    x = y = 0
    for k in range(order - 1, -1, -1):
        level = order - k
        rx = 1 if digits[k] in "23" else 0
        ry = 1 if digits[k] in "12" else 0
        half = 1 << (level - 1)
        if ry == 0:
            if rx == 1:
                x, y = half - 1 - x, half - 1 - y
            x, y = y, x
        x += half * rx
        y += half * ry
    if face % 2:
        x, y = y, x
    size = 1 << order
    u, v = (s2sphere.CellId.st_to_uv((t + 0.5) / size) for t in (x, y))
    point = s2sphere.face_uv_to_xyz(face, u, v)
    return signed(s2sphere.CellId.from_point(point).parent(order).id())


quadkeys = st.builds(
    lambda face, digits: f"{face}/{''.join(digits)}",
    st.integers(0, 5),
    st.lists(st.sampled_from("0123"), max_size=30),
)


def ref_cover(min_lng, max_lng, min_lat, max_lat, min_level=0, max_level=30) -> list[int]:
    coverer = s2sphere.RegionCoverer()
    coverer.min_level = min_level
    coverer.max_level = max_level
    rect = s2sphere.LatLngRect(
        s2sphere.LatLng(math.radians(min_lat), math.radians(min_lng)),
        s2sphere.LatLng(math.radians(max_lat), math.radians(max_lng)),
    )
    return [signed(c.id()) for c in coverer.get_covering(rect)]


def s2cell_level(cell: int) -> int:
    return s2cell.cell_id_to_level(unsigned(cell))


def s2cell_parent(cell: int, level: int) -> int:
    return signed(s2cell.cell_id_to_parent_cell_id(unsigned(cell), level))


def s2cell_token(cell: int) -> str:
    return s2cell.cell_id_to_token(unsigned(cell))


def s2cell_from_token(token: str) -> int:
    return signed(s2cell.token_to_cell_id(token))


def check_mixed(text: str, rows: list, valid: Callable[..., bool], reference: Callable) -> None:
    """A response (`respond`'s JSON text) to a batch mixing valid rows, rows the references
    refuse and null rows: the first refused row named, or every result the reference's."""
    body = json.loads(text)
    n = len(rows)
    plain = [r is not None and None not in r for r in rows]
    bad = next((i for i, r in enumerate(rows) if plain[i] and not valid(*r)), None)
    if bad is None:
        assert body["success"], body
        expected = [reference(*r) if ok else None for r, ok in zip(rows, plain, strict=True)]
        assert body["results"] == expected
    else:
        assert not body["success"], (bad, body)
        assert body["error_msg"].startswith(f"row {bad + 1} of {n}: "), (bad, body)


def fixture_settings(max_examples: int) -> settings:
    """batch_testing's settings for module-scoped fixtures, with hypothesis's generation-speed
    health checks off: on a shared, busy machine drawing ids and boxes can look slow."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
