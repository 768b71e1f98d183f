"""Points and cells on the sphere: lon/lat -> cell id, and a cell's four vertices.

The float expressions are written operation by operation as the reference libraries write
them (s2sphere 0.2.5; s2geometry's are the same operations), so results are bit-identical:
radians, the unit vector, the face of its largest component, (u, v) on that face, the
quadratic projection to (s, t), then leaf coordinates (i, j) and the Hilbert curve.
"""

from __future__ import annotations

from math import atan2, cos, degrees, floor, isfinite, radians, sin, sqrt

from s2_core.cells import MAX_LEVEL, check_cell, check_resolution
from s2_core.hilbert import face_ij, leaf_from_face_ij

LIMIT_IJ = 1 << MAX_LEVEL
_LAST_IJ = LIMIT_IJ - 1
_IJ_TO_ST = 1.0 / LIMIT_IJ


def leaf_from_lonlat(longitude: float, latitude: float) -> int:
    """The signed id of the leaf cell holding the point (degrees; any finite values, the
    sphere wraps them as the trigonometry does)."""
    phi = radians(latitude)
    theta = radians(longitude)
    cosphi = cos(phi)
    x = cos(theta) * cosphi
    y = sin(theta) * cosphi
    z = sin(phi)
    ax, ay, az = abs(x), abs(y), abs(z)
    face = (0 if ax > az else 2) if ax > ay else (1 if ay > az else 2)
    # (u, v) on the face: the other two coordinates over the largest one, signs per face
    if face == 0:
        if x < 0:
            face, u, v = 3, z / x, y / x
        else:
            u, v = y / x, z / x
    elif face == 1:
        if y < 0:
            face, u, v = 4, z / y, -x / y
        else:
            u, v = -x / y, z / y
    elif z < 0:
        face, u, v = 5, -y / z, -x / z
    else:
        u, v = -x / z, -y / z
    # (u, v) -> (s, t) of the quadratic projection, then leaf coordinates, clamped
    s = 0.5 * sqrt(1 + 3 * u) if u >= 0 else 1 - 0.5 * sqrt(1 - 3 * u)
    t = 0.5 * sqrt(1 + 3 * v) if v >= 0 else 1 - 0.5 * sqrt(1 - 3 * v)
    i = floor(LIMIT_IJ * s)
    j = floor(LIMIT_IJ * t)
    if i > _LAST_IJ:
        i = _LAST_IJ
    if j > _LAST_IJ:
        j = _LAST_IJ
    return leaf_from_face_ij(face, i if i > 0 else 0, j if j > 0 else 0)


def check_point(longitude: float, latitude: float) -> None:
    for name, value in (("longitude", longitude), ("latitude", latitude)):
        if type(value) not in (int, float) or not isfinite(value):
            raise ValueError(f"Invalid {name}: {value!r} (expected a finite number)")


_NUMBERS = (float, int)


def from_lonlat(longitude: float, latitude: float, resolution: int) -> int:
    """S2_FROMLONGLAT: the cell at `resolution` (0-30) holding the point."""
    if (
        type(longitude) not in _NUMBERS
        or type(latitude) not in _NUMBERS
        or not isfinite(longitude + latitude)  # NaN or an infinity in either
    ):
        check_point(longitude, latitude)
    if type(resolution) is not int or not 0 <= resolution <= MAX_LEVEL:
        check_resolution(resolution)
    leaf = leaf_from_lonlat(longitude, latitude)
    lsb = 1 << ((MAX_LEVEL - resolution) << 1)
    return (leaf & -lsb) | lsb


def _uv(s: float) -> float:
    """(s -> u) of the quadratic projection."""
    if s >= 0.5:
        return (1.0 / 3.0) * (4 * s * s - 1)
    return (1.0 / 3.0) * (1 - 4 * (1 - s) * (1 - s))


def _xyz(face: int, u: float, v: float) -> tuple[float, float, float]:
    if face == 0:
        return 1, u, v
    if face == 1:
        return -u, 1, v
    if face == 2:
        return -u, -v, 1
    if face == 3:
        return -1, -v, -u
    if face == 4:
        return v, -1, -u
    return v, u, -1


def vertices(cell: int) -> list[tuple[float, float]]:
    """The cell's four vertices as (longitude, latitude) in degrees, counter-clockwise from
    its (u, v) minimum, as s2sphere's Cell.get_vertex(0..3) through LatLng.from_point."""
    level = check_cell(cell)
    face, i, j = face_ij(cell)
    size = 1 << (MAX_LEVEL - level)
    i_lo = i & -size
    j_lo = j & -size
    us = (_uv(_IJ_TO_ST * i_lo), _uv(_IJ_TO_ST * (i_lo + size)))
    vs = (_uv(_IJ_TO_ST * j_lo), _uv(_IJ_TO_ST * (j_lo + size)))
    out = []
    for u, v in ((us[0], vs[0]), (us[1], vs[0]), (us[1], vs[1]), (us[0], vs[1])):
        x, y, z = _xyz(face, u, v)
        n = sqrt(x * x + y * y + z * z)
        if n != 0:
            n = 1.0 / n
        x, y, z = x * n, y * n, z * n
        out.append((degrees(atan2(y, x)), degrees(atan2(z, sqrt(x * x + y * y)))))
    return out


def boundary_wkt(cell: int) -> str:
    """S2_BOUNDARY: 'POLYGON ((lng lat, ...))', the four vertices and the first again, each
    coordinate as Python writes a float (shortest text that reads back exactly)."""
    ring = vertices(cell)
    ring.append(ring[0])
    return "POLYGON ((" + ", ".join(f"{lng!r} {lat!r}" for lng, lat in ring) + "))"
