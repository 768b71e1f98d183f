"""PLACEKEY_FROMH3 against h3 (validity) and the placekey library (encoding), not stored."""

from hypothesis import given
from hypothesis import strategies as st

from pytest_carto import import_shared, import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
pkt = import_testing("placekey_testing")
h3index = import_shared("placekey_core.h3index")


@fixture_settings(100)
@given(st.lists(pkt.cells(), min_size=1, max_size=100))
def test_cells_as_the_placekey_library(invoke, batch):
    results = invoke([[format(c, "x")] for c in batch])
    assert results == [pkt.placekey.h3_int_to_placekey(c) for c in batch]


@fixture_settings(100)
@given(st.lists(pkt.near_misses(), min_size=1, max_size=100))
def test_near_misses_as_h3(invoke, batch):
    results = invoke([[format(v, "x")] for v in batch])
    assert results == [pkt.reference_h3_to_placekey(v) for v in batch]


@fixture_settings(60)
@given(pkt.cells(), st.sampled_from(["{:X}", "0x{:x}", " {:x}\n", "{:016x}"]))
def test_text_read_as_h3_reads_it(invoke, cell, spelling):
    text = spelling.format(cell)
    assert pkt.reference_is_valid_cell(int(text, 16))
    assert pkt.h3i.is_valid_cell(pkt.h3i.str_to_int(text.strip()))
    assert invoke([[text]]) == [pkt.placekey.h3_int_to_placekey(cell)]


def test_validity_exhaustively_near_cells():
    """Every single-digit change (15 digits x 8 values), every base cell and every resolution of
    the center child of each of the 122 base cells at each resolution, against h3. This is
    where CARTO's check disagrees with h3 on about 5% of the changes."""
    changed = 0
    for base in pkt.h3i.get_res0_cells():
        for res in range(16):
            cell = pkt.h3i.cell_to_center_child(base, res)
            variants = [pkt.set_digit(cell, p, d) for p in range(1, 16) for d in range(8)]
            variants += [(cell & ~(127 << 45)) | (b << 45) for b in range(128)]
            variants += [(cell & ~(15 << 52)) | (r << 52) for r in range(16)]
            for v in variants:
                assert h3index.is_valid_cell(v) == pkt.reference_is_valid_cell(v), hex(v)
            changed += len(variants)
    assert changed == 122 * 16 * (120 + 128 + 16)


def test_validity_of_pentagon_children():
    """Every descendant up to 3 levels below each pentagon, and each with its first non-zero
    digit moved: the deleted K axis (digit 1) is the pentagon-specific rule."""
    for pentagon in pkt.h3i.get_pentagons(0):
        for res in range(1, 4):
            for child in pkt.h3i.cell_to_children(pentagon, res):
                assert h3index.is_valid_cell(child)
                for d in range(8):
                    v = pkt.set_digit(child, 1, d)
                    assert h3index.is_valid_cell(v) == pkt.reference_is_valid_cell(v), hex(v)
