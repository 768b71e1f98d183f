"""S2 cell ids with integer arithmetic, identical to the reference libraries (s2sphere 0.2.5,
s2cell 1.8.0, s2geometry 0.14.0) and to CARTO's Redshift S2 functions where they are right.

Shared by the functions of the `s2` module (listed in their `shared_libs`). Ids travel as
Redshift's signed INT8: an S2 id of 2**63 or more (faces 4 and 5) is that id minus 2**64.
Every operation here works on the signed value directly: Python's integers behave as
infinite two's complement under `&`, `|` and `-`, so the bit tricks of S2 need no conversion,
and no cell's id range crosses the sign (face 4 starts exactly at 2**63).

Importing it costs almost nothing: `math` and `re` only, the Hilbert tables built once.
"""

from s2_core.cells import (
    MAX_LEVEL,
    check_cell,
    check_resolution,
    children,
    children_count,
    children_json,
    from_token,
    from_uint64_repr,
    level_of,
    parent,
    to_token,
    to_uint64_repr,
)

__all__ = [
    "MAX_LEVEL",
    "check_cell",
    "check_resolution",
    "children",
    "children_count",
    "children_json",
    "from_token",
    "from_uint64_repr",
    "level_of",
    "parent",
    "to_token",
    "to_uint64_repr",
]
