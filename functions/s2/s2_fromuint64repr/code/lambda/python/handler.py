"""S2_FROMUINT64REPR: the S2 cell id as a signed INT8 from its unsigned 64-bit decimal text."""

from __future__ import annotations

from s2_core.cells import from_uint64_repr

from carto_runtime import redshift_handler

lambda_handler = redshift_handler(from_uint64_repr)
