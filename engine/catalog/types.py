"""The type vocabulary of function.yaml: one table row per SQL type, read by every stage.

A function declares *public* types: what SQL users see. Lambda-backed external functions
accept only a fixed set of scalar types, so `geometry` and `super` exist only at the public
level: the external function carries them as VARCHAR(MAX) text (GeoJSON in, JSON out) and a
SQL wrapper converts (ST_ASGEOJSON in, JSON_PARSE out).

Each row says, for its type: the public and external SQL spellings, how the value travels in
the Redshift <-> Lambda JSON, why a case input cannot be that value (`input_problem`), the SQL
literal of a case value (`sql_literal`), what Redshift may send (`strategy`, a hypothesis
strategy built on demand: hypothesis is a test dependency the shipped engine never imports)
and why a result cannot be a value of the type (`output_problem`: ranges, VARCHAR's 65,535
bytes, JSON for SUPER, GeoJSON for GEOMETRY).
Adding a type is one row here.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

Check = Callable[[Any], "str | None"]


@dataclass(frozen=True)
class SqlType:
    name: str  # vocabulary name used in function.yaml
    public_sql: str  # type in the public SQL signature
    external_sql: str  # type the EXTERNAL FUNCTION declares (Lambda UDF compatible)
    json_kind: str  # how the value travels in the Redshift <-> Lambda JSON
    input_problem: Check  # why a (non-null) case input is not what Redshift sends, or None
    sql_literal: Callable[[Any], str]  # a SQL expression of the public type (non-null values)
    strategy: Callable[[], SearchStrategy[Any]]  # non-null values Redshift may send
    output_problem: Check  # why a (non-null) result, as the Lambda returns it, is not this type

    def literal(self, value: Any) -> str:
        """The SQL literal of a case value, NULL included (typed, for overload resolution)."""
        return f"CAST(NULL AS {self.public_sql})" if value is None else self.sql_literal(value)


# ---------------------------------------------------------------------------------------------
# SQL text


def quote_string(value: str) -> str:
    """A single-quoted literal. Quotes are doubled; backslashes too, because Redshift reads a
    backslash in a literal as an escape character. NUL cannot be represented and is refused."""
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    if "\x00" in value:
        raise ValueError("a SQL string literal cannot contain NUL characters")
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIMESTAMP_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool)


# ---------------------------------------------------------------------------------------------
# per kind: case-input checks, literals, strategies


def _integer(name: str, public: str, bits: int) -> SqlType:
    def problem(value: Any) -> str | None:
        return None if _is_int(value) else f"{value!r} is not an integer ({name} travels as one)"

    def literal(value: Any) -> str:
        if not _is_number(value):
            raise ValueError(f"expected a number for {name}, got {value!r}")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{value!r} has no SQL literal; use sql_inputs for special values")
        if value != int(value):
            raise ValueError(f"{value!r} is not an integer ({name})")
        return f"CAST({int(value)} AS {public})"

    def strategy() -> SearchStrategy[Any]:
        from hypothesis import strategies as st

        low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
        # Small values first: they are the ones functions give meaning to (resolutions, ...).
        return st.one_of(st.integers(-3, 40), st.integers(low, high))

    output = _integer_output(name, bits)
    return SqlType(name, public, public, "integer", problem, literal, strategy, output)


def _number(name: str, public: str) -> SqlType:
    def problem(value: Any) -> str | None:
        return None if _is_number(value) else f"{value!r} is not a number ({name} travels as one)"

    def literal(value: Any) -> str:
        if not _is_number(value):
            raise ValueError(f"expected a number for {name}, got {value!r}")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{value!r} has no SQL literal; use sql_inputs for special values")
        if isinstance(value, decimal.Decimal) and not value.is_finite():
            raise ValueError(f"{value!r} has no SQL literal")
        # repr keeps every digit of a float (str() of a Decimal likewise).
        return f"CAST({repr(value) if isinstance(value, float) else str(value)} AS {public})"

    def strategy() -> SearchStrategy[Any]:
        from hypothesis import strategies as st

        return st.one_of(
            st.floats(-180, 180, allow_nan=False),
            st.floats(-90, 90, allow_nan=False),
            st.floats(allow_nan=False, allow_infinity=False),
        )

    return SqlType(name, public, public, "number", problem, literal, strategy, _number_output)


def _text(name: str, public: str) -> SqlType:
    def problem(value: Any) -> str | None:
        return None if isinstance(value, str) else f"{value!r} is not a string"

    def literal(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(f"expected a string for {name}, got {value!r}")
        return f"CAST({quote_string(value)} AS {public})"

    def strategy() -> SearchStrategy[Any]:
        from hypothesis import strategies as st

        return st.text(max_size=30)

    return SqlType(name, public, public, "string", problem, literal, strategy, _text_problem)


def _boolean_problem(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"{value!r} is not true/false"


def _boolean_literal(value: Any) -> str:
    if not isinstance(value, bool):
        raise ValueError(f"expected true/false for boolean, got {value!r}")
    return "TRUE" if value else "FALSE"


def _boolean_strategy() -> SearchStrategy[Any]:
    from hypothesis import strategies as st

    return st.booleans()


def _date_problem(value: Any) -> str | None:
    ok = isinstance(value, str) and _DATE_RE.fullmatch(value)
    return None if ok else f"{value!r} is not a 'YYYY-MM-DD' string"


def _date_literal(value: Any) -> str:
    text = value.isoformat() if isinstance(value, dt.date) else value
    if not isinstance(text, str) or not _DATE_RE.fullmatch(text):
        raise ValueError(f"expected 'YYYY-MM-DD' for date, got {value!r}")
    return f"CAST({quote_string(text)} AS DATE)"


def _date_strategy() -> SearchStrategy[Any]:
    from hypothesis import strategies as st

    return st.dates().map(lambda d: d.isoformat())


def _timestamp_problem(value: Any) -> str | None:
    ok = isinstance(value, str) and _TIMESTAMP_RE.fullmatch(value)
    return None if ok else f"{value!r} is not a 'YYYY-MM-DD HH:MM:SS[.ffffff]' string"


def _timestamp_literal(value: Any) -> str:
    text = value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value
    if not isinstance(text, str) or not _TIMESTAMP_RE.fullmatch(text):
        raise ValueError(f"expected 'YYYY-MM-DD HH:MM:SS[.ffffff]' for timestamp, got {value!r}")
    return f"CAST({quote_string(text)} AS TIMESTAMP)"


def _timestamp_strategy() -> SearchStrategy[Any]:
    from hypothesis import strategies as st

    return st.datetimes().map(lambda d: d.isoformat(sep=" "))


def _geometry_problem(value: Any) -> str | None:
    return None if isinstance(value, str) else f"{value!r} is not GeoJSON text"


def _geometry_literal(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    if text.lstrip().startswith("{"):
        json.loads(text)  # refuse malformed GeoJSON here rather than in Redshift
        return f"ST_GEOMFROMGEOJSON({quote_string(text)})"
    return f"ST_GEOMFROMTEXT({quote_string(text)})"


def _geometry_strategy() -> SearchStrategy[Any]:
    from hypothesis import strategies as st

    lon, lat = st.floats(-180, 180, allow_nan=False), st.floats(-90, 90, allow_nan=False)
    point = st.tuples(lon, lat).map(lambda p: json.dumps({"type": "Point", "coordinates": p}))

    def polygon(b: tuple[float, float, float, float]) -> str:
        x, y, w, h = b
        ring = [[x, y], [x + w, y], [x + w, y + h], [x, y]]
        return json.dumps({"type": "Polygon", "coordinates": [ring]})

    box = st.tuples(lon, lat, st.floats(0, 2), st.floats(0, 2)).map(polygon)
    # Text that is not GeoJSON too: Redshift only sends what ST_ASGEOJSON writes, but a
    # handler must still answer an error response, never raise.
    return st.one_of(point, box, st.text(max_size=20))


def _no_problem(value: Any) -> str | None:
    return None


def _super_literal(value: Any) -> str:
    text = json.dumps(value, separators=(",", ":"), allow_nan=False)
    return f"JSON_PARSE({quote_string(text)})"


def _super_strategy() -> SearchStrategy[Any]:
    from hypothesis import strategies as st

    return st.text(max_size=30)


# ---------------------------------------------------------------------------------------------
# results: what a value of the declared output type can be, as the Lambda returns it

VARCHAR_MAX_BYTES = 65535  # Redshift's VARCHAR(MAX); geometry and super travel as one
_GEOJSON_DEPTH = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


def _text_problem(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"{value!r} is not text"
    size = len(value.encode("utf-8"))
    if size > VARCHAR_MAX_BYTES:
        return f"a text of {size} UTF-8 bytes is over Redshift's VARCHAR limit of 65,535"
    return None


def _position_problem(value: Any) -> str | None:
    ok = (
        isinstance(value, list)
        and 2 <= len(value) <= 4
        and all(_is_number(v) and math.isfinite(v) for v in value)
    )
    return None if ok else f"{value!r} is not a position (2 to 4 finite numbers)"


def _coordinates_problem(kind: str, coordinates: Any, depth: int) -> str | None:
    if depth == 0:
        return _position_problem(coordinates)
    if not isinstance(coordinates, list):
        return f"{kind} coordinates must be arrays, got {coordinates!r}"
    for item in coordinates:
        why = _coordinates_problem(kind, item, depth - 1)
        if why:
            return why
    closed = len(coordinates) >= 4 and coordinates[0] == coordinates[-1]
    if kind in ("Polygon", "MultiPolygon") and depth == 1 and not closed:  # a ring
        return f"a {kind} ring must be closed and hold at least 4 positions"
    if kind in ("LineString", "MultiLineString") and depth == 1 and len(coordinates) < 2:
        return f"a {kind} line must hold at least 2 positions"
    return None


def geojson_problem(value: Any) -> str | None:
    """Why `value` (a parsed JSON value) is not a GeoJSON geometry, or None when it is."""
    if not isinstance(value, dict):
        return f"{value!r} is not a GeoJSON object"
    kind = value.get("type")
    if kind == "GeometryCollection":
        parts = value.get("geometries")
        if not isinstance(parts, list):
            return "a GeometryCollection needs a 'geometries' array"
        return next((why for part in parts if (why := geojson_problem(part))), None)
    if kind not in _GEOJSON_DEPTH:
        return f"{kind!r} is not a GeoJSON geometry type"
    return _coordinates_problem(kind, value.get("coordinates"), _GEOJSON_DEPTH[kind])


def _integer_output(name: str, bits: int) -> Check:
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1

    def problem(value: Any) -> str | None:
        if not _is_int(value):
            return f"{value!r} is not an integer ({name})"
        if not low <= value <= high:
            return f"{value} is outside {name}'s range [{low}, {high}]"
        return None

    return problem


def _number_output(value: Any) -> str | None:
    if not _is_number(value):
        return f"{value!r} is not a number"
    return None if math.isfinite(value) else f"{value!r} is not a finite number"


def _boolean_output(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"{value!r} is not a boolean"


def _date_output(value: Any) -> str | None:
    return _text_problem(value) or _date_problem(value)


def _timestamp_output(value: Any) -> str | None:
    return _text_problem(value) or _timestamp_problem(value)


def _geometry_output(value: Any) -> str | None:
    why = _text_problem(value)
    if why:
        return why
    try:
        parsed = json.loads(value)
    except ValueError:
        return f"{value[:60]!r} is not GeoJSON text (not JSON)"
    return geojson_problem(parsed)


def _super_output(value: Any) -> str | None:
    why = _text_problem(value)
    if why:
        return why
    try:
        json.loads(value)
    except ValueError as exc:
        return f"{value[:60]!r} is not JSON text for SUPER ({exc})"
    return None


_TYPES = [
    _integer("smallint", "SMALLINT", 16),
    _integer("int", "INTEGER", 32),
    _integer("bigint", "BIGINT", 64),
    _number("decimal", "DECIMAL(38,10)"),
    _number("float", "REAL"),
    _number("double", "DOUBLE PRECISION"),
    _text("char", "CHAR(1)"),
    _text("string", "VARCHAR(MAX)"),
    SqlType(
        "boolean",
        "BOOLEAN",
        "BOOLEAN",
        "boolean",
        _boolean_problem,
        _boolean_literal,
        _boolean_strategy,
        _boolean_output,
    ),
    SqlType(
        "date", "DATE", "DATE", "date", _date_problem, _date_literal, _date_strategy, _date_output
    ),
    SqlType(
        "timestamp",
        "TIMESTAMP",
        "TIMESTAMP",
        "timestamp",
        _timestamp_problem,
        _timestamp_literal,
        _timestamp_strategy,
        _timestamp_output,
    ),
    # Public-only types: carried as text through the external function.
    SqlType(
        "geometry",
        "GEOMETRY",
        "VARCHAR(MAX)",
        "geojson",
        _geometry_problem,
        _geometry_literal,
        _geometry_strategy,
        _geometry_output,
    ),
    SqlType(
        "super",
        "SUPER",
        "VARCHAR(MAX)",
        "json",
        _no_problem,
        _super_literal,
        _super_strategy,
        _super_output,
    ),
]

TYPES: dict[str, SqlType] = {t.name: t for t in _TYPES}
TYPE_NAMES: tuple[str, ...] = tuple(TYPES)
WRAPPED_TYPES = frozenset(t.name for t in _TYPES if t.public_sql != t.external_sql)

# The Redshift types an EXTERNAL FUNCTION may declare (Lambda UDF documentation).
EXTERNAL_FUNCTION_TYPES = frozenset(
    {
        "SMALLINT",
        "INTEGER",
        "BIGINT",
        "DECIMAL",
        "REAL",
        "DOUBLE PRECISION",
        "CHAR",
        "VARCHAR",
        "BOOLEAN",
        "DATE",
        "TIMESTAMP",
    }
)


def sql_type(name: str) -> SqlType:
    """Look up a vocabulary type; raises KeyError with the known names."""
    try:
        return TYPES[name]
    except KeyError:
        raise KeyError(f"unknown type {name!r}; known types: {', '.join(TYPE_NAMES)}") from None


def needs_wrapper(type_names: list[str]) -> bool:
    """True when any of the types cannot cross the Lambda boundary as they are."""
    return any(t in WRAPPED_TYPES for t in type_names)
