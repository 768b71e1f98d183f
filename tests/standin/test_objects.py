"""Procedures are recorded as objects (parse only, no server): remove must be able to drop them."""

from __future__ import annotations

import pytest

from engine.redshift.objects import PROCEDURE, SQL_UDF, parse_create_function
from engine.redshift.plan import drop_statement, grant_statements
from engine.redshift.settings import Grantee

PROC = """CREATE OR REPLACE PROCEDURE s.CREATE_THING(
    input VARCHAR(MAX),
    output_table INOUT VARCHAR(MAX),
    IN n INT
)
AS $$ BEGIN RAISE INFO 'CREATE FUNCTION in a body is text'; END; $$ LANGUAGE plpgsql"""


def test_a_procedure_is_recorded_with_its_argument_types_without_modes():
    obj = parse_create_function(PROC, "s")
    assert obj is not None
    assert (obj.kind, obj.name, obj.arg_types, obj.return_type) == (
        PROCEDURE,
        "create_thing",
        ("VARCHAR(MAX)", "VARCHAR(MAX)", "INT"),
        "",
    )
    assert obj.key == ("create_thing", ("character varying", "character varying", "integer"))


def test_a_procedure_is_dropped_and_granted_as_a_procedure():
    obj = parse_create_function(PROC, "s")
    assert (
        drop_statement("s", obj) == "DROP PROCEDURE s.CREATE_THING(VARCHAR(MAX), VARCHAR(MAX), INT)"
    )
    grants = grant_statements("s", [obj], (Grantee("analysts", group=True),))
    assert grants == [
        "GRANT EXECUTE ON PROCEDURE s.CREATE_THING(VARCHAR(MAX), VARCHAR(MAX), INT)"
        " TO GROUP analysts"
    ]


def test_functions_keep_their_kind_and_statement():
    obj = parse_create_function(
        "CREATE OR REPLACE FUNCTION s.F(INT) RETURNS INT STABLE AS $$ SELECT $1 $$ LANGUAGE sql",
        "s",
    )
    assert obj is not None and obj.kind == SQL_UDF
    assert drop_statement("s", obj) == "DROP FUNCTION s.F(INT)"


def test_a_procedure_outside_the_schema_is_refused():
    with pytest.raises(ValueError, match="outside schema"):
        parse_create_function(PROC.replace("s.CREATE_THING", "other.CREATE_THING"), "s")
