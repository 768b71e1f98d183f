"""The Redshift batch contract: event in, one JSON response string out, nothing raised."""

from __future__ import annotations

import functools
import sys
from itertools import compress, islice, repeat, starmap
from operator import is_not

from carto_runtime._encoding import dumps, escaped_size, loads

# logging, traceback and json are imported when a failure is answered or a line logged, not at
# cold start (see _log); typing only for type checkers.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from typing import Any, Literal, overload

    Nulls = Literal["propagate", "pass"]
    Handler = Callable[..., str]

__all__ = [
    "MAX_RESPONSE_BYTES",
    "MAX_VARCHAR_BYTES",
    "EncodedResults",
    "RowError",
    "batch_handler",
    "redshift_handler",
]

MAX_VARCHAR_BYTES = 65_535
"""Largest VARCHAR(MAX) value Redshift accepts, in UTF-8 bytes."""

MAX_RESPONSE_BYTES = 6 * 1024 * 1024
"""Lambda's synchronous response payload limit, in bytes."""

# A str of at most this many characters cannot exceed MAX_VARCHAR_BYTES (4 bytes a character).
_VARCHAR_SAFE_CHARS = MAX_VARCHAR_BYTES // 4
_BLOCK = (_VARCHAR_SAFE_CHARS + 2) // 2  # any run of over _VARCHAR_SAFE_CHARS covers a block
_MAX_ERROR_CHARS = 2000
# Every result takes at least one byte and a comma: more rows than this can never be answered
# (and a zero-argument event claiming 2**64 rows must not make us loop for ever).
_MAX_ROWS = MAX_RESPONSE_BYTES // 2

_LOGGER_NAME = "carto_runtime"
_DEBUG = 10  # logging.DEBUG


def _log(ids: dict[str, Any], level: int, msg: str, *args: Any) -> None:
    """Log on the `carto_runtime` logger, the line prefixed with the request's ids, which are
    passed as `extra` too.

    logging is imported for a failure (the line must reach whatever handler is configured,
    lastResort included). A debug line is skipped while logging has not been imported by
    anyone: then nothing can have enabled DEBUG.
    """
    logging = sys.modules.get("logging")
    if logging is None:
        if level <= _DEBUG:
            return
        import logging
    logger = logging.getLogger(_LOGGER_NAME)
    if not logger.isEnabledFor(level):
        return
    prefix = f"[request_id={ids['request_id']} query_id={ids['query_id']}] "
    logger.log(level, prefix + msg, *args, extra=dict(ids))


class _Failure(Exception):
    """An error response to send; the message is the whole `error_msg`."""


class EncodedResults:
    """A batch's results already written as JSON, returned by a batch function instead of a
    list when it produces its results as text in bulk (one pass over bytes is cheaper than a
    string object per row, then an encoder going through them).

    `text` is one JSON array of `count` values, one per row the function received, written as
    `dumps` writes the list (compact, ASCII or UTF-8, no NaN): the response must not depend on
    the path a batch takes. The runtime puts the text into the response as it is. It checks
    the count, that the text is an array, and the limits (VARCHAR and response size); it does
    not parse it unless it has to (null rows to put back, a limit crossed). Valid JSON is the
    function's part: pytest_carto's `respond` and `row_by_row` compare the whole response with
    the per-row definition's.
    """

    __slots__ = ("count", "text")

    def __init__(self, text: str, count: int) -> None:
        if type(text) is not str:
            raise TypeError(f"EncodedResults text must be a str, not {type(text).__name__}")
        if type(count) is not int or count < 0:
            raise TypeError(f"EncodedResults count must be a non-negative int, not {count!r}")
        self.text = text
        self.count = count

    def __repr__(self) -> str:
        preview = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        return f"EncodedResults({preview!r}, count={self.count})"

    @classmethod
    def strings(cls, text: bytes, separator: bytes, count: int) -> EncodedResults:
        """The JSON array of the `count` strings written in `text`, each one after a
        `separator` byte: b",ab,,c" holds "ab", "" and "c".

        For strings written in bulk as bytes (quadkeys, hexadecimal ids): the strings must
        hold nothing JSON escapes (ASCII only, no quote, backslash or control character) and
        not the separator. Non-ASCII bytes, quotes, backslashes and a number of separators other
        than `count` are refused (ValueError); the rest is the caller's part. One replace and
        one copy of the text: no string object per row.
        """
        if len(separator) != 1:
            raise ValueError(f"the separator must be one byte, not {separator!r}")
        if not count:
            if text:
                raise ValueError(f"no strings expected, got text {text[:40]!r}")
            return cls("[]", 0)
        if not text.startswith(separator):
            raise ValueError(f"the text must start with the separator {separator!r}")
        if not text.isascii() or b'"' in text or b"\\" in text:
            raise ValueError("the strings must be ASCII without quotes or backslashes")
        # every separator opens a string and closes the one before; the first one's '",' and
        # the last string's closing quote are the ends of the array
        quoted = text.replace(separator, b'","')
        if len(quoted) - len(text) != 2 * count:  # each separator grew by two bytes
            found = (len(quoted) - len(text)) // 2
            raise ValueError(f"the text holds {found} strings, not {count}")
        return cls(b"".join((b"[", memoryview(quoted)[2:], b'"]')).decode("ascii"), count)

    def values(self) -> list[Any]:
        """The results, decoded (ValueError if the text is not a JSON array of `count`)."""
        values = loads(self.text)
        if type(values) is not list or len(values) != self.count:
            raise ValueError(
                f"EncodedResults text is not a JSON array of {self.count} values: "
                f"{self.text[:80]!r}"
            )
        return values


class RowError(Exception):
    """Raised by a batch function to say which of its rows failed.

    `index` is the 0-based position in the list of rows the batch function received; `error`
    is the exception that row raised (or a message). The runtime answers
    ``row i of n: Type: message`` (``row i of n: message`` for a message), `i` being the row's
    1-based number in the event, exactly as a per-row handler would.
    """

    def __init__(self, index: int, error: BaseException | str) -> None:
        super().__init__(index, error)
        self.index = index
        self.error = error

    def __str__(self) -> str:
        return f"row index {self.index}: {self.detail}"

    @property
    def detail(self) -> str:
        """What the error response says after ``row i of n: ``."""
        error = self.error
        return _describe(error) if isinstance(error, BaseException) else str(error)


# --------------------------------------------------------------------------- events


def _read_event(event: Any) -> tuple[int, list[Any] | None]:
    """(num_records, rows) from an event; rows is None for a zero-argument function."""
    if not isinstance(event, dict):
        raise _Failure(f"malformed event: expected a JSON object, got {type(event).__name__}")
    n = event.get("num_records")
    if type(n) is not int or n < 0:
        raise _Failure(f"malformed event: num_records must be a non-negative integer, got {n!r}")
    if n > _MAX_ROWS:
        raise _Failure(
            f"malformed event: num_records is {n}; no response within Lambda's "
            f"{MAX_RESPONSE_BYTES}-byte limit can hold more than {_MAX_ROWS} results"
        )
    rows = event.get("arguments")
    if rows is None:
        return n, None
    if not isinstance(rows, list):
        raise _Failure(
            f"malformed event: arguments must be a list or null, got {type(rows).__name__}"
        )
    if len(rows) != n:
        raise _Failure(f"malformed event: num_records is {n} but arguments has {len(rows)} rows")
    return n, rows


def _null_width(rows: Iterable[Any], fallback: int) -> int:
    """How many Nones stand for a null row: the width of the batch's first real row."""
    for row in rows:
        if isinstance(row, (list, tuple)):
            return len(row)
    return fallback


def _describe(exc: BaseException) -> str:
    try:
        text = str(exc)
    except Exception:  # a broken __str__ must not break the error response
        text = "<unprintable exception>"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _printable(message: str, exc: BaseException | None) -> str:
    """The message and traceback as text any log handler can write: an exception message may
    hold lone surrogates, which UTF-8 streams (CloudWatch, pipes) refuse."""
    if exc is not None:
        import traceback

        message += "\n" + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return message.encode("utf-8", "backslashreplace").decode("utf-8")


# --------------------------------------------------------------------------- responses


def _error_response(message: str) -> str:
    if len(message) > _MAX_ERROR_CHARS:
        message = message[: _MAX_ERROR_CHARS - 3] + "..."
    import json

    # ensure_ascii keeps any lone surrogate from an exception message encodable.
    return json.dumps({"success": False, "error_msg": message}, separators=(",", ":"))


def _row_error(results: Sequence[Any], exc: Exception) -> str:
    """Name the first row whose result cannot be encoded (the whole response could not)."""
    n = len(results)
    for i, value in enumerate(results, 1):
        try:
            dumps(value)
        except Exception as row_exc:
            return f"row {i} of {n}: result is not valid JSON: {_describe(row_exc)}"
    return f"response is not valid JSON: {_describe(exc)}"


def _may_hold_long_string(text: str) -> bool:
    """False only if no string in `text` (JSON we produced) has over _VARCHAR_SAFE_CHARS chars.

    Once escaped backslashes and quotes are blanked out, every quote opens or closes a string,
    and escapes only lengthen a string. A string of 2 * _BLOCK - 1 chars or more covers a whole
    aligned block of _BLOCK chars holding no quote, entered with an odd number of quotes
    before it. Only such blocks are looked at: finding a quote is much faster than
    counting them, so the quotes are counted only between a quote-free block and the last
    point whose parity is known, and only when that stretch holds a quote. Results of short
    strings (a quote in every block) and of numbers (no quote after the first block) are
    answered in microseconds; the rows are walked only when some string might be too long.
    """
    if "\\" in text:
        text = text.replace("\\\\", "__").replace('\\"', "__")
    find = text.find
    inside = False
    known = 0  # the parity of the quotes before `known` is `inside`
    for start in range(0, len(text), _BLOCK):
        if find('"', start, start + _BLOCK) >= 0:
            continue
        if find('"', known, start) >= 0:
            inside ^= text.count('"', known, start) & 1
        known = start
        if inside:
            return True
    return False


def _oversized_varchar(results: Sequence[Any]) -> str | None:
    n = len(results)
    for i, value in enumerate(results, 1):
        if isinstance(value, str) and len(value) > _VARCHAR_SAFE_CHARS:
            size = len(value) if value.isascii() else len(value.encode("utf-8"))
            if size > MAX_VARCHAR_BYTES:
                return (
                    f"row {i} of {n}: result is {size} bytes, over Redshift's VARCHAR(MAX) "
                    f"limit of {MAX_VARCHAR_BYTES} bytes"
                )
    return None


def _crossing_row(prefix: str, results: Sequence[Any]) -> str:
    """Name the row at which the response crosses MAX_RESPONSE_BYTES."""
    n = len(results)
    size = 2 + escaped_size(prefix) + 2  # the outer quotes, the prefix, "]}"
    for i, value in enumerate(results, 1):
        size += escaped_size(dumps(value)) + (i > 1)
        if size > MAX_RESPONSE_BYTES:
            break
    else:  # pragma: no cover - the whole response was over, so some row crosses
        i = n
    return (
        f"row {i} of {n}: response exceeds Lambda's {MAX_RESPONSE_BYTES}-byte (6 MB) payload "
        f"limit at this row; return smaller results or lower MAX_BATCH_ROWS"
    )


def _long_string_possible(text: str, results: Sequence[Any] | EncodedResults) -> bool:
    """False only if no string result has over _VARCHAR_SAFE_CHARS chars (`text` encodes
    `results`).

    Without escapes the text's quotes are counted (_may_hold_long_string); with them (strings
    of JSON, such as GeoJSON) blanking the escapes would copy the text twice, and when every
    result has a length, the longest is cheaper to find directly.
    """
    if "\\" in text:
        try:
            return max(map(len, results)) > _VARCHAR_SAFE_CHARS
        except (TypeError, ValueError):  # a result without a length (a number, null)
            pass
    return _may_hold_long_string(text)


def _success_response(n: int, results: list[Any] | EncodedResults) -> str:
    if type(results) is EncodedResults:
        encoded = results.text
    else:
        try:
            encoded = dumps(results)
        except Exception as exc:
            raise _Failure(_row_error(results, exc)) from exc
    text = f'{{"success":true,"num_records":{n},"results":{encoded}}}'
    # The Lambda runtime encodes the returned string once more: that is what is counted. Once
    # encoded, ASCII text at most doubles: an exact count is only needed near the limit.
    ascii_text = text.isascii()
    bound = 2 * len(text) + 2 if ascii_text else escaped_size(text) + 2
    if bound > MAX_VARCHAR_BYTES:  # otherwise no single string can be over the limit
        if _long_string_possible(text, results):
            problem = _oversized_varchar(_values(results))
            if problem is not None:
                raise _Failure(problem)
        if bound > MAX_RESPONSE_BYTES and (
            not ascii_text or escaped_size(text) + 2 > MAX_RESPONSE_BYTES
        ):
            prefix = text[: text.index('"results":[') + len('"results":[')]
            raise _Failure(_crossing_row(prefix, _values(results)))
    return text


def _values(results: list[Any] | EncodedResults) -> list[Any]:
    if type(results) is not EncodedResults:
        return results
    try:
        return results.values()
    except ValueError as exc:
        raise _Failure(f"batch handler returned {_describe(exc)}") from exc


def _run(
    compute: Callable[[int, list[Any] | None], list[Any] | EncodedResults],
    event: Any,
) -> str:
    ids = {"request_id": None, "query_id": None}
    if isinstance(event, dict):
        ids = {"request_id": event.get("request_id"), "query_id": event.get("query_id")}
    try:
        n, rows = _read_event(event)
        results = compute(n, rows)
        text = _success_response(n, results)
        _log(ids, _DEBUG, "answered %d rows in %d characters of JSON", n, len(text))
        return text
    except _Failure as failure:
        message = str(failure)
        _log(ids, 40, "%s", _printable(message, failure.__cause__))  # 40: logging.ERROR
    except Exception as exc:  # a bug of ours: still answer, and say so
        message = f"internal error in carto_runtime: {_describe(exc)}"
        _log(ids, 40, "%s", _printable(message, exc))
    try:
        return _error_response(message)
    except Exception:  # pragma: no cover - last resort
        return '{"success":false,"error_msg":"internal error in carto_runtime"}'


# --------------------------------------------------------------------------- fast paths


def _nulls_1(rows: list[Any]) -> list[int]:
    return [1 for (a,) in rows if a is None]


def _nulls_2(rows: list[Any]) -> list[int]:
    return [1 for a, b in rows if a is None or b is None]


def _nulls_3(rows: list[Any]) -> list[int]:
    return [1 for a, b, c in rows if a is None or b is None or c is None]


def _nulls_any(rows: list[Any]) -> list[int]:
    return [1 for row in rows if None in row]


_NULL_FINDERS = {1: _nulls_1, 2: _nulls_2, 3: _nulls_3}
_LIST_OR_NONE = frozenset({list, type(None)})


def _all_lists(rows: list[Any]) -> bool:
    """True if every row is a list (as in every event Redshift sends)."""
    # comparing with a list of `list` runs at C speed, without a set of the types
    return bool(rows) and list(map(type, rows)) == [list] * len(rows)


def _same_width(rows: list[Any]) -> bool:
    """True if every row (all lists) is as wide as the first."""
    widths = list(map(len, rows))
    return widths.count(widths[0]) == len(widths)


def _plain(rows: list[Any]) -> bool:
    """True if every row is a list holding no None, all of one width: the rows need no
    per-row null or shape handling.

    The common widths are checked by unpacking, which also proves the rows all have that
    width (a row of another width raises and the general path is taken); wider rows are
    measured.
    """
    if not _all_lists(rows):
        return False
    finder = _NULL_FINDERS.get(len(rows[0]))
    if finder is None:
        return _same_width(rows) and not _nulls_any(rows)
    try:
        return not finder(rows)
    except (ValueError, TypeError):
        return False


def _common_width(rows: list[Any]) -> int:
    """The width most rows have (a bare value counts as 1; the first seen wins a tie)."""
    counts: dict[int, int] = {}
    for row in rows:
        if row is not None:
            width = len(row) if type(row) is list or type(row) is tuple else 1
            counts[width] = counts.get(width, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else 1


def _check_shapes(rows: list[Any], n: int) -> int:
    """The batch's width; a row of another shape is an error naming it.

    Null rows are left to the null handling; a bare value stands for a one-argument row. So a
    row of the wrong width, or a value (a string, a number, an object) where the other rows
    are lists of several arguments, is answered `row i of n: ...` before the batch function
    sees it, instead of failing the whole batch inside the function's unpacking.
    """
    if set(map(type, rows)) <= _LIST_OR_NONE:  # the usual case, checked at C speed
        widths = set(map(len, compress(rows, map(is_not, rows, repeat(None)))))
        if len(widths) <= 1:
            return widths.pop() if widths else 1
    width = _common_width(rows)
    for i, row in enumerate(rows, 1):
        if row is None:
            continue
        if type(row) is list or type(row) is tuple:
            if len(row) != width:
                raise _Failure(
                    f"row {i} of {n}: {len(row)} argument{'s' * (len(row) != 1)} where the "
                    f"batch's rows have {width}"
                )
        elif width != 1:
            kind = "an object" if isinstance(row, dict) else f"a bare {type(row).__name__}"
            raise _Failure(
                f"row {i} of {n}: {kind} where the batch's rows are lists of {width} arguments"
            )
    return width


# --------------------------------------------------------------------------- decorators


def _check_nulls(nulls: str) -> None:
    if nulls not in ("propagate", "pass"):
        raise ValueError(f"nulls must be 'propagate' or 'pass', not {nulls!r}")


def _check_callable(fn: Any) -> None:
    if not callable(fn):
        raise TypeError(f"expected a function to decorate, got {fn!r} (pass options by keyword)")


def _positional_arity(fn: Callable[..., Any]) -> int:
    """Required positional parameters of `fn` (how many Nones a null row becomes), or 1.

    Read from the code object rather than with `inspect`, which is slow to import.
    """
    code = getattr(fn, "__code__", None)
    if code is None:
        return 1
    count = code.co_argcount - len(getattr(fn, "__defaults__", None) or ())
    if getattr(fn, "__self__", None) is not None:  # a bound method: self is already given
        count -= 1
    return max(count, 1)


def _call_each(fn: Callable[..., Any], rows: list[Any], results: list[Any]) -> None:
    """Append fn(*row) for every row, at C speed; an exception leaves the results so far."""
    results.extend(starmap(fn, rows))
    n = len(rows)
    while len(results) < n:
        # fn raised StopIteration, which ends starmap silently: call it again on that row so
        # that it raises (and is reported) as any other exception.
        results.append(fn(*rows[len(results)]))
        results.extend(starmap(fn, islice(rows, len(results), None)))


def _make_row_handler(fn: Callable[..., Any], nulls: str) -> Handler:
    _check_nulls(nulls)
    propagate = nulls == "propagate"
    arity = _positional_arity(fn)

    def compute(n: int, rows: list[Any] | None) -> list[Any]:
        results: list[Any] = []
        append = results.append
        try:
            # list.extend keeps what it appended before an exception, so in every path the
            # failing row is the one whose result was not appended.
            if rows is None:
                _call_each(fn, [()] * n, results)
            elif _plain(rows) if propagate else _all_lists(rows):
                _call_each(fn, rows, results)
            elif propagate:
                for row in rows:
                    if row is None:
                        append(None)
                    elif type(row) is list or type(row) is tuple:
                        append(None if None in row else fn(*row))
                    else:  # a one-argument row sent as a bare value
                        append(fn(row))
            else:
                null_row = (None,) * _null_width(rows, arity)
                for row in rows:
                    if type(row) is list or type(row) is tuple:
                        append(fn(*row))
                    elif row is None:
                        append(fn(*null_row))
                    else:
                        append(fn(row))
        except Exception as exc:
            raise _Failure(f"row {len(results) + 1} of {n}: {_describe(exc)}") from exc
        return results

    def lambda_handler(event: Any, context: Any = None) -> str:
        return _run(compute, event)

    functools.update_wrapper(lambda_handler, fn)

    lambda_handler.nulls = nulls  # type: ignore[attr-defined]
    return lambda_handler


def _cause(exc: RowError) -> BaseException:
    """What to log the traceback of: the row's own exception when there is one."""
    error = exc.error
    return error if isinstance(error, BaseException) else exc


def _row_failure(exc: RowError, n: int, size: int, positions: list[int] | None) -> _Failure:
    """`row i of n: ...` for a RowError, i counted in the event (null rows included)."""
    index = exc.index
    if type(index) is not int or not 0 <= index < size:
        return _Failure(
            f"batch of {size} rows: RowError: index {index!r} is not a row of the batch "
            f"(0 to {size - 1}): {exc.detail}"
        )
    row = positions[index] if positions is not None else index
    return _Failure(f"row {row + 1} of {n}: {exc.detail}")


def _as_list(row: Any) -> list[Any] | None:
    if type(row) is list:
        return row
    if type(row) is tuple:
        return list(row)
    return None if row is None else [row]


def _encoded(
    out: EncodedResults, n: int, size: int, positions: list[int] | None
) -> list[Any] | EncodedResults:
    """A batch function's encoded results, checked; decoded only to put null rows back."""
    if out.count != size:
        raise _Failure(
            f"batch handler returned {out.count} results for {size} rows; "
            f"it must return exactly one result per row"
        )
    text = out.text
    if not (text.startswith("[") and text.endswith("]")):
        raise _Failure(f"batch handler returned EncodedResults that are not a JSON array: {out!r}")
    if positions is None:
        return out
    results: list[Any] = [None] * n
    for i, value in zip(positions, _values(out), strict=True):
        results[i] = value
    return results


def _make_batch_handler(fn: Callable[[list[list[Any]]], Any], nulls: str) -> Handler:
    _check_nulls(nulls)
    propagate = nulls == "propagate"

    def compute(n: int, rows: list[Any] | None) -> list[Any] | EncodedResults:
        if rows is None:
            batch: list[list[Any]] = [[] for _ in range(n)]
            positions = None
        elif _plain(rows) if propagate else _all_lists(rows) and _same_width(rows):
            batch = list(rows)  # the event's own rows, in a list of fn's own
            positions = None
        elif propagate:
            batch, positions = [], []
            width = -1
            for i, row in enumerate(map(_as_list, rows)):
                if row is None:
                    continue
                if len(row) != width:
                    if width >= 0:  # rows of two widths: name the one out of shape
                        _check_shapes(rows, n)
                    width = len(row)
                if None not in row:
                    batch.append(row)
                    positions.append(i)
            if len(batch) == n:
                positions = None
        else:
            width = _null_width(rows, 1)
            batch = [[None] * width if row is None else row for row in map(_as_list, rows)]
            if batch and not _same_width(batch):
                _check_shapes(rows, n)
            positions = None
        if not batch:
            return [None] * n
        try:
            out = fn(batch)
        except RowError as exc:
            raise _row_failure(exc, n, len(batch), positions) from _cause(exc)
        except Exception as exc:
            if len(batch) == 1:  # the function failed on its only row: that row is named
                row = positions[0] if positions is not None else 0
                raise _Failure(f"row {row + 1} of {n}: {_describe(exc)}") from exc
            raise _Failure(f"batch of {len(batch)} rows: {_describe(exc)}") from exc
        try:
            if isinstance(out, (str, bytes, dict)):
                raise TypeError(f"a batch handler must return a list, not {type(out).__name__}")
            if type(out) is not list and type(out) is not EncodedResults:
                tolist = getattr(out, "tolist", None)  # numpy arrays: plain values at once
                out = tolist() if callable(tolist) else list(out)
        except RowError as exc:
            raise _row_failure(exc, n, len(batch), positions) from _cause(exc)
        except Exception as exc:
            raise _Failure(f"batch of {len(batch)} rows: {_describe(exc)}") from exc
        if type(out) is EncodedResults:
            return _encoded(out, n, len(batch), positions)
        if len(out) != len(batch):
            raise _Failure(
                f"batch handler returned {len(out)} results for {len(batch)} rows; "
                f"it must return exactly one result per row"
            )
        if positions is None:
            return out
        results: list[Any] = [None] * n
        for i, value in zip(positions, out, strict=True):
            results[i] = value
        return results

    def lambda_handler(event: Any, context: Any = None) -> str:
        return _run(compute, event)

    functools.update_wrapper(lambda_handler, fn)

    lambda_handler.nulls = nulls  # type: ignore[attr-defined]
    return lambda_handler


if TYPE_CHECKING:

    @overload
    def redshift_handler(fn: Callable[..., Any], /) -> Handler: ...
    @overload
    def redshift_handler(
        *, nulls: Nulls = "propagate"
    ) -> Callable[[Callable[..., Any]], Handler]: ...


def redshift_handler(
    fn: Callable[..., Any] | None = None, /, *, nulls: Nulls = "propagate"
) -> Handler | Callable[[Callable[..., Any]], Handler]:
    """Turn a per-row function into a Lambda handler (see the package docstring)."""
    if fn is not None:
        _check_callable(fn)
        return _make_row_handler(fn, nulls)
    _check_nulls(nulls)
    return lambda f: _make_row_handler(f, nulls)


if TYPE_CHECKING:

    @overload
    def batch_handler(fn: Callable[[list[list[Any]]], Any], /) -> Handler: ...
    @overload
    def batch_handler(
        *, nulls: Nulls = "propagate"
    ) -> Callable[[Callable[[list[list[Any]]], Any]], Handler]: ...


def batch_handler(
    fn: Callable[[list[list[Any]]], Any] | None = None,
    /,
    *,
    nulls: Nulls = "propagate",
) -> Handler | Callable[[Callable[[list[list[Any]]], Any]], Handler]:
    """Turn a whole-batch function into a Lambda handler (see the package docstring)."""
    if fn is not None:
        _check_callable(fn)
        return _make_batch_handler(fn, nulls)
    _check_nulls(nulls)
    return lambda f: _make_batch_handler(f, nulls)
