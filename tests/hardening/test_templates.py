"""A template may only define its own functions in its schema (issue class 9)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.catalog.sqltext.render import check_template

OWN = """\
-- header
CREATE OR REPLACE EXTERNAL FUNCTION @@SCHEMA@@.__F(BIGINT)
RETURNS VARCHAR(MAX) STABLE
LAMBDA '@@LAMBDA_ARN@@'
IAM_ROLE '@@IAM_ROLE_ARN@@';

CREATE OR REPLACE FUNCTION @@SCHEMA@@.F(BIGINT)
RETURNS VARCHAR(MAX) STABLE
AS $$ SELECT @@SCHEMA@@.__F($1) $$ LANGUAGE sql;
"""


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "redshift.sql"
    path.write_text(text)
    return [f"{p.line}:{p.column}: {p.key}: {p.message}" for p in check_template(path)]


def test_own_definitions_grants_comments_and_drops_are_allowed(tmp_path: Path) -> None:
    text = OWN + (
        "GRANT EXECUTE ON FUNCTION @@SCHEMA@@.F(BIGINT) TO PUBLIC;\n"
        "COMMENT ON FUNCTION @@SCHEMA@@.f(BIGINT) IS 'semicolon; inside a string';\n"
        "DROP FUNCTION IF EXISTS @@SCHEMA@@.__f(DECIMAL(38, 10), VARCHAR(MAX)) RESTRICT;\n"
        "GRANT EXECUTE ON FUNCTION @@SCHEMA@@.F(BIGINT) TO GROUP analysts, alice;\n"
        "CREATE OR REPLACE PROCEDURE @@SCHEMA@@.P(x INT) AS $$\n"
        "BEGIN DROP TABLE IF EXISTS tmp_x; END;\n"  # a body runs when called, not at deploy
        "$$ LANGUAGE plpgsql;\n"
    )
    assert problems(tmp_path, text) == []


@pytest.mark.parametrize(
    ("statement", "shown"),
    [
        ("DROP TABLE public.x", "DROP TABLE public.x"),
        ("GRANT ALL ON TABLE public.t TO alice", "GRANT ALL ON TABLE public.t TO alice"),
        ("GRANT EXECUTE ON FUNCTION other.f(BIGINT) TO bob", "other.f(BIGINT)"),
        ("GRANT EXECUTE ON FUNCTION @@SCHEMA@@.G(BIGINT) TO bob", "G is not created by"),
        ("DROP FUNCTION @@SCHEMA@@.someone_elses(INT)", "someone_elses is not created by"),
        ("COMMENT ON TABLE public.t IS 'x'", "COMMENT ON TABLE public.t"),
        ("SELECT public.side_effect()", "SELECT public.side_effect()"),
        ("ALTER SCHEMA @@SCHEMA@@ OWNER TO mallory", "ALTER SCHEMA"),
        ("CREATE TABLE @@SCHEMA@@.t (x INT)", "CREATE TABLE"),
        ("/* c */ drop\ttable\npublic.y", "drop table public.y"),
        ("CREATE PROCEDURE public.p() AS $$ BEGIN END $$ LANGUAGE plpgsql", "public.p()"),
        ("GRANT EXECUTE ON FUNCTION @@SCHEMA@@.F(BIGINT), public.g(INT) TO bob", "public.g"),
        ("DROP FUNCTION @@SCHEMA@@.F(BIGINT) CASCADE", "CASCADE"),
        ("DROP FUNCTION @@SCHEMA@@.F(BIGINT), public.g(INT)", "public.g"),
        ("COMMENT ON FUNCTION @@SCHEMA@@.F(BIGINT) IS 'x' extra", "COMMENT ON"),
    ],
)
def test_anything_else_is_refused_naming_the_statement(
    tmp_path: Path, statement: str, shown: str
) -> None:
    found = problems(tmp_path, OWN + statement + ";\n")
    assert len(found) == 1, found
    (problem,) = found
    assert problem.startswith(("10:1: statement 3: refused (", "10:9: statement 3: refused ("))
    assert shown in problem


def test_validate_reports_a_refused_statement_with_file_and_line(tmp_path: Path) -> None:
    from engine.catalog.loader import validate_catalog
    from tests.package.conftest import write_catalog

    repo = write_catalog(tmp_path / "repo")
    fdir = repo / "functions" / "demo" / "prod_double"
    (fdir / "code" / "redshift.sql").write_text(OWN + "DROP TABLE public.x;\n")
    yaml = fdir / "function.yaml"
    yaml.write_text(
        yaml.read_text().replace(
            "    config:", "    external_function_template: code/redshift.sql\n    config:"
        )
    )
    found = [str(p) for p in validate_catalog(repo)[1]]
    assert any(
        f"{fdir / 'code' / 'redshift.sql'}:10:1: statement 3: refused (DROP TABLE public.x)" in p
        for p in found
    ), found
