"""QUADINT_KRING: square sizes and neighbours on random quadints (not stored)."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# `invoke` holds no state between calls, so sharing it across examples is safe.
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def quadint(x, y, z):
    return ((y << z | x) << 5) | z


@SETTINGS
@given(st.integers(6, 29), st.integers(0, 10), st.data())
def test_size_and_neighbours(invoke, z, size, data):
    x = data.draw(st.integers(size, (1 << z) - 1 - size))
    y = data.draw(st.integers(size, (1 << z) - 1 - size))
    (result,) = invoke([[quadint(x, y, z), size]])
    ring = json.loads(result)
    assert len(set(ring)) == len(ring) == (2 * size + 1) ** 2
    expected = {
        quadint(x + i, y + j, z) for i in range(-size, size + 1) for j in range(-size, size + 1)
    }
    assert set(ring) == expected
