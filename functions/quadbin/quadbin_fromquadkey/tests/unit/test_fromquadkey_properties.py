"""QUADBIN_FROMQUADKEY against mercantile and quadbin on random quadkeys (not stored)."""

import mercantile
import quadbin
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
quadkeys = st.text(alphabet="0123", max_size=26)


@SETTINGS
@given(st.lists(quadkeys, min_size=1))
def test_same_as_reference(invoke, keys):
    expected = [quadbin.tile_to_cell(tuple(mercantile.quadkey_to_tile(k))) for k in keys]
    assert invoke([[k] for k in keys]) == expected
