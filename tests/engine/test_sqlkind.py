"""SQL-only functions (clouds.redshift.type: sql): validation, SQL, order, and what they skip."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from engine.catalog.loader import CatalogError, load_catalog, validate_catalog
from engine.catalog.sqlkind import (
    lambda_functions,
    missing_dependencies,
    sql_order,
    with_dependencies,
)
from engine.redshift.generate import SqlContext, function_sql
from engine.redshift.plan import SqlPlanError, plan_sql

LAMBDA_YAML = """\
description: Doubles a number.
status: production
arguments:
  - name: x
    type: bigint
output:
  type: bigint
clouds:
  redshift:
    type: lambda
    code_file: code/lambda/python/handler.py
    external_function_template: code/redshift.sql
"""

LAMBDA_TEMPLATE = """\
CREATE OR REPLACE EXTERNAL FUNCTION @@SCHEMA@@.Z_DOUBLE(BIGINT)
RETURNS BIGINT
STABLE
LAMBDA '@@LAMBDA_ARN@@'
IAM_ROLE '@@IAM_ROLE_ARN@@';
"""


def sql_yaml(depends_on: list[str] | None = None, extra: str = "") -> str:
    deps = ""
    if depends_on is not None:
        deps = "    depends_on:\n" + "".join(f"    - {d}\n" for d in depends_on)
    return (
        "description: Adds one.\n"
        "status: production\n"
        "arguments:\n  - name: x\n    type: bigint\n"
        "output:\n  type: bigint\n"
        "clouds:\n  redshift:\n    type: sql\n    template: code/redshift.sql\n" + deps + extra
    )


def sql_function(root: Path, name: str, template: str, yaml: str, module: str = "demo") -> Path:
    directory = root / "functions" / module / name
    (directory / "code").mkdir(parents=True)
    (directory / "function.yaml").write_text(yaml)
    (directory / "code" / "redshift.sql").write_text(textwrap.dedent(template))
    return directory


def plus_one(schema_call: str = "x + 1", name: str = "PLUS_ONE") -> str:
    return (
        f"CREATE OR REPLACE FUNCTION @@SCHEMA@@.{name}(BIGINT)\nRETURNS BIGINT\nSTABLE\n"
        f"AS $$\n    SELECT {schema_call}\n$$ LANGUAGE sql;\n"
    )


@pytest.fixture
def catalog_with_sql(workspace):
    """z_double (Lambda) and plus_one (SQL only) calling it; z_double sorts last by id."""
    directory = workspace.function(name="z_double", yaml=LAMBDA_YAML)
    (directory / "code" / "redshift.sql").write_text(LAMBDA_TEMPLATE)
    sql_function(
        workspace.root,
        "plus_one",
        plus_one("@@SCHEMA@@.Z_DOUBLE($1) + 1"),
        sql_yaml(["z_double"]),
    )
    return workspace


def test_sql_only_function_loads_without_code(catalog_with_sql):
    catalog = load_catalog(catalog_with_sql.root)
    plus = catalog.get("plus_one")
    assert (plus.kind, plus.has_lambda, plus.code_file) == ("sql", False, None)
    assert plus.depends_on == ("z_double",)
    assert plus.template_file is not None and plus.template_file.name == "redshift.sql"
    assert [f.name for f in lambda_functions(catalog.functions)] == ["z_double"]


def test_sql_only_sql_needs_no_lambda_arn(catalog_with_sql):
    plus = load_catalog(catalog_with_sql.root).get("plus_one")
    fsql = function_sql(plus, SqlContext("carto", "arn:aws:iam::123456789012:role/r"), "")
    assert fsql.statements[-1].startswith("CREATE OR REPLACE FUNCTION carto.PLUS_ONE(BIGINT)")
    assert "carto.Z_DOUBLE($1) + 1" in fsql.statements[-1]
    assert [o.name.upper() for o in fsql.objects] == ["PLUS_ONE"]


@pytest.mark.parametrize(
    ("template", "yaml", "message"),
    [
        (LAMBDA_TEMPLATE.replace("Z_DOUBLE", "PLUS_ONE"), sql_yaml(), "an external function"),
        (plus_one("'@@LAMBDA_ARN@@'"), sql_yaml(), "may use only @@SCHEMA@@"),
        (plus_one(), sql_yaml(["nope"]), "unknown function 'nope'"),
        (plus_one(), sql_yaml(["plus_one"]), "cannot depend on itself"),
        (plus_one(), sql_yaml(extra="    code_file: x.py\n"), "unknown key"),
        (
            plus_one(),
            sql_yaml().replace("template: code/redshift.sql", "template: a.sql"),
            "not found",
        ),
    ],
)
def test_sql_only_problems_are_reported(workspace, template, yaml, message):
    sql_function(workspace.root, "plus_one", template, yaml)
    _, problems = validate_catalog(workspace.root)
    assert any(message in str(p) for p in problems), problems
    with pytest.raises(CatalogError):
        load_catalog(workspace.root)


def test_circular_dependencies_are_reported(workspace):
    sql_function(workspace.root, "a_one", plus_one(name="A_ONE"), sql_yaml(["b_one"]))
    sql_function(workspace.root, "b_one", plus_one(name="B_ONE"), sql_yaml(["a_one"]))
    _, problems = validate_catalog(workspace.root)
    assert any("circular dependency: a_one -> b_one -> a_one" in str(p) for p in problems)


def test_order_puts_dependencies_first_and_closure_adds_them(workspace):
    # z_base sorts last by id but is needed by both others: it must come first.
    sql_function(workspace.root, "z_base", plus_one(name="Z_BASE"), sql_yaml())
    sql_function(workspace.root, "b_mid", plus_one(name="B_MID"), sql_yaml(["z_base"]))
    sql_function(workspace.root, "a_top", plus_one(name="A_TOP"), sql_yaml(["b_mid", "z_base"]))
    catalog = load_catalog(workspace.root)
    assert [f.name for f in sql_order(catalog.functions)] == ["z_base", "b_mid", "a_top"]
    closure = with_dependencies(catalog.functions, [catalog.get("a_top")])
    assert {f.name for f in closure} == {"a_top", "b_mid", "z_base"}
    assert [f.name for f in with_dependencies(catalog.functions, [catalog.get("z_base")])] == [
        "z_base"
    ]


def test_missing_dependency_is_named_unless_deployed(catalog_with_sql):
    plus = load_catalog(catalog_with_sql.root).get("plus_one")
    assert missing_dependencies([plus], None) == []  # state unknown: nothing to say
    assert missing_dependencies([plus], ["demo/z_double"]) == []
    (message,) = missing_dependencies([plus], [])
    assert "demo/plus_one calls z_double" in message and "--functions plus_one,z_double" in message


def test_plan_orders_sql_after_dependencies_and_refuses_a_missing_one(
    catalog_with_sql, monkeypatch
):
    from engine.config import resolve_settings
    from engine.redshift.state import SqlState

    catalog = load_catalog(catalog_with_sql.root)
    settings = resolve_settings(
        {"RS_LAMBDA_INVOKE_ROLE": "arn:aws:iam::123456789012:role/r"},
        environ={},
        repo_root=catalog.root,
        dotenv=False,
    )
    arn = "arn:aws:lambda:us-east-1:123456789012:function:carto-at-z_double"
    actions = plan_sql(catalog.functions, settings, {"demo/z_double": arn})
    assert [a.name.split(".")[-1] for a in actions[1:]] == ["Z_DOUBLE", "PLUS_ONE"]
    empty = SqlState(schema=actions[0].data["schema"], schema_exists=True)
    with pytest.raises(SqlPlanError, match="plus_one calls z_double"):
        plan_sql([catalog.get("plus_one")], settings, {}, previous=empty)


def test_sql_only_functions_load_over_what_a_target_runs(catalog_with_sql, workspace):
    from engine.catalog.sqlkind import with_sql_only

    sql_function(workspace.root, "standalone", plus_one(name="STANDALONE"), sql_yaml())
    sql_function(workspace.root, "over_plus", plus_one(name="OVER_PLUS"), sql_yaml(["plus_one"]))
    catalog = load_catalog(workspace.root)
    lambdas = lambda_functions(catalog.functions)
    names = {f.name for f in with_sql_only(catalog.functions, lambdas)}
    assert names == {"z_double", "plus_one", "over_plus", "standalone"}
    # Without the Lambda, only what needs none of it.
    assert {f.name for f in with_sql_only(catalog.functions, [])} == {"standalone"}
