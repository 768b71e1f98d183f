"""redshift_handler and batch_handler: the Redshift batch contract."""

from __future__ import annotations

import json
import logging
from decimal import Decimal

import pytest

from carto_runtime import (
    MAX_RESPONSE_BYTES,
    MAX_VARCHAR_BYTES,
    EncodedResults,
    RowError,
    batch_handler,
    dumps,
    redshift_handler,
)

QUADBIN = 5265786693164204031


def test_limits():
    assert MAX_VARCHAR_BYTES == 65_535
    assert MAX_RESPONSE_BYTES == 6 * 1024 * 1024


# ------------------------------------------------------------------ per-row basics


@redshift_handler
def add(a, b):
    return a + b


def test_doc_example(encoder, call):
    assert call(add, [[1, 2], [3, None], None, [4, 6]]) == {
        "success": True,
        "num_records": 4,
        "results": [3, None, None, 10],
    }


def test_returns_a_json_string_and_accepts_a_context(encoder):
    text = add({"num_records": 1, "arguments": [[1, 2]]}, object())
    assert text == '{"success":true,"num_records":1,"results":[3]}'
    assert add({"num_records": 1, "arguments": [[1, 2]]}) == text


def test_arguments_are_positional_and_in_order(call):
    seen = []

    @redshift_handler
    def fn(a, b, c):
        seen.append((a, b, c))
        return f"{a}{b}{c}"

    assert call(fn, [["x", "y", "z"], [1, 2, 3]])["results"] == ["xyz", "123"]
    assert seen == [("x", "y", "z"), (1, 2, 3)]


def test_decorated_handler_keeps_name_and_options():
    assert add.__name__ == "add"
    assert add.nulls == "propagate"
    assert redshift_handler(nulls="pass")(lambda a: a).nulls == "pass"


def test_decorator_forms(call):
    forms = [
        redshift_handler(lambda a: a * 2),
        redshift_handler()(lambda a: a * 2),
        redshift_handler(nulls="propagate")(lambda a: a * 2),
        batch_handler(lambda rows: [a * 2 for (a,) in rows]),
        batch_handler()(lambda rows: [a * 2 for (a,) in rows]),
        batch_handler(nulls="pass")(lambda rows: [a * 2 for (a,) in rows]),
    ]
    for handler in forms:
        assert call(handler, [[1], [2]])["results"] == [2, 4]


@pytest.mark.parametrize("factory", [redshift_handler, batch_handler])
def test_bad_options_fail_at_decoration(factory):
    with pytest.raises(ValueError, match="nulls must be"):
        factory(nulls="ignore")
    with pytest.raises(ValueError, match="nulls must be"):
        factory(lambda a: a, nulls="skip")
    with pytest.raises(TypeError, match="pass options by keyword"):
        factory("pass")


def test_empty_batch(encoder, call):
    assert call(add, []) == {"success": True, "num_records": 0, "results": []}


def test_single_argument_rows_may_be_bare_values(encoder, call):
    @redshift_handler
    def upper(s):
        return s.upper()

    assert call(upper, ["ab", ["cd"], None, [None]])["results"] == ["AB", "CD", None, None]


def test_zero_argument_function_is_called_num_records_times(call):
    calls = []

    @redshift_handler
    def counter():
        calls.append(1)
        return len(calls)

    assert call(counter, None, num_records=3)["results"] == [1, 2, 3]
    assert call(counter, None, num_records=0)["results"] == []
    assert len(calls) == 3


def test_big_integer_results_stay_exact(encoder, call):
    @redshift_handler
    def echo(x):
        return x

    body = call(echo, [[QUADBIN], [2**64 + 1], [-(2**63)]])
    assert body["results"] == [QUADBIN, 2**64 + 1, -(2**63)]


def test_special_result_types(encoder, call):
    from datetime import date, datetime

    values = [Decimal("12.340"), date(2024, 2, 29), datetime(2024, 2, 29, 1, 2, 3, 4), (1, 2)]

    @redshift_handler
    def pick(i):
        return values[i]

    text = pick({"num_records": 4, "arguments": [[0], [1], [2], [3]]})
    assert '"results":[12.340,"2024-02-29","2024-02-29 01:02:03.000004",[1,2]]' in text


# ------------------------------------------------------------------ nulls


def test_propagate_does_not_call_the_function_for_nulls(call):
    seen = []

    @redshift_handler
    def fn(a, b):
        seen.append((a, b))
        return 1

    assert call(fn, [None, [None, 1], [1, None], [None, None], [2, 3]])["results"] == [
        None,
        None,
        None,
        None,
        1,
    ]
    assert seen == [(2, 3)]


def test_pass_calls_the_function_with_nulls(call):
    seen = []

    @redshift_handler(nulls="pass")
    def fn(a, b):
        seen.append((a, b))
        return "null" if a is None and b is None else "value"

    assert call(fn, [[1, None], None, [None, None]])["results"] == ["value", "null", "null"]
    assert seen == [(1, None), (None, None), (None, None)]


def test_pass_null_rows_take_the_width_of_the_signature_when_the_batch_has_none(call):
    @redshift_handler(nulls="pass")
    def fn(a, b, c=3):
        return [a, b, c]

    assert call(fn, [None, None])["results"] == [[None, None, 3], [None, None, 3]]


def test_pass_bare_null_row_for_one_argument_function(call):
    @redshift_handler(nulls="pass")
    def fn(a):
        return a is None

    assert call(fn, [None, "x"])["results"] == [True, False]


# ------------------------------------------------------------------ errors from the function


def test_exception_names_the_row_type_and_message(encoder, call):
    @redshift_handler
    def fn(i):
        if i == 3:
            raise ValueError("Invalid resolution, should be between 0 and 26")
        return i

    body = call(fn, [[i] for i in range(1, 11)])
    assert body == {
        "success": False,
        "error_msg": "row 3 of 10: ValueError: Invalid resolution, should be between 0 and 26",
    }


def test_row_numbers_count_null_rows(call):
    @redshift_handler
    def fn(a):
        raise KeyError(a)

    assert call(fn, [None, [None], ["k"]])["error_msg"] == "row 3 of 3: KeyError: 'k'"


def test_exception_with_broken_str(call):
    class Weird(Exception):
        def __str__(self):
            raise RuntimeError("no")

    @redshift_handler
    def fn(a):
        raise Weird

    assert call(fn, [[1]])["error_msg"] == "row 1 of 1: Weird: <unprintable exception>"


def test_exception_without_message_and_with_huge_message(call):
    @redshift_handler
    def fn(a):
        if a:
            raise RuntimeError("x" * 100_000 + "\udc80")
        raise StopIteration

    assert call(fn, [[0]])["error_msg"] == "row 1 of 1: StopIteration"
    message = call(fn, [[1]])["error_msg"]
    assert message.startswith("row 1 of 1: RuntimeError: xxx")
    assert message.endswith("...") and len(message) <= 2000


def test_wrong_number_of_arguments_is_reported(call):
    body = call(add, [[1, 2], [1, 2, 3]])
    assert body["error_msg"].startswith("row 2 of 2: TypeError: ")
    assert "positional argument" in body["error_msg"]


# ------------------------------------------------------------------ malformed events


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (None, "malformed event: expected a JSON object, got NoneType"),
        ([[1, 2]], "malformed event: expected a JSON object, got list"),
        ('{"num_records": 1}', "malformed event: expected a JSON object, got str"),
        ({"arguments": [[1, 2]]}, "malformed event: num_records must be a non-negative integer"),
        ({"num_records": -1, "arguments": []}, "num_records must be a non-negative integer"),
        ({"num_records": True, "arguments": [[1, 2]]}, "num_records must be a non-negative"),
        ({"num_records": "1", "arguments": [[1, 2]]}, "num_records must be a non-negative"),
        ({"num_records": 1.0, "arguments": [[1, 2]]}, "num_records must be a non-negative"),
        ({"num_records": 1, "arguments": {"a": 1}}, "arguments must be a list or null, got dict"),
        ({"num_records": 1, "arguments": "[[1, 2]]"}, "arguments must be a list or null, got str"),
        ({"num_records": 3, "arguments": [[1, 2]]}, "num_records is 3 but arguments has 1 rows"),
        ({"num_records": 0, "arguments": [[1, 2]]}, "num_records is 0 but arguments has 1 rows"),
    ],
)
@pytest.mark.parametrize("handler", [add, batch_handler(lambda rows: [a + b for a, b in rows])])
def test_malformed_events_are_error_responses(handler, event, message, response):
    body = response(handler(event, None))
    assert body["success"] is False
    assert message in body["error_msg"]


# ------------------------------------------------------------------ results that cannot be sent


def test_unserialisable_result_names_the_row(encoder, call):
    @redshift_handler
    def fn(i):
        return object() if i == 2 else i

    body = call(fn, [[1], [2], [3]])
    assert body["error_msg"].startswith("row 2 of 3: result is not valid JSON: TypeError: ")
    assert "object" in body["error_msg"]


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), [1.0, float("-inf")], Decimal("NaN")])
def test_non_finite_result_names_the_row(encoder, call, bad):
    @redshift_handler
    def fn(i):
        return bad if i == 4 else None

    body = call(fn, [[i] for i in range(1, 6)])
    assert body["error_msg"].startswith("row 4 of 5: result is not valid JSON: ValueError")


def test_lone_surrogate_result_names_the_row(encoder, call):
    @redshift_handler
    def fn(s):
        return s + "\udc80" if s == "b" else s

    assert call(fn, [["a"], ["b"]])["error_msg"].startswith("row 2 of 2: result is not valid JSON")


# ------------------------------------------------------------------ VARCHAR limit


@pytest.mark.parametrize(
    ("result", "ok"),
    [
        ("a" * MAX_VARCHAR_BYTES, True),
        ("a" * (MAX_VARCHAR_BYTES + 1), False),
        ("€" * (MAX_VARCHAR_BYTES // 3), True),  # 65,535 bytes
        ("€" * (MAX_VARCHAR_BYTES // 3) + "a", False),
        ("😀" * (MAX_VARCHAR_BYTES // 4), True),  # 65,532 bytes
        ("😀" * (MAX_VARCHAR_BYTES // 4 + 1), False),
        ('"' * MAX_VARCHAR_BYTES, True),  # escaping does not count towards VARCHAR
        ('\\"' * (MAX_VARCHAR_BYTES // 2 + 1), False),
        ("\\" * (MAX_VARCHAR_BYTES + 1), False),
        ("\n\u2028" * 20_000, False),
    ],
)
def test_varchar_limit_is_counted_in_utf8_bytes(encoder, call, result, ok):
    @redshift_handler
    def fn(i):
        return result if i == 2 else "small"

    body = call(fn, [[1], [2], [3]])
    if ok:
        assert body["results"] == ["small", result, "small"]
    else:
        size = len(result.encode("utf-8"))
        assert body["error_msg"] == (
            f"row 2 of 3: result is {size} bytes, over Redshift's VARCHAR(MAX) limit of 65535 bytes"
        )


# ------------------------------------------------------------------ response limit


def _lambda_payload_size(text: str) -> int:
    """What the Lambda runtime returns for our string, counting non-ASCII as escapes."""
    return len(json.dumps(text))


def _body_text(n: int, results: list) -> str:
    body = {"success": True, "num_records": n, "results": results}
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def _crossing_row(chunk: str, n: int) -> int:
    """Independent reference: the first k whose response with k rows passes 6 MB."""
    low, high = 1, n  # the size grows with k: binary search for the first k over the limit
    while low < high:
        k = (low + high) // 2
        if _lambda_payload_size(_body_text(n, [chunk] * k)) > MAX_RESPONSE_BYTES:
            high = k
        else:
            low = k + 1
    return low


def test_response_limit_names_the_crossing_row(encoder, call):
    chunk = "x" * 60_000

    @redshift_handler
    def fn(i):
        return chunk

    n = 120
    crossing = _crossing_row(chunk, n)
    assert 100 < crossing < n
    body = call(fn, [[i] for i in range(n)])
    assert body["error_msg"] == (
        f"row {crossing} of {n}: response exceeds Lambda's 6291456-byte (6 MB) payload limit "
        f"at this row; return smaller results or lower MAX_BATCH_ROWS"
    )


def test_response_limit_counts_the_second_encoding(encoder):
    # 3.2 MB of quotes: under 6 MB as UTF-8 once, over 6 MB once the runtime escapes it again.
    chunk = '"' * 32_000

    @redshift_handler
    def fn(i):
        return chunk

    n = 50
    text = fn({"num_records": n, "arguments": [[i] for i in range(n)]})
    body = json.loads(text)
    assert body["success"] is False
    assert body["error_msg"].startswith(f"row {_crossing_row(chunk, n)} of {n}: response exceeds")
    full = _body_text(n, [chunk] * n)
    assert len(full.encode()) < MAX_RESPONSE_BYTES < _lambda_payload_size(full)


def test_response_limit_counts_non_ascii_as_escapes(encoder):
    chunk = "é" * 20_000  # 40,000 UTF-8 bytes, 120,000 escaped

    @redshift_handler
    def fn(i):
        return chunk

    n = 60
    body = json.loads(fn({"num_records": n, "arguments": [[i] for i in range(n)]}))
    assert body["success"] is False
    assert body["error_msg"].startswith(f"row {_crossing_row(chunk, n)} of 60: response exceeds")
    assert len(_body_text(n, [chunk] * n).encode()) < MAX_RESPONSE_BYTES / 2


def test_response_just_under_the_limit_succeeds(encoder):
    n = 100
    overhead = _lambda_payload_size(_body_text(n, [""] * n))
    per_row = (MAX_RESPONSE_BYTES - overhead) // n
    chunk = "y" * per_row

    @redshift_handler
    def fn(i):
        return chunk

    text = fn({"num_records": n, "arguments": [[i] for i in range(n)]})
    assert json.loads(text)["success"] is True
    assert MAX_RESPONSE_BYTES - n < _lambda_payload_size(text) <= MAX_RESPONSE_BYTES


# ------------------------------------------------------------------ batch_handler


def test_batch_receives_lists_without_null_rows_and_results_go_back_in_place(encoder, call):
    received = []

    @batch_handler
    def fn(rows):
        received.append(rows)
        return [a * b for a, b in rows]

    body = call(fn, [[2, 3], None, [1, None], [4, 5], [None, None]])
    assert body["results"] == [6, None, None, 20, None]
    assert received == [[[2, 3], [4, 5]]]


def test_batch_without_nulls_gets_every_row(call):
    @batch_handler
    def fn(rows):
        return [sum(r) for r in rows]

    assert call(fn, [[1, 2], [3, 4], [5, 6]])["results"] == [3, 7, 11]


def test_batch_pass_receives_nulls(call):
    received = []

    @batch_handler(nulls="pass")
    def fn(rows):
        received.append(rows)
        return [None if a is None else a for a, _ in rows]

    assert call(fn, [[1, None], None, [None, 2]])["results"] == [1, None, None]
    assert received == [[[1, None], [None, None], [None, 2]]]


def test_batch_bare_values_become_one_item_lists(call):
    @batch_handler
    def fn(rows):
        assert all(type(r) is list and len(r) == 1 for r in rows)
        return [r[0].upper() for r in rows]

    assert call(fn, ["a", None, ["b"]])["results"] == ["A", None, "B"]


def test_batch_is_not_called_without_rows(call):
    calls = []

    @batch_handler
    def fn(rows):
        calls.append(rows)
        return rows

    assert call(fn, [])["results"] == []
    assert call(fn, [None, [None, 1]])["results"] == [None, None]
    assert calls == []


def test_batch_zero_argument_function(call):
    @batch_handler
    def fn(rows):
        assert rows == [[], [], []]
        return [7] * len(rows)

    assert call(fn, None, num_records=3)["results"] == [7, 7, 7]


@pytest.mark.parametrize("returned", [[1], [1, 2, 3], []])
def test_batch_must_return_one_result_per_row(call, returned):
    @batch_handler
    def fn(rows):
        return returned

    body = call(fn, [[1], None, [2]])
    assert body["error_msg"] == (
        f"batch handler returned {len(returned)} results for 2 rows; "
        f"it must return exactly one result per row"
    )


def test_batch_may_return_any_iterable(call):
    class ArrayLike:
        def __init__(self, values):
            self.values = values

        def tolist(self):
            return list(self.values)

    assert call(batch_handler(lambda rows: (r[0] for r in rows)), [[1], [2]])["results"] == [1, 2]
    assert call(batch_handler(lambda rows: ArrayLike([9, 8])), [[1], [2]])["results"] == [9, 8]


@pytest.mark.parametrize("returned", ["ab", {"a": 1, "b": 2}, None, 5])
def test_batch_must_return_a_list(call, returned):
    body = call(batch_handler(lambda rows: returned), [[1], [2]])
    assert body["error_msg"].startswith("batch of 2 rows: TypeError: ")


def test_batch_exception_is_reported(call):
    @batch_handler
    def fn(rows):
        raise ZeroDivisionError("division by zero")

    assert call(fn, [[1], [2], None])["error_msg"] == (
        "batch of 2 rows: ZeroDivisionError: division by zero"
    )


def test_batch_result_errors_name_the_row_of_the_full_batch(encoder, call):
    @batch_handler
    def fn(rows):
        return [float("nan") if a == 3 else a for (a,) in rows]

    body = call(fn, [[1], None, [3]])
    assert body["error_msg"].startswith("row 3 of 3: result is not valid JSON: ValueError")


def test_batch_varchar_limit(call):
    @batch_handler
    def fn(rows):
        return ["z" * (MAX_VARCHAR_BYTES + 1) if a == 2 else "" for (a,) in rows]

    assert call(fn, [[1], [2]])["error_msg"].startswith("row 2 of 2: result is 65536 bytes")


# ------------------------------------------------------------------ encoded results


def encoded(values):
    """A batch handler answering `values` (one per row received) as EncodedResults."""

    @batch_handler
    def fn(rows):
        assert len(rows) == len(values)
        return EncodedResults(dumps(values), len(values))

    return fn


@pytest.mark.parametrize(
    "values", [["0123", "", "3"], [1, None, [2, 3], {"a": "b"}], ['é"\\', 2.5]]
)
def test_encoded_results_answer_as_the_list_would(encoder, values):
    rows = [[i] for i in range(len(values))]
    event = {"num_records": len(rows), "arguments": rows}
    as_list = batch_handler(lambda rows: values)(event)
    assert encoded(values)(event) == as_list
    assert json.loads(as_list)["results"] == values


def test_encoded_results_put_null_rows_back(encoder, call):
    body = call(encoded(["a", "b"]), [[1], None, [None], [3]])
    assert body["results"] == ["a", None, None, "b"]


def test_encoded_results_count_must_match_the_rows(call):
    fn = batch_handler(lambda rows: EncodedResults("[1,2,3]", 3))
    assert call(fn, [[1], None, [2]])["error_msg"] == (
        "batch handler returned 3 results for 2 rows; it must return exactly one result per row"
    )


@pytest.mark.parametrize("text", ['{"a":1}', "1", ""])
def test_encoded_results_must_be_an_array(call, text):
    fn = batch_handler(lambda rows: EncodedResults(text, 1))
    assert call(fn, [[1]])["error_msg"].startswith(
        "batch handler returned EncodedResults that are not a JSON array: EncodedResults("
    )


@pytest.mark.parametrize("text", ["[1,]", "[NaN]", "[1,2]"])
def test_encoded_results_that_must_be_read_are_checked(encoder, call, text):
    # a null row to put back: the text is decoded, and refused if it is not what it claims
    fn = batch_handler(lambda rows: EncodedResults(text, 1))
    assert call(fn, [[1], None])["error_msg"].startswith("batch handler returned ValueError: ")


def test_encoded_results_limits_name_the_row(encoder, call):
    long = "z" * (MAX_VARCHAR_BYTES + 1)
    assert call(encoded(["a", long]), [[1], [2]])["error_msg"].startswith(
        "row 2 of 2: result is 65536 bytes"
    )
    big = ["y" * 60_000] * 120
    rows = [[i] for i in range(120)]
    body = call(encoded(big), rows)
    assert body["error_msg"].startswith("row 105 of 120: response exceeds Lambda's")
    assert body == call(batch_handler(lambda rows: big), rows)


@pytest.mark.parametrize(
    ("text", "strings"),
    [
        (b",ab,,c", ["ab", "", "c"]),
        (b",", [""]),
        (b"", []),
        (b"7" + b"0123" * 9_000, ["0123" * 9_000]),
    ],
)
def test_encoded_strings(text, strings):
    separator = text[:1] or b","
    out = EncodedResults.strings(text, separator, len(strings))
    assert out.text == dumps(strings)
    assert out.count == len(strings)


@pytest.mark.parametrize(
    ("text", "separator", "count", "message"),
    [
        (b",a", b",,", 1, "one byte"),
        (b"a,b", b",", 2, "must start with the separator"),
        (b',a"', b",", 1, "without quotes or backslashes"),
        (b",a\\", b",", 1, "without quotes or backslashes"),
        (",é".encode(), b",", 1, "ASCII"),
        (b",a", b",", 0, "no strings expected"),
        (b",a,b", b",", 3, "the text holds 2 strings, not 3"),
        (b",a,b,", b",", 2, "the text holds 3 strings, not 2"),
    ],
)
def test_encoded_strings_refuse_what_json_would_escape(text, separator, count, message):
    with pytest.raises(ValueError, match=message):
        EncodedResults.strings(text, separator, count)


def test_encoded_results_arguments_are_checked():
    with pytest.raises(TypeError, match="text must be a str"):
        EncodedResults(b"[1]", 1)
    with pytest.raises(TypeError, match="count must be a non-negative int"):
        EncodedResults("[1]", -1)
    assert EncodedResults("[1]", 1).values() == [1]
    with pytest.raises(ValueError, match="not a JSON array of 2 values"):
        EncodedResults("[1]", 2).values()


# ------------------------------------------------------------------ logging


def test_failures_are_logged_with_request_and_query_ids(call, caplog):
    @redshift_handler
    def fn(a):
        raise ValueError("bad input")

    with caplog.at_level(logging.DEBUG, logger="carto_runtime"):
        call(fn, [[1]], request_id="abc-123", query_id=987)
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    record = errors[0]
    assert record.name == "carto_runtime"
    first, *traceback_lines = record.getMessage().splitlines()
    assert first == "[request_id=abc-123 query_id=987] row 1 of 1: ValueError: bad input"
    assert (record.request_id, record.query_id) == ("abc-123", 987)
    # the traceback is part of the message, already made printable
    assert traceback_lines[0] == "Traceback (most recent call last):"
    assert traceback_lines[-1] == "ValueError: bad input"


def test_lone_surrogates_never_reach_the_log_stream(call, caplog):
    @redshift_handler
    def fn(a):
        raise RuntimeError("broken \udc80 text")

    with caplog.at_level(logging.ERROR, logger="carto_runtime"):
        body = call(fn, [[1]])
    assert body["success"] is False
    (record,) = caplog.records
    record.getMessage().encode("utf-8")  # raises if a surrogate got through
    assert "broken \\udc80 text" in record.getMessage()


def test_successes_log_at_debug_only(call, caplog):
    with caplog.at_level(logging.DEBUG, logger="carto_runtime"):
        call(add, [[1, 2]], request_id="r-9", query_id=5)
    assert [r.levelno for r in caplog.records] == [logging.DEBUG]
    assert caplog.records[0].getMessage().startswith("[request_id=r-9 query_id=5] ")


def test_malformed_event_is_logged(caplog, response):
    with caplog.at_level(logging.ERROR, logger="carto_runtime"):
        response(add(["not", "an", "event"]))
    assert "[request_id=None query_id=None] malformed event" in caplog.text


# ------------------------------------------------------------------ nothing escapes


def test_internal_errors_still_answer(monkeypatch, call):
    from carto_runtime import _handlers

    def broken(n, results):
        raise RuntimeError("encoder exploded")

    monkeypatch.setattr(_handlers, "_success_response", broken)
    assert call(add, [[1, 2]])["error_msg"] == (
        "internal error in carto_runtime: RuntimeError: encoder exploded"
    )


def test_exception_subclasses_are_named_by_their_own_type(call):
    class Custom(ArithmeticError):
        pass

    @redshift_handler
    def fn(a):
        raise Custom("odd")

    assert call(fn, [[1]])["error_msg"] == "row 1 of 1: Custom: odd"


def test_impossible_num_records_is_refused_up_front(call):
    calls = []

    @redshift_handler
    def fn():
        calls.append(1)

    body = call(fn, None, num_records=2**64)
    assert body["error_msg"] == (
        f"malformed event: num_records is {2**64}; no response within Lambda's 6291456-byte "
        f"limit can hold more than {MAX_RESPONSE_BYTES // 2} results"
    )
    assert calls == []


def test_rows_are_walked_for_long_strings_only():
    from carto_runtime import _handlers, dumps

    def body(results):
        return dumps({"success": True, "num_records": len(results), "results": results})

    assert not _handlers._may_hold_long_string(body(["abc" * 20] * 10_000))
    assert not _handlers._may_hold_long_string(body([QUADBIN] * 10_000))
    assert not _handlers._may_hold_long_string(body(['"\\' * 2000] * 100))
    assert _handlers._may_hold_long_string(body([1, "x" * (MAX_VARCHAR_BYTES // 4 + 1)]))
    assert _handlers._may_hold_long_string(body([1, '"' * (MAX_VARCHAR_BYTES // 4 + 1)]))
    # long quote-free stretches of numbers: the quotes before them are counted, whatever
    # their parity at the block boundary
    long = "y" * (MAX_VARCHAR_BYTES // 4 + 1)
    numbers = list(range(10**12, 10**12 + 5_000))
    assert not _handlers._may_hold_long_string(body(numbers))
    assert not _handlers._may_hold_long_string(body(["a" * 9_000, *numbers, "b", *numbers]))
    assert _handlers._may_hold_long_string(body([*numbers, "b", *numbers, long]))
    assert _handlers._may_hold_long_string(body(["a" * 9_000, *numbers, long, *numbers]))


def test_pass_null_row_width_for_methods_and_callables(call):
    class Thing:
        def method(self, a, b):
            return [a, b]

        def __call__(self, *args):
            return list(args)

    assert call(redshift_handler(nulls="pass")(Thing().method), [None])["results"] == [[None, None]]
    assert call(redshift_handler(nulls="pass")(Thing()), [None])["results"] == [[None]]
    assert call(redshift_handler(nulls="pass")(Thing()), [None, [1, 2, 3]])["results"] == [
        [None, None, None],
        [1, 2, 3],
    ]


# ------------------------------------------------------------------ RowError


def test_row_error_is_exported():
    import carto_runtime

    assert "RowError" in carto_runtime.__all__
    assert issubclass(RowError, Exception)
    err = RowError(2, ValueError("bad"))
    assert err.index == 2
    assert isinstance(err.error, ValueError)


def test_row_error_names_the_row_like_a_per_row_handler(encoder, call):
    @batch_handler
    def batch(rows):
        for i, (a,) in enumerate(rows):
            if a == 3:
                raise RowError(i, ValueError(f"bad value {a}"))
        return [a for (a,) in rows]

    @redshift_handler
    def per_row(a):
        if a == 3:
            raise ValueError(f"bad value {a}")
        return a

    rows = [[1], [2], [3], [4]]
    assert call(batch, rows)["error_msg"] == "row 3 of 4: ValueError: bad value 3"
    assert call(batch, rows) == call(per_row, rows)


def test_row_error_counts_null_rows_removed(call):
    @batch_handler
    def fn(rows):
        assert rows == [[1], [3], [5]]
        raise RowError(1, KeyError("x"))

    body = call(fn, [[1], None, [None], [3], [5]])
    assert body == {"success": False, "error_msg": "row 4 of 5: KeyError: 'x'"}


def test_row_error_with_nulls_pass_and_bare_values(call):
    @batch_handler(nulls="pass")
    def fn(rows):
        raise RowError(2, ZeroDivisionError("division by zero"))

    assert (
        call(fn, [[1], None, 7])["error_msg"] == "row 3 of 3: ZeroDivisionError: division by zero"
    )


def test_row_error_with_zero_argument_event(call):
    @batch_handler
    def fn(rows):
        raise RowError(len(rows) - 1, "the last one")

    assert call(fn, None, num_records=4)["error_msg"] == "row 4 of 4: the last one"


def test_row_error_with_a_message(call):
    @batch_handler
    def fn(rows):
        raise RowError(0, "cell 5 is not valid")

    assert call(fn, [[None], [5]])["error_msg"] == "row 2 of 2: cell 5 is not valid"


def test_row_error_with_an_exception_without_message(call):
    @batch_handler
    def fn(rows):
        raise RowError(0, StopIteration())

    assert call(fn, [[1]])["error_msg"] == "row 1 of 1: StopIteration"


@pytest.mark.parametrize("index", [-1, 2, 1.0, None, True])
def test_row_error_with_an_index_outside_the_batch(call, index):
    @batch_handler
    def fn(rows):
        raise RowError(index, ValueError("bad"))

    body = call(fn, [[1], None, [2]])
    assert body["success"] is False
    assert body["error_msg"] == (
        f"batch of 2 rows: RowError: index {index!r} is not a row of the batch (0 to 1): "
        "ValueError: bad"
    )


def test_row_error_is_logged_with_the_row_and_its_traceback(call, caplog):
    def check(a):
        raise ValueError(f"no {a}")

    @batch_handler
    def fn(rows):
        for i, (a,) in enumerate(rows):
            try:
                check(a)
            except ValueError as exc:
                raise RowError(i, exc) from exc
        return []

    with caplog.at_level(logging.ERROR, logger="carto_runtime"):
        body = call(fn, [None, [8]], request_id="r-9", query_id=3)
    assert body["error_msg"] == "row 2 of 2: ValueError: no 8"
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    first, *rest = record.getMessage().splitlines()
    assert first == "[request_id=r-9 query_id=3] row 2 of 2: ValueError: no 8"
    assert any("in check" in line for line in rest)
