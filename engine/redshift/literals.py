"""SQL literals for values that come from test cases (JSON), never from users at runtime."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import re
from typing import Any

from engine.types import sql_type


def quote_string(value: str) -> str:
    """A single-quoted literal. Quotes are doubled; backslashes too, because Redshift reads a
    backslash in a literal as an escape character. NUL cannot be represented and is refused."""
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    if "\x00" in value:
        raise ValueError("a SQL string literal cannot contain NUL characters")
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?")


def _number(value: Any, type_name: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float, decimal.Decimal)):
        raise ValueError(f"expected a number for {type_name}, got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value!r} has no SQL literal; use sql_inputs for special values")
    if isinstance(value, decimal.Decimal) and not value.is_finite():
        raise ValueError(f"{value!r} has no SQL literal")
    if type_name in ("smallint", "int", "bigint"):
        if value != int(value):
            raise ValueError(f"{value!r} is not an integer ({type_name})")
        return str(int(value))
    # repr keeps every digit of a float (str() of a Decimal likewise).
    return repr(value) if isinstance(value, float) else str(value)


def literal(value: Any, type_name: str) -> str:
    """A SQL expression of the function.yaml type `type_name` holding a JSON-like value.

    None -> NULL (typed), numbers as digits, booleans TRUE/FALSE, strings quoted, dates and
    timestamps as typed strings, `geometry` GeoJSON (text or object) via ST_GEOMFROMGEOJSON or
    WKT via ST_GEOMFROMTEXT, `super` any JSON via JSON_PARSE. The result is always wrapped in a
    CAST to the public SQL type so overload resolution picks the declared signature.
    """
    t = sql_type(type_name)
    public = t.public_sql
    if value is None:
        return f"CAST(NULL AS {public})"
    if type_name == "geometry":
        text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
        if text.lstrip().startswith("{"):
            json.loads(text)  # refuse malformed GeoJSON here rather than in Redshift
            return f"ST_GEOMFROMGEOJSON({quote_string(text)})"
        return f"ST_GEOMFROMTEXT({quote_string(text)})"
    if type_name == "super":
        text = json.dumps(value, separators=(",", ":"), allow_nan=False)
        return f"JSON_PARSE({quote_string(text)})"
    if type_name == "boolean":
        if not isinstance(value, bool):
            raise ValueError(f"expected true/false for boolean, got {value!r}")
        return "TRUE" if value else "FALSE"
    if t.json_kind in ("integer", "number"):
        return f"CAST({_number(value, type_name)} AS {public})"
    if type_name == "date":
        text = value.isoformat() if isinstance(value, dt.date) else value
        if not isinstance(text, str) or not _DATE.fullmatch(text):
            raise ValueError(f"expected 'YYYY-MM-DD' for date, got {value!r}")
        return f"CAST({quote_string(text)} AS DATE)"
    if type_name == "timestamp":
        text = value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value
        if not isinstance(text, str) or not _TIMESTAMP.fullmatch(text):
            raise ValueError(
                f"expected 'YYYY-MM-DD HH:MM:SS[.ffffff]' for timestamp, got {value!r}"
            )
        return f"CAST({quote_string(text)} AS TIMESTAMP)"
    if not isinstance(value, str):
        raise ValueError(f"expected a string for {type_name}, got {value!r}")
    return f"CAST({quote_string(value)} AS {public})"
