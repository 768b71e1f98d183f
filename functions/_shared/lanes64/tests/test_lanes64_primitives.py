"""lanes64: every primitive against its plain scalar definition, lane by lane (not stored).

The batches are lists of 0 to 40 values; the definitions below are the one-value-at-a-time
statements each primitive's docstring makes. The module's worked example runs as a doctest.
"""

import doctest
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_carto import import_shared

lanes = import_shared("lanes64")

SETTINGS = settings(max_examples=200, deadline=None)
M64 = (1 << 64) - 1
u64 = st.integers(0, M64) | st.sampled_from([0, 1, M64, 1 << 63, (1 << 63) - 1])
batches = st.lists(u64, min_size=1, max_size=40)


def test_worked_example():
    failures, tried = doctest.testmod(lanes, verbose=False)
    assert tried > 0 and failures == 0


@SETTINGS
@given(batches)
def test_pack_and_unpack(values):
    whole = lanes.pack(values)
    assert whole == sum(v << 64 * i for i, v in enumerate(values))
    assert lanes.pack_raw(values) == b"".join(v.to_bytes(8, "little") for v in values)
    assert lanes.unpack(whole, len(values)).tolist() == values
    assert lanes.unpack_list(whole, len(values)) == values


@SETTINGS
@given(
    st.lists(
        st.one_of(
            u64, st.integers(max_value=-1), st.integers(min_value=1 << 64), st.floats(), st.none()
        ),
        min_size=1,
        max_size=10,
    )
)
def test_pack_refuses_what_is_no_lane(values):
    fits = all(type(v) is int and 0 <= v <= M64 for v in values)
    assert (lanes.pack_raw(values) is not None) == fits


@SETTINGS
@given(u64, st.integers(0, 40))
def test_repeat(value, n):
    assert lanes.repeat(value, n) == sum(value << 64 * i for i in range(n))


@SETTINGS
@given(st.lists(u64, min_size=1, max_size=40), st.binary(min_size=1, max_size=40))
def test_by_table(table, keys):
    table = tuple(table)
    expected = [table[k] if k < len(table) else 0 for k in keys]
    assert lanes.unpack_list(lanes.by_table(table, keys), len(keys)) == expected


@st.composite
def shifts(draw, left):
    """(values, amounts): for a left shift, each value small enough to stay in its lane."""
    n = draw(st.integers(1, 40))
    amounts = draw(st.lists(st.integers(0, 63), min_size=n, max_size=n))
    if left:
        values = [draw(st.integers(0, M64 >> a)) for a in amounts]
    else:
        values = draw(st.lists(u64, min_size=n, max_size=n))
    return values, amounts


@SETTINGS
@given(shifts(left=True))
def test_shift_left(case):
    values, amounts = case
    n = len(values)
    out = lanes.shift_left(lanes.pack(values), lanes.pack(amounts), n)
    assert lanes.unpack_list(out, n) == [v << a for v, a in zip(values, amounts, strict=True)]


@SETTINGS
@given(shifts(left=False))
def test_shift_right(case):
    values, amounts = case
    n = len(values)
    out = lanes.shift_right(lanes.pack(values), lanes.pack(amounts), n)
    assert lanes.unpack_list(out, n) == [v >> a for v, a in zip(values, amounts, strict=True)]


def spread_one(v):
    """Bit k of the low 32 bits to bit 2k."""
    return sum(((v >> k) & 1) << 2 * k for k in range(32))


@SETTINGS
@given(batches)
def test_spread(values):
    n = len(values)
    assert lanes.unpack_list(lanes.spread(lanes.pack(values), n), n) == list(
        map(spread_one, values)
    )


@SETTINGS
@given(
    st.integers(1, 5).flatmap(
        lambda w: st.lists(st.lists(u64, min_size=w, max_size=w), min_size=1, max_size=30)
    )
)
def test_rows_from_columns(rows):
    n = len(rows)
    width = len(rows[0])
    columns = [lanes.pack([row[c] for row in rows]) for c in range(width)]
    assert lanes.row_major(columns, n) == [v for row in rows for v in row]
    assert lanes.format_rows("<" + "|".join(["%d"] * width) + ">", columns, n) == [
        "<" + "|".join(map(str, row)) + ">" for row in rows
    ]
    assert lanes.json_arrays(columns, n) == [json.dumps(row) for row in rows]


@SETTINGS
@given(
    st.lists(
        st.floats() | st.sampled_from([1e-5, -1e-7, 1e22, 1e16, 5e-324, 0.0, -0.0]), max_size=40
    )
)
def test_float_texts(values):
    assert lanes.float_texts(values) == [repr(v) for v in values]


@SETTINGS
@given(st.integers(0, 3 * lanes.CHUNK_ROWS + 5), st.integers(-1, 12000))
def test_in_chunks(size, refuse_at):
    items = list(range(size))
    seen = []

    def bulk(chunk):
        assert 0 < len(chunk) <= lanes.CHUNK_ROWS or size == 0
        seen.append(len(chunk))
        return None if refuse_at in chunk else [i * 2 for i in chunk]

    out = lanes.in_chunks(bulk, items)
    if 0 <= refuse_at < size:
        assert out is None
    else:
        assert out == [i * 2 for i in items]
        assert sum(seen) == size
