"""Strict JSON encoding for responses, and decoding of response payloads for invokers.

Two encoders give the same result: orjson when it is importable (fast), the standard library
otherwise. orjson is tried first; anything it refuses (an int beyond 64 bits, a dict with
non-string keys, a NaN Decimal...) is encoded again by the standard library, so the standard
library decides what is accepted and both paths accept exactly the same values. The one thing
orjson accepts that the standard library refuses, a non-finite float (orjson writes `null`), is
caught by looking for non-finite floats whenever the output contains `null`.
"""

from __future__ import annotations

import sys
from math import isfinite

# Modules only some paths need (json, re, datetime, decimal, enum) are imported where they are
# used, or found in sys.modules: a Decimal, Enum or date can only exist once its module has been
# imported. Handlers import this module at cold start, so that time is kept small.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

try:  # pragma: no cover - exercised by whichever environment runs the tests
    import orjson as _orjson_module
except ImportError:  # pragma: no cover
    _orjson_module = None

# Module attribute so tests can force the standard-library path (set it to None).
_orjson: Any = _orjson_module
_ORJSON_OPTIONS = 0
if _orjson is not None:
    # Dates and dataclasses go to `_default` so both encoders format (or refuse) them alike.
    _ORJSON_OPTIONS = _orjson.OPT_PASSTHROUGH_DATETIME | _orjson.OPT_PASSTHROUGH_DATACLASS

__all__ = ["decode_payload", "dumps", "escaped_size", "loads"]


def _default(obj: Any) -> Any:
    """Convert a value neither encoder handles natively (Decimal aside) or raise TypeError."""
    from datetime import date, datetime, timezone

    if isinstance(obj, datetime):
        if obj.tzinfo is not None:  # Redshift TIMESTAMP has no zone: send UTC
            obj = obj.astimezone(timezone.utc).replace(tzinfo=None)
        return obj.isoformat(" ")
    if isinstance(obj, date):
        return obj.isoformat()
    module = type(obj).__module__
    if module == "numpy" or module.startswith("numpy."):
        # Scalars and arrays both have tolist(); numpy is never imported here.
        return obj.tolist()
    if isinstance(obj, float):  # a float subclass orjson does not take natively
        return float(obj)
    enum = sys.modules.get("enum")
    if enum is not None and isinstance(obj, enum.Enum):  # orjson encodes enums by value natively
        return obj.value
    uuid = sys.modules.get("uuid")  # a UUID can only exist if uuid was imported
    if uuid is not None and isinstance(obj, uuid.UUID):  # orjson encodes UUIDs natively
        return str(obj)
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


def _is_decimal(obj: Any) -> bool:
    decimal = sys.modules.get("decimal")
    return decimal is not None and isinstance(obj, decimal.Decimal)


def _finite_decimal(obj: Any) -> str:
    if not obj.is_finite():
        raise ValueError(f"non-finite Decimal {obj} is not valid JSON")
    return str(obj)  # always a valid JSON number for finite values (e.g. 1.10, 1E+2)


def _orjson_default(obj: Any) -> Any:
    if _is_decimal(obj):
        return _orjson.Fragment(_finite_decimal(obj))
    return _default(obj)


# The standard library cannot write raw numbers from `default`: a Decimal is written as a
# marker string, then the quoted marker is replaced by the number. The token is random per
# process, so no legitimate string can collide with it. Both are made on first use.
_TOKEN = ""
_MARKER_RE: Any = None


def _marker() -> tuple[str, Any]:
    global _TOKEN, _MARKER_RE
    if _MARKER_RE is None:
        import os
        import re

        _TOKEN = os.urandom(12).hex()
        _MARKER_RE = re.compile('"\\\\u0000' + _TOKEN + ':([0-9]+)\\\\u0000"')
    return _TOKEN, _MARKER_RE


def _stdlib_encode(obj: Any) -> str:
    import json

    token, marker_re = _marker()
    decimals: list[str] = []

    def default(value: Any) -> Any:
        if _is_decimal(value):
            decimals.append(_finite_decimal(value))
            return f"\x00{token}:{len(decimals) - 1}\x00"
        return _default(value)

    text = json.JSONEncoder(
        ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=default
    ).encode(obj)
    if decimals:
        text = marker_re.sub(lambda m: decimals[int(m.group(1))], text)
    if not text.isascii():
        text.encode("utf-8")  # refuse lone surrogates, as orjson does
    return text


def _has_nonfinite(obj: Any) -> bool:
    """True if a float anywhere in `obj` is NaN or infinite."""
    kind = type(obj)
    if kind is float:
        return not isfinite(obj)
    if kind is str or kind is int or kind is bool or obj is None:
        return False
    if kind is list or kind is tuple:
        return any(map(_has_nonfinite, obj))
    if kind is dict:
        return any(map(_has_nonfinite, obj.values()))
    if isinstance(obj, float):
        return not isfinite(obj)
    if isinstance(obj, (list, tuple)):
        return any(map(_has_nonfinite, obj))
    if isinstance(obj, dict):
        return any(map(_has_nonfinite, obj.values()))
    enum = sys.modules.get("enum")
    if enum is not None and isinstance(obj, enum.Enum):  # orjson writes an enum's value natively
        return _has_nonfinite(obj.value)
    module = type(obj).__module__
    if module == "numpy" or module.startswith("numpy."):
        return _has_nonfinite(obj.tolist())
    return False


def dumps(obj: Any) -> str:
    """Encode `obj` as compact, strict JSON text.

    Accepted: None, bool, int (any size, exact), finite float, str, list, tuple, dict with str
    keys (int/float/bool/None keys are converted as the json module does), Decimal (written as
    an exact number), datetime.date ("YYYY-MM-DD"), datetime.datetime ("YYYY-MM-DD
    HH:MM:SS[.ffffff]", aware values converted to UTC), numpy scalars and arrays, Enum (its
    value), UUID (its string). Raises TypeError for other types and ValueError for NaN or
    infinite numbers, lone surrogates and circular references.
    """
    if _orjson is not None:
        try:
            out = _orjson.dumps(obj, default=_orjson_default, option=_ORJSON_OPTIONS)
        except TypeError:  # orjson.JSONEncodeError: let the standard library decide
            pass
        else:
            # orjson writes NaN and Infinity as null: only then is a scan needed. A text
            # without a "u" has no null, and finding one byte is far cheaper than four.
            if b"u" in out and b"null" in out and _has_nonfinite(obj):
                raise ValueError("Out of range float values are not JSON compliant")
            return out.decode("utf-8")
    return _stdlib_encode(obj)


def escaped_size(text: str) -> int:
    """Bytes of `text` once JSON-encoded again as a string, without the enclosing quotes.

    The Lambda runtime JSON-encodes the string a handler returns. Non-ASCII characters are
    counted as `\\uXXXX` escapes: exact for runtimes that escape them, an upper bound for
    those that do not. `text` must be JSON we produced (no control characters).
    """
    if text.isascii():
        return len(text) + text.count('"') + text.count("\\")
    import json

    return len(json.dumps(text)) - 2


def _reject_constant(name: str) -> Any:
    raise ValueError(f"invalid JSON token {name}")


def loads(text: str) -> Any:
    """Decode strict JSON text (NaN and Infinity refused), as `dumps` writes it; raises
    ValueError for anything else."""
    if _orjson is not None:
        try:
            return _orjson.loads(text)
        except _orjson.JSONDecodeError as exc:  # a ValueError
            raise ValueError(f"invalid JSON: {exc}") from None
    import json

    try:
        return json.loads(text, parse_constant=_reject_constant)
    except ValueError as exc:
        raise ValueError(f"invalid JSON: {exc}") from None


def decode_payload(payload: Any) -> dict[str, Any]:
    """The response dict from a Lambda payload.

    Accepts a dict, JSON text (str, bytes or bytearray), or JSON text whose value is itself a
    JSON string (a handler's returned string, encoded again by the Lambda runtime). NaN and
    Infinity tokens are refused. Raises ValueError if the payload is not a JSON object.
    """
    import json

    value = payload
    for _ in range(3):  # the object itself, JSON text, JSON text of JSON text
        if isinstance(value, dict):
            return value
        if not isinstance(value, (str, bytes, bytearray)):
            break
        try:
            value = json.loads(value, parse_constant=_reject_constant)
        except (ValueError, UnicodeDecodeError) as exc:
            preview = repr(payload[:80]) if len(payload) > 80 else repr(payload)
            raise ValueError(f"response payload is not valid JSON ({exc}): {preview}") from None
    raise ValueError(
        f"response payload is not a JSON object (got {type(value).__name__}): {repr(value)[:80]}"
    )
