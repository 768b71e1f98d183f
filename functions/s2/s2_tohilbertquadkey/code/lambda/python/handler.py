"""S2_TOHILBERTQUADKEY: a cell's Hilbert quadkey 'face/digits'."""

from __future__ import annotations

from s2_core.hilbert import to_hilbert_quadkey

from carto_runtime import redshift_handler

lambda_handler = redshift_handler(to_hilbert_quadkey)
