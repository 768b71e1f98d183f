"""S2_FROMHILBERTQUADKEY: the cell id of a Hilbert quadkey 'face/digits'."""

from __future__ import annotations

from s2_core.hilbert import from_hilbert_quadkey

from carto_runtime import redshift_handler

lambda_handler = redshift_handler(from_hilbert_quadkey)
