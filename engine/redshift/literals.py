"""SQL literals for values that come from test cases (JSON), never from users at runtime.

The rendering of each type is a column of the one type table (`engine.catalog.types`).
"""

from __future__ import annotations

from typing import Any

from engine.catalog.types import quote_string, sql_type

__all__ = ["literal", "quote_string"]


def literal(value: Any, type_name: str) -> str:
    """A SQL expression of the function.yaml type `type_name` holding a JSON-like value.

    None -> NULL (typed), numbers as digits, booleans TRUE/FALSE, strings quoted, dates and
    timestamps as typed strings, `geometry` GeoJSON (text or object) via ST_GEOMFROMGEOJSON or
    WKT via ST_GEOMFROMTEXT, `super` any JSON via JSON_PARSE. Every other literal is wrapped in
    a CAST to the public SQL type so overload resolution picks the declared signature.
    """
    return sql_type(type_name).literal(value)
