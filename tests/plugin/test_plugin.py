"""The plugin seen from the outside: a pytest run over a small catalog in a temp folder."""

from __future__ import annotations

import textwrap

import pytest

YAML = """\
description: Doubles a number.
arguments:
  - name: x
    type: bigint
output:
  type: bigint
clouds:
  redshift:
    type: lambda
    code_file: code/lambda/python/handler.py
"""

HANDLER = """\
from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(x):
    if x < 0:
        raise ValueError("negative input")
    if x >= 2**62:  # twice it would not fit the declared BIGINT (the contract item checks)
        raise ValueError("too large to double")
    return x * 2
"""

CASES = """\
test_cases:
  - name: two
    inputs: {x: 2}
    expected: 4
  - name: null_row
    inputs: null
    expected: null
  - name: negative
    inputs: [-1]
    expected_error: negative input
"""


@pytest.fixture
def catalog(pytester: pytest.Pytester):
    def make(
        name="double_it", module="demo", yaml=YAML, handler=HANDLER, cases=CASES, extra_tests=None
    ):
        base = pytester.path / "functions" / module / name
        code = base / "code" / "lambda" / "python"
        code.mkdir(parents=True)
        (base / "function.yaml").write_text(yaml)
        (code / "handler.py").write_text(handler)
        (base / "tests" / "unit").mkdir(parents=True)
        (base / "tests" / "unit" / "cases.yaml").write_text(cases)
        for filename, body in (extra_tests or {}).items():
            (base / "tests" / "unit" / filename).write_text(textwrap.dedent(body))
        (pytester.path / "functions" / "_shared").mkdir(exist_ok=True)
        return base

    return make


def run(pytester: pytest.Pytester, *args: str):
    return pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--strict-markers", "--import-mode=importlib", *args
    )


def test_one_item_per_case_plus_validate_and_contract(pytester, catalog):
    catalog()
    result = run(pytester, "functions", "--collect-only", "-q")
    ids = {line for line in result.outlines if "::" in line}
    base = "functions/demo/double_it/tests/unit/cases.yaml::double_it::"
    assert ids == {
        base + "validate",
        base + "two[inprocess]",
        base + "null_row[inprocess]",
        base + "negative[inprocess]",
        base + "contract",
    }


def test_cases_pass_in_process(pytester, catalog):
    catalog()
    result = run(pytester, "functions")
    result.assert_outcomes(passed=5)


def test_failure_shows_event_expected_and_actual(pytester, catalog):
    catalog(cases=CASES.replace("expected: 4", "expected: 5"))
    result = run(pytester, "functions", "-k", "two")
    result.assert_outcomes(failed=1, deselected=4)
    result.stdout.fnmatch_lines(
        [
            "*double_it::two[[]inprocess] (*cases.yaml:2): result differs from expected",
            '*event: *"arguments": [[][[]2[]][]]*',
            "*expected: 5",
            "*actual: * 4",
        ]
    )


def test_wrong_error_message_is_reported(pytester, catalog):
    catalog(cases=CASES.replace("expected_error: negative input", "expected_error: positive"))
    result = run(pytester, "functions", "-k", "negative")
    result.assert_outcomes(failed=1, deselected=4)
    result.stdout.fnmatch_lines(["*error message differs*", "*actual: *row 1 of 1*negative input*"])


def test_malformed_yaml_is_a_collection_error_with_location(pytester, catalog):
    catalog(yaml=YAML + "colour: blue\n")
    result = run(pytester, "functions")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*function.yaml:11:1: colour: unknown key*"])
    assert "Traceback" not in result.stdout.str()


def test_functions_option_filters(pytester, catalog):
    catalog(name="first_fn")
    catalog(name="second_fn")
    result = run(pytester, "functions", "--functions", "second_fn", "--collect-only", "-q")
    text = result.stdout.str()
    assert "second_fn::two[inprocess]" in text
    assert "first_fn" not in text


def test_markers_select_levels(pytester, catalog):
    catalog()
    result = run(pytester, "functions", "-m", "carto_contract")
    result.assert_outcomes(passed=1, deselected=4)


def test_invoke_fixture_runs_the_functions_handler(pytester, catalog):
    catalog(
        extra_tests={
            "test_extra.py": """
                import pytest
                from engine.invoke import InvocationError

                def test_doubles(invoke):
                    assert invoke([[1], [None], None, [21]]) == [2, None, None, 42]

                def test_errors(invoke):
                    with pytest.raises(InvocationError, match="row 2 of 2"):
                        invoke([[1], [-5]])
            """
        }
    )
    result = run(pytester, "functions", "-k", "test_doubles or test_errors")
    result.assert_outcomes(passed=2, deselected=5)


BATCH_DOUBLER = """\
from carto_runtime import RowError, batch_handler


@batch_handler
def lambda_handler(rows):
    values = [x for (x,) in rows]
    for i, x in enumerate(values):
        if x < 0:
            raise RowError(i, ValueError("negative input"))
    return [2 * x if x != 7 else 15 for x in values]  # wrong on 7, on purpose
"""


def test_respond_and_row_by_row_compare_a_batch_handler_with_its_definition(pytester, catalog):
    catalog(
        handler=BATCH_DOUBLER,
        extra_tests={
            "test_batches.py": """
                import json

                from pytest_carto import row_by_row

                def double(x):
                    if x < 0:
                        raise ValueError("negative input")
                    return 2 * x

                def test_same_results(respond):
                    rows = [[1], None, [None], [4]]
                    assert respond(rows) == row_by_row(double, rows)

                def test_same_error_on_the_same_row(respond):
                    rows = [[1], None, [-3], [-4]]
                    assert respond(rows) == row_by_row(double, rows)
                    assert json.loads(respond(rows)) == {
                        "success": False,
                        "error_msg": "row 3 of 4: ValueError: negative input",
                    }

                def test_a_wrong_result_is_caught(respond):
                    rows = [[1], [7]]
                    assert respond(rows) == row_by_row(double, rows)
            """
        },
    )
    result = run(pytester, "functions", "-k", "test_same or test_a_wrong")
    result.assert_outcomes(passed=2, failed=1, deselected=5)
    result.stdout.fnmatch_lines(["*test_a_wrong_result_is_caught*"])


def test_import_shared_reaches_the_shared_libs_from_a_test(pytester, catalog):
    base = catalog(
        extra_tests={
            "test_shared.py": """
                import sys
                from pytest_carto import import_shared

                def test_definition_from_a_shared_lib(respond):
                    halves = import_shared("halves.core")
                    assert halves.half(8) == 4
                    assert not any(p.endswith("_shared") for p in sys.path)
            """
        }
    )
    lib = base.parents[1] / "_shared" / "halves"
    lib.mkdir(parents=True)
    (lib / "__init__.py").write_text("")
    (lib / "core.py").write_text("def half(x):\n    return x // 2\n")
    result = run(pytester, "functions", "-k", "test_definition")
    result.assert_outcomes(passed=1, deselected=5)


HELPERS = """\
rows = [[1], [21]]


def doubled(rows):
    return [2 * r[0] for r in rows]


def check_doubles(invoke, rows, expected):
    assert invoke(rows) == expected
"""


def test_import_testing_reaches_the_test_helpers_and_collects_nothing_there(pytester, catalog):
    base = catalog(
        extra_tests={
            "test_helpers.py": """
                import sys
                from pytest_carto import import_testing

                def test_helper_from_testing(invoke):
                    helpers = import_testing("doubles_testing")
                    assert invoke(helpers.rows) == helpers.doubled(helpers.rows)
                    assert not any(p.endswith("_testing") for p in sys.path)

                def test_a_failing_helper_assert_shows_its_values(invoke):
                    import_testing("doubles_testing").check_doubles(invoke, [[21]], [43])
            """
        }
    )
    testing = base.parents[1] / "_testing"
    testing.mkdir()
    (testing / "doubles_testing.py").write_text(HELPERS)
    listed = run(pytester, "functions", "--collect-only", "-q")
    ids = [line for line in listed.outlines if "::" in line]
    assert len(ids) == 7
    assert all(i.startswith("functions/demo/double_it/") for i in ids)
    result = run(pytester, "functions")
    result.assert_outcomes(passed=6, failed=1)
    result.stdout.re_match_lines([r"E +assert \[42\] == \[43\]$"])


def test_contract_catches_a_handler_that_breaks_the_contract(pytester, catalog):
    # A raw handler that drops null rows: wrong number of results for some batches.
    broken = """\
import json


def lambda_handler(event, context):
    rows = [r for r in event["arguments"] if r is not None]
    return json.dumps({"success": True, "results": [r[0] for r in rows]})
"""
    catalog(handler=broken, cases="test_cases: []\n")
    result = run(pytester, "functions", "-k", "contract")
    result.assert_outcomes(failed=1, deselected=1)
    result.stdout.fnmatch_lines(["*results for * rows*"])


def test_xdist_runs_the_same_items(pytester, catalog):
    catalog()
    result = run(pytester, "functions", "-n", "2")
    result.assert_outcomes(passed=5)


def test_deploy_runs_every_case_through_the_local_artifact(pytester, catalog):
    catalog()
    result = run(pytester, "functions", "--deploy", "-n", "2")
    result.assert_outcomes(passed=8)
    local = pytester.path / ".carto" / "local"
    # everything the run deployed is removed at the end, its prefix folder too
    assert not [p for p in local.rglob("*") if p.is_file()]
    assert not [p.name for p in local.glob("pt*-")]


def test_missing_requirement_fails_only_the_live_items(pytester, catalog):
    # `quadbin` is installed in the development environment but not declared in the
    # function's requirements, so only the built artifact lacks it.
    handler = HANDLER.replace(
        "from carto_runtime", "import quadbin  # noqa: F401\nfrom carto_runtime"
    )
    catalog(handler=handler)
    result = run(pytester, "functions", "--deploy")
    result.assert_outcomes(passed=5, failed=3)
    result.stdout.fnmatch_lines(["*double_it::two[[]local]*", "*No module named 'quadbin'*"])
    assert "[inprocess] -" not in result.stdout.str()


def test_keep_leaves_the_deployment(pytester, catalog):
    catalog()
    result = run(pytester, "functions", "--deploy", "--keep", "-k", "two")
    result.assert_outcomes(passed=2, deselected=6)
    assert [p for p in (pytester.path / ".carto" / "local").rglob("*.zip")]


def test_redshift_items_skip_naming_the_missing_settings(pytester, catalog, monkeypatch):
    for key in ("RS_HOST", "RS_DATABASE", "RS_USER", "RS_PASSWORD", "RS_LAMBDA_INVOKE_ROLE"):
        monkeypatch.delenv(key, raising=False)
    catalog()
    result = run(pytester, "functions", "--redshift", "-rs", "-m", "carto_redshift")
    result.assert_outcomes(skipped=3, deselected=5)
    result.stdout.fnmatch_lines(["*Redshift settings incomplete; set *RS_HOST*"])


@pytest.mark.parametrize("spelling", ["--carto-functions", "--functions"])
def test_namespaced_options_and_their_aliases(pytester, catalog, spelling):
    catalog(name="first_fn")
    catalog(name="second_fn")
    result = run(pytester, "functions", spelling, "second_fn", "--collect-only", "-q")
    text = result.stdout.str()
    assert "second_fn::two[inprocess]" in text
    assert "first_fn" not in text


def test_ini_gives_defaults_and_the_command_line_wins(pytester, catalog):
    catalog(name="first_fn")
    catalog(name="second_fn")
    pytester.makeini("[pytest]\ncarto_functions = first_fn\n")
    result = run(pytester, "functions", "--collect-only", "-q")
    assert "first_fn::two" in result.stdout.str() and "second_fn" not in result.stdout.str()
    result = run(pytester, "functions", "--carto-functions", "second_fn", "--collect-only", "-q")
    assert "second_fn::two" in result.stdout.str() and "first_fn" not in result.stdout.str()


def test_report_header_names_target_prefix_schema_and_sql_engine(pytester, catalog, monkeypatch):
    catalog()
    for key in ("RS_HOST", "RS_DATABASE", "RS_USER", "RS_PASSWORD", "RS_LAMBDA_INVOKE_ROLE"):
        monkeypatch.delenv(key, raising=False)
    result = run(pytester, "functions", "--collect-only")
    result.stdout.fnmatch_lines(["carto: in-process items only*"])
    result = run(
        pytester,
        "functions",
        "--carto-deploy",
        "--carto-target",
        "local",
        "--carto-redshift",
        "--collect-only",
    )
    result.stdout.fnmatch_lines(
        ["carto: target local, prefix pt*-, schema pt*_carto, [[]redshift] items on *"]
    )
