"""Orientation and in-circle tests that are never wrong about their sign.

Each test first evaluates its determinant in floating point and trusts the sign when the
value is larger than a bound on the rounding error (the static bounds of Shewchuk's adaptive
predicates, for the same expression shapes); otherwise it recomputes exactly with fractions.
Coordinates are finite floats, so the exact path is always available; it runs only for
nearly degenerate inputs (collinear or co-circular points), where a wrong sign would make the
triangulation inconsistent.
"""

from __future__ import annotations

_EPS = 2.0**-53
_CCW_BOUND = (3.0 + 16.0 * _EPS) * _EPS
_INCIRCLE_BOUND = (10.0 + 96.0 * _EPS) * _EPS


def orient(ax: float, ay: float, bx: float, by: float, cx: float, cy: float) -> int:
    """+1 when a, b, c turn counterclockwise, -1 clockwise, 0 when collinear."""
    left = (ax - cx) * (by - cy)
    right = (ay - cy) * (bx - cx)
    det = left - right
    bound = _CCW_BOUND * (abs(left) + abs(right))
    if det > bound:
        return 1
    if -det > bound:
        return -1
    return _orient_exact(ax, ay, bx, by, cx, cy)


def _orient_exact(ax: float, ay: float, bx: float, by: float, cx: float, cy: float) -> int:
    from fractions import Fraction  # only for nearly collinear points: kept off the import

    fax, fay, fbx, fby, fcx, fcy = map(Fraction, (ax, ay, bx, by, cx, cy))
    det = (fax - fcx) * (fby - fcy) - (fay - fcy) * (fbx - fcx)
    return (det > 0) - (det < 0)


def incircle(
    ax: float, ay: float, bx: float, by: float, cx: float, cy: float, dx: float, dy: float
) -> int:
    """For a, b, c counterclockwise: +1 when d is strictly inside their circumcircle, -1 when
    strictly outside, 0 when the four points are co-circular."""
    adx, ady = ax - dx, ay - dy
    bdx, bdy = bx - dx, by - dy
    cdx, cdy = cx - dx, cy - dy
    bdxcdy, cdxbdy = bdx * cdy, cdx * bdy
    cdxady, adxcdy = cdx * ady, adx * cdy
    adxbdy, bdxady = adx * bdy, bdx * ady
    alift = adx * adx + ady * ady
    blift = bdx * bdx + bdy * bdy
    clift = cdx * cdx + cdy * cdy
    det = alift * (bdxcdy - cdxbdy) + blift * (cdxady - adxcdy) + clift * (adxbdy - bdxady)
    permanent = (
        (abs(bdxcdy) + abs(cdxbdy)) * alift
        + (abs(cdxady) + abs(adxcdy)) * blift
        + (abs(adxbdy) + abs(bdxady)) * clift
    )
    bound = _INCIRCLE_BOUND * permanent
    if det > bound:
        return 1
    if -det > bound:
        return -1
    return _incircle_exact(ax, ay, bx, by, cx, cy, dx, dy)


def _incircle_exact(
    ax: float, ay: float, bx: float, by: float, cx: float, cy: float, dx: float, dy: float
) -> int:
    from fractions import Fraction  # only for nearly co-circular points

    fdx, fdy = Fraction(dx), Fraction(dy)
    adx, ady = Fraction(ax) - fdx, Fraction(ay) - fdy
    bdx, bdy = Fraction(bx) - fdx, Fraction(by) - fdy
    cdx, cdy = Fraction(cx) - fdx, Fraction(cy) - fdy
    det = (
        (adx * adx + ady * ady) * (bdx * cdy - cdx * bdy)
        + (bdx * bdx + bdy * bdy) * (cdx * ady - adx * cdy)
        + (cdx * cdx + cdy * cdy) * (adx * bdy - bdx * ady)
    )
    return (det > 0) - (det < 0)
