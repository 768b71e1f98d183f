"""QUADINT_SIBLING: the neighbouring quadint in a direction (wrapping around)."""

from __future__ import annotations

from quadint_core.batch import siblings

from carto_runtime import batch_handler

# A batch with one direction is moved on lanes (quadint_core.batch); any other batch goes row
# by row through quadint_core.sibling, the definition.
lambda_handler = batch_handler(siblings)
