"""__QUADINT_TOCHILDREN: children map back to their parent with mercantile (not stored)."""

import json

import mercantile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# `invoke` holds no state between calls, so sharing it across examples is safe.
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def quadint(x, y, z):
    return ((y << z | x) << 5) | z


@SETTINGS
@given(st.integers(0, 27), st.integers(1, 4), st.data())
def test_children_have_the_parent(invoke, z, levels, data):
    resolution = min(z + levels, 29)
    x = data.draw(st.integers(0, (1 << z) - 1))
    y = data.draw(st.integers(0, (1 << z) - 1))
    (result,) = invoke([[quadint(x, y, z), resolution]])
    children = json.loads(result)
    assert len(set(children)) == 4 ** (resolution - z)
    for child in children:
        cz = child & 31
        cx, cy = (child >> 5) & ((1 << cz) - 1), child >> (cz + 5)
        assert cz == resolution
        assert tuple(mercantile.parent(mercantile.Tile(cx, cy, cz), zoom=z)) == (x, y, z)
