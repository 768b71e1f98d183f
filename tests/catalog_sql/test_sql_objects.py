"""validate checks every SQL object a template creates (issue 20, item 1)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from engine.catalog.loader import validate_catalog
from engine.catalog.sqlobjects import created_objects

REPO = Path(__file__).resolve().parents[2]
FUNCTIONS = REPO / "functions"


def copy_repo(tmp_path: Path, *functions: str) -> Path:
    """A repository holding _shared and the named real function folders (module/name)."""
    root = tmp_path / "repo"
    shutil.copytree(FUNCTIONS / "_shared", root / "functions" / "_shared")
    for fid in functions:
        shutil.copytree(FUNCTIONS / fid, root / "functions" / fid)
    return root


def messages(root: Path) -> list[str]:
    _, problems = validate_catalog(root)
    return [str(p) for p in problems]


def test_the_real_catalog_creates_only_its_own_objects() -> None:
    functions, problems = validate_catalog(REPO)
    assert [str(p) for p in problems] == []
    assert len(functions) > 20


def test_a_copied_function_is_refused_naming_both_files(tmp_path: Path) -> None:
    root = copy_repo(tmp_path, "quadbin/quadbin_center")
    original = root / "functions" / "quadbin" / "quadbin_center"
    copy = original.parent / "quadbin_center2"
    shutil.copytree(original, copy)
    yaml_path = copy / "function.yaml"
    yaml_path.write_text(yaml_path.read_text().replace("lambda_name: qb_cntr", "lambda_name: qbc2"))
    found = messages(root)
    first = str(original / "code" / "redshift.sql")
    second = str(copy / "code" / "redshift.sql")
    # The duplicate signature is reported at both places, each naming the other's file:line.
    dup = [m for m in found if "QUADBIN_CENTER(BIGINT) is also created by" in m]
    assert any(m.startswith(f"{first}:11:") and f"{second}:11" in m for m in dup)
    assert any(m.startswith(f"{second}:11:") and f"{first}:11" in m for m in dup)
    assert any(m.startswith(f"{second}:3:") and "__QUADBIN_CENTER belongs to" in m for m in found)
    assert any("creates no QUADBIN_CENTER2" in m for m in found)


def test_a_renamed_copy_is_accepted(tmp_path: Path) -> None:
    root = copy_repo(tmp_path, "quadbin/quadbin_center")
    copy = root / "functions" / "quadbin" / "quadbin_center2"
    shutil.copytree(root / "functions" / "quadbin" / "quadbin_center", copy)
    yaml_path = copy / "function.yaml"
    yaml_path.write_text(yaml_path.read_text().replace("lambda_name: qb_cntr", "lambda_name: qbc2"))
    sql = copy / "code" / "redshift.sql"
    sql.write_text(re.sub(r"QUADBIN_CENTER\b", "QUADBIN_CENTER2", sql.read_text()))
    assert messages(root) == []


def test_carto_names_must_be_declared(tmp_path: Path) -> None:
    root = copy_repo(tmp_path, "transformations/__centroid")
    yaml_path = root / "functions" / "transformations" / "__centroid" / "function.yaml"
    text = yaml_path.read_text()
    assert "    - ST_CENTEROFMASS\n" in text
    yaml_path.write_text(text.replace("    - ST_CENTEROFMASS\n", ""))
    found = messages(root)
    assert len(found) == 1
    assert "ST_CENTEROFMASS is not a name of transformations/__centroid" in found[0]
    assert "sql_names" in found[0]


def test_a_declared_name_the_template_does_not_create_is_refused(tmp_path: Path) -> None:
    root = copy_repo(tmp_path, "transformations/__centroid")
    yaml_path = root / "functions" / "transformations" / "__centroid" / "function.yaml"
    text = yaml_path.read_text()
    yaml_path.write_text(
        text.replace("    - ST_CENTEROFMASS\n", "    - ST_CENTEROFMASS\n    - ST_X\n")
    )
    found = messages(root)
    assert len(found) == 1
    assert "ST_X is listed but" in found[0] and "sql_names" in found[0]


def test_declaring_another_functions_name_is_refused(tmp_path: Path) -> None:
    root = copy_repo(tmp_path, "quadbin/quadbin_center", "transformations/__centroid")
    yaml_path = root / "functions" / "transformations" / "__centroid" / "function.yaml"
    text = yaml_path.read_text()
    yaml_path.write_text(
        text.replace("    - ST_CENTEROFMASS\n", "    - ST_CENTEROFMASS\n    - QUADBIN_CENTER\n")
    )
    found = messages(root)
    assert any("QUADBIN_CENTER is the name of quadbin/quadbin_center" in m for m in found)


def test_an_internal_name_belongs_to_the_longest_matching_function(tmp_path: Path) -> None:
    # quadbin_kring's internal name __QUADBIN_KRING is a prefix of quadbin_kring_distances'
    # internal name: it may not create that one.
    root = copy_repo(tmp_path, "quadbin/quadbin_kring", "quadbin/quadbin_kring_distances")
    sql = root / "functions" / "quadbin" / "quadbin_kring" / "code" / "redshift.sql"
    sql.write_text(
        sql.read_text() + "\nCREATE OR REPLACE FUNCTION @@SCHEMA@@.__QUADBIN_KRING_DISTANCES(INT)\n"
        "RETURNS INT STABLE AS $$ SELECT $1 $$ LANGUAGE sql;\n"
    )
    found = messages(root)
    assert len(found) == 1
    assert "__QUADBIN_KRING_DISTANCES belongs to quadbin/quadbin_kring_distances" in found[0]


@pytest.mark.parametrize(
    ("args", "types"),
    [
        ("BIGINT", ("BIGINT",)),
        ("int4, FLOAT8", ("INTEGER", "DOUBLE PRECISION")),
        ("VARCHAR(MAX), DECIMAL(12, 7)", ("VARCHAR", "DECIMAL")),
        ("a VARCHAR(MAX), b INOUT varchar(10), n INT", ("VARCHAR", "VARCHAR", "INTEGER")),
        ("", ()),
    ],
)
def test_signatures_ignore_lengths_argument_names_and_aliases(
    tmp_path: Path, args: str, types: tuple[str, ...]
) -> None:
    path = tmp_path / "redshift.sql"
    path.write_text(
        "-- CREATE FUNCTION @@SCHEMA@@.IN_A_COMMENT(INT)\n"
        f"CREATE OR REPLACE PROCEDURE @@SCHEMA@@.p(\n{args}\n) AS $$\n"
        "BEGIN EXECUTE 'CREATE FUNCTION @@SCHEMA@@.IN_A_BODY(INT)'; END; $$ LANGUAGE plpgsql;\n"
    )
    objects = created_objects(path)
    assert [(o.kind, o.name, o.types, o.line) for o in objects] == [("PROCEDURE", "P", types, 2)]
