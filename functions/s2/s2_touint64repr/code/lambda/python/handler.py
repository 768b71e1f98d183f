"""S2_TOUINT64REPR: the unsigned 64-bit decimal text of an S2 cell id given as a signed INT8."""

from __future__ import annotations

from s2_core.cells import to_uint64_repr

from carto_runtime import redshift_handler

lambda_handler = redshift_handler(to_uint64_repr)
