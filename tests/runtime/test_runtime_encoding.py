"""carto_runtime.dumps (both encoders), escaped_size and decode_payload."""

from __future__ import annotations

import enum
import json
import subprocess
import sys
import uuid
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from carto_runtime import _encoding, decode_payload, dumps
from carto_runtime._encoding import escaped_size

QUADBIN = 5265786693164204031
LONG_DECIMAL = "123456789012345678901234567890.000000001"
UUID_TEXT = "12345678-1234-5678-1234-567812345678"
MINUS_TWO = timezone(timedelta(hours=-2))


class FakeNumpyScalar:
    """Stands in for a numpy scalar: the encoder recognises numpy by module name only."""

    __module__ = "numpy"

    def __init__(self, value):
        self.value = value

    def tolist(self):
        return self.value


class FakeNumpyArray(FakeNumpyScalar):
    __module__ = "numpy.ndarray_like"


class Color(enum.Enum):
    RED = "red"
    ONE = 1


class Odd(enum.Enum):
    NAN = float("nan")


class MyFloat(float):
    pass


# ------------------------------------------------------------------ accepted values


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "null"),
        (True, "true"),
        (0, "0"),
        (QUADBIN, "5265786693164204031"),
        (2**63, "9223372036854775808"),
        (2**64 + 1, "18446744073709551617"),
        (-(2**64) - 5, "-18446744073709551621"),
        (1.5, "1.5"),
        ('a"b\\c\n', '"a\\"b\\\\c\\n"'),
        ("ñ€😀", '"ñ€😀"'),
        ([1, (2, 3), {"k": [None]}], '[1,[2,3],{"k":[null]}]'),
        (Decimal("1.10"), "1.10"),
        (Decimal("-0"), "-0"),
        (Decimal("1E+2"), "1E+2"),
        (
            Decimal("123456789012345678901234567890.000000001"),
            "123456789012345678901234567890.000000001",
        ),
        ([Decimal("0.1"), Decimal("2")], "[0.1,2]"),
        (date(2024, 1, 31), '"2024-01-31"'),
        (datetime(2024, 1, 31, 12, 5, 9), '"2024-01-31 12:05:09"'),
        (datetime(2024, 1, 31, 12, 5, 9, 120), '"2024-01-31 12:05:09.000120"'),
        (
            datetime(2024, 1, 31, 23, 0, tzinfo=timezone(timedelta(hours=-2))),
            '"2024-02-01 01:00:00"',
        ),
        (FakeNumpyScalar(7), "7"),
        (FakeNumpyArray([1.5, 2]), "[1.5,2]"),
        (Color.RED, '"red"'),
        (Color.ONE, "1"),
        (
            uuid.UUID("12345678-1234-5678-1234-567812345678"),
            '"12345678-1234-5678-1234-567812345678"',
        ),
        (MyFloat(2.5), "2.5"),
        ({"null": "null"}, '{"null":"null"}'),
    ],
)
def test_dumps_accepts(encoder, value, expected):
    assert dumps(value) == expected


def test_big_integers_stay_exact(encoder):
    values = [QUADBIN, 2**64 + 1, -(2**63) - 1, 2**53 + 1]
    assert json.loads(dumps(values)) == values
    assert json.loads(dumps({"success": True, "results": [QUADBIN, 2**64 + 1]}))["results"] == [
        QUADBIN,
        2**64 + 1,
    ]


def test_dict_with_int_keys_is_encoded_like_the_json_module(encoder):
    assert json.loads(dumps({1: "a", "b": 2})) == {"1": "a", "b": 2}


def test_decimal_among_other_strings_is_not_confused(encoder):
    value = ["\x00marker:0\x00", Decimal("3.14"), "3.14"]
    assert json.loads(dumps(value)) == ["\x00marker:0\x00", 3.14, "3.14"]
    assert dumps(value).endswith(',3.14,"3.14"]')


# ------------------------------------------------------------------ refused values


@pytest.mark.parametrize(
    "value",
    [
        float("nan"),
        float("inf"),
        float("-inf"),
        [1.0, [2.0, {"x": float("nan")}]],
        {"a": (None, float("inf"))},
        MyFloat("nan"),
        [None, Odd.NAN],
        FakeNumpyScalar(float("nan")),
        FakeNumpyArray([1.0, float("-inf")]),
        Decimal("NaN"),
        Decimal("Infinity"),
        Decimal("-Infinity"),
        "lone \udc80 surrogate",
        ["ok", {"k": "\ud800"}],
    ],
)
def test_dumps_refuses_with_value_error(encoder, value):
    with pytest.raises(ValueError):
        dumps(value)


@pytest.mark.parametrize(
    "value",
    [object(), b"bytes", {1, 2}, 1j, [datetime.now().time()], [bytearray(b"x")]],
)
def test_dumps_refuses_unknown_types_with_type_error(encoder, value):
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps(value)


def test_dumps_refuses_circular_references(encoder):
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError):
        dumps(loop)


def test_nan_is_found_although_other_nulls_are_present(encoder):
    with pytest.raises(ValueError):
        dumps([None, "null", [None, float("nan")]])
    assert dumps([None, "null", [None, 1.0]]) == '[null,"null",[null,1.0]]'


# ------------------------------------------------------------------ the two encoders


def test_orjson_is_used_when_importable(monkeypatch):
    orjson = pytest.importorskip("orjson")
    assert _encoding._orjson is orjson
    calls = []
    real = orjson.dumps

    def spy(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(_encoding, "_orjson", type("O", (), {"dumps": staticmethod(spy)}))
    assert dumps([1, "x"]) == '[1,"x"]'
    assert calls == [[1, "x"]]


def test_encoders_agree_on_mixed_values(monkeypatch):
    orjson = pytest.importorskip("orjson")
    value = {
        "ints": [0, -1, QUADBIN, 2**70],
        "floats": [0.1, -0.0, 1e300, 5e-324],
        "text": ["", "ñ", "😀", "\u2028", "\x00\x1f"],
        "dec": Decimal("10.50"),
        "when": [date(1999, 12, 31), datetime(2000, 1, 1, 0, 0, 0, 1)],
        "nested": ((1, (2,)), [{}]),
    }
    monkeypatch.setattr(_encoding, "_orjson", orjson)
    fast = dumps(value)
    monkeypatch.setattr(_encoding, "_orjson", None)
    slow = dumps(value)
    assert json.loads(fast) == json.loads(slow)
    assert fast.encode("utf-8").isascii() is slow.encode("utf-8").isascii()


def test_import_without_orjson_uses_the_standard_library():
    code = (
        "import sys; sys.modules['orjson'] = None\n"
        "import carto_runtime, carto_runtime._encoding as e\n"
        "assert e._orjson is None\n"
        "print(carto_runtime.dumps([2**64 + 1, 5265786693164204031]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[18446744073709551617,5265786693164204031]"


def test_import_does_not_import_numpy():
    code = "import sys, carto_runtime; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_real_numpy_values(encoder):
    np = pytest.importorskip("numpy")
    value = [np.int64(QUADBIN), np.float32(0.5), np.bool_(True), np.array([[1, 2], [3, 4]])]
    assert json.loads(dumps(value)) == [QUADBIN, 0.5, True, [[1, 2], [3, 4]]]
    with pytest.raises(ValueError):
        dumps([np.array([1.0, np.nan])])
    with pytest.raises(ValueError):
        dumps(np.float64("inf"))


# ------------------------------------------------------------------ escaped_size


@pytest.mark.parametrize(
    "text", ["", "plain", '{"a":"b\\"c"}', "back\\\\slash", "ñ€", '😀 and "quotes"', "\u2028"]
)
def test_escaped_size_matches_a_second_json_encoding(text):
    assert escaped_size(text) == len(json.dumps(text)) - 2


# ------------------------------------------------------------------ decode_payload


RESPONSE = {"success": True, "num_records": 2, "results": [QUADBIN, None]}


@pytest.mark.parametrize(
    "payload",
    [
        RESPONSE,
        json.dumps(RESPONSE),
        json.dumps(RESPONSE).encode(),
        bytearray(json.dumps(RESPONSE).encode()),
        json.dumps(json.dumps(RESPONSE)),
        json.dumps(json.dumps(RESPONSE)).encode(),
    ],
)
def test_decode_payload_accepts(payload):
    assert decode_payload(payload) == RESPONSE


@pytest.mark.parametrize(
    ("payload", "match"),
    [
        ("", "not valid JSON"),
        ("{not json", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
        ('{"results": [NaN]}', "not valid JSON"),
        ('{"results": [Infinity]}', "not valid JSON"),
        ("[1, 2]", "not a JSON object"),
        ('"just a string"', "not valid JSON"),
        (json.dumps(json.dumps(json.dumps(RESPONSE))), "not a JSON object"),
        (None, "not a JSON object"),
        (42, "not a JSON object"),
        (["success"], "not a JSON object"),
    ],
)
def test_decode_payload_refuses(payload, match):
    with pytest.raises(ValueError, match=match):
        decode_payload(payload)
