"""The Redshift <-> Lambda batch contract, shipped inside every function artifact.

Standard library only; orjson is used when importable and gives the same results.

Handlers
--------
``redshift_handler(fn)`` / ``redshift_handler(nulls="propagate" | "pass")(fn)``
    Per row. ``fn`` receives the row's arguments positionally and returns one value.

``batch_handler(fn)`` / ``batch_handler(nulls="propagate" | "pass")(fn)``
    Whole batch. ``fn`` receives a list of rows, each a list of the row's arguments (the
    event's own lists, not copies: read them, do not change them), and returns a list (or any
    iterable, or a numpy array) holding exactly one result per row it received. It is not
    called when there is nothing to pass it. To name the row that failed, raise
    ``RowError(index, exc_or_message)``, ``index`` being the 0-based position in the list
    ``fn`` received: the answer is ``row i of n: Type: message`` (``row i of n: message`` for
    a message) with ``i`` the row's 1-based number in the event (null rows removed under
    ``nulls="propagate"`` counted), exactly as a per-row handler answers. Any other exception
    is answered ``batch of k rows: Type: message`` (k the rows ``fn`` received); so is a
    RowError whose index is not one of those rows. When ``fn`` received a single row, that
    row is named instead (``row i of n: Type: message``).

    Row shapes are checked before ``fn`` is called, so no batch function has to: a row whose
    width differs from the batch's other rows, or a bare value (string, number, object)
    where they are lists of several arguments, is answered ``row i of n: ...`` naming it.

    A batch function that writes its results as text in bulk may return
    ``EncodedResults(text, count)`` instead of a list: ``text`` one JSON array of ``count``
    values, one per row, written as ``dumps`` writes the list. It goes into the response
    as it is (the count, the array's brackets and the limits are checked; it is parsed only to
    put null rows back or to name a row over a limit), so writing valid JSON is the function's
    part; ``pytest_carto.row_by_row`` compares the response with the per-row definition's.

The decorated object *is* the Lambda handler: ``lambda_handler(event, context=None) -> str``,
returning the JSON text of ``{"success": true, "num_records": n, "results": [...]}`` or of
``{"success": false, "error_msg": "row 3 of 10: ValueError: ..."}``. It never raises.

``nulls="propagate"`` (default): a null row, or a row with any null argument, gets a null
result without calling the function (batch handlers receive only the other rows; their
results are put back in place). ``nulls="pass"``: nulls are passed through; a null row becomes
a row of Nones as wide as the batch's first non-null row (or, failing that, the function's
required positional parameters; 1 for batch handlers).

Events: ``arguments: null`` means a zero-argument function, called ``num_records`` times
with no arguments. A row that is a bare value rather than a list is one argument. A
``num_records`` that disagrees with the rows, or a malformed event, is an error response, as
is a ``num_records`` over ``MAX_RESPONSE_BYTES // 2`` (no 6 MB response could hold the results).

Error responses, each naming the 1-based row where it can: an exception raised by the
function (type and message); a result that is not JSON-serialisable (see ``dumps``), NaN and
infinities included; a string result (the row's value itself, not a string nested in a list or
dict) over ``MAX_VARCHAR_BYTES`` UTF-8 bytes; a response over
``MAX_RESPONSE_BYTES`` (counted as the Lambda runtime returns it: the JSON string encoded once
more, non-ASCII as ``\\uXXXX``), naming the row at which the limit is crossed; a batch
handler returning the wrong number of results. Failures are logged at ERROR on the
``carto_runtime`` logger; every line carries the event's request_id and query_id.

Other exports
-------------
``dumps(obj) -> str``: the strict encoder used for responses.
``decode_payload(payload) -> dict``: an invoker's view of a response (dict, JSON text, bytes,
or double-encoded JSON text); raises ValueError otherwise.
``MAX_VARCHAR_BYTES`` (65,535) and ``MAX_RESPONSE_BYTES`` (6 * 1024 * 1024).
"""

from carto_runtime._encoding import decode_payload, dumps
from carto_runtime._handlers import (
    MAX_RESPONSE_BYTES,
    MAX_VARCHAR_BYTES,
    EncodedResults,
    RowError,
    batch_handler,
    redshift_handler,
)

__all__ = [
    "MAX_RESPONSE_BYTES",
    "MAX_VARCHAR_BYTES",
    "EncodedResults",
    "RowError",
    "batch_handler",
    "decode_payload",
    "dumps",
    "redshift_handler",
]
