"""The JSON Schemas of function.yaml and cases.yaml, and their violations as located Problems.

The schemas in `schemas/` are the single source of truth for what the files may hold; both
the loader and the cases reader report through `schema_problems`.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from engine.catalog.yamlsrc import Locator, Problem

SCHEMA_DIR = Path(__file__).parent / "schemas"


@cache
def schema_validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def schema_problems(data: Any, loc: Locator, schema: str) -> list[Problem]:
    """Every JSON Schema violation, located at the offending key or value."""
    problems = []
    for error in schema_validator(schema).iter_errors(data):
        keys = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            for extra in sorted(set(error.instance) - allowed):
                hint = f"; allowed keys: {', '.join(sorted(allowed))}" if allowed else ""
                problems.append(loc.problem((*keys, extra), f"unknown key{hint}", of_key=True))
            continue
        if error.validator == "required":
            problems.append(loc.problem(keys, error.message))
            continue
        if error.validator == "oneOf" and schema == "cases":
            message = "give exactly one of 'expected' or 'expected_error'"
        elif error.validator == "enum":
            allowed = ", ".join(str(v) for v in error.validator_value)
            message = f"{error.instance!r} is not one of: {allowed}"
        else:
            message = error.message
        problems.append(loc.problem(keys, message))
    return sorted(set(problems))
