"""--modules/--functions: unknown names stop the run with a hint, and the selection covers a
function's own test files; cases.yaml collects its function (node ids point at the cases)."""

from __future__ import annotations

import pytest

YAML = """\
description: Echoes a number.
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
    return x
"""

CASES = """\
test_cases:
  - name: one
    inputs: [1]
    expected: 1
"""


@pytest.fixture
def catalog(pytester: pytest.Pytester):
    """functions/<module>/<name> with one case and one test file named after the function."""
    (pytester.path / "functions" / "_shared").mkdir(parents=True)

    def make(name: str, module: str = "demo"):
        base = pytester.path / "functions" / module / name
        (base / "code" / "lambda" / "python").mkdir(parents=True)
        (base / "function.yaml").write_text(YAML)
        (base / "code" / "lambda" / "python" / "handler.py").write_text(HANDLER)
        (base / "tests" / "unit").mkdir(parents=True)
        (base / "tests" / "unit" / "cases.yaml").write_text(CASES)
        (base / "tests" / "unit" / f"test_{name}.py").write_text(
            f"def test_{name}_own(invoke):\n    assert invoke([[3]]) == [3]\n"
        )
        return base

    return make


def run(pytester: pytest.Pytester, *args: str):
    return pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--strict-markers", "--import-mode=importlib", *args
    )


def collected(result) -> set[str]:
    return {line for line in result.outlines if "::" in line}


@pytest.mark.parametrize(
    ("option", "value", "hint"),
    [
        ("--modules", "dem", "unknown module(s): dem; known: demo, other; did you mean demo?"),
        ("--carto-modules", "nothing_like_it", "unknown module(s): nothing_like_it; known:"),
        ("--functions", "first_f", "unknown function(s): first_f; did you mean first_fn?"),
    ],
)
def test_unknown_names_stop_the_run_with_a_hint(pytester, catalog, option, value, hint):
    catalog("first_fn")
    catalog("second_fn", module="other")
    result = run(pytester, "functions", option, value)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert hint in result.stderr.str()
    assert " passed" not in result.stdout.str()  # nothing ran


def test_an_unknown_name_in_the_ini_default_is_refused_too(pytester, catalog):
    catalog("first_fn")
    pytester.makeini("[pytest]\ncarto_functions = frist_fn\n")
    result = run(pytester, "functions")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "did you mean first_fn?" in result.stderr.str()


def test_the_selection_narrows_the_functions_own_test_files(pytester, catalog):
    catalog("first_fn")
    catalog("second_fn")
    catalog("third_fn", module="other")
    result = run(pytester, "functions", "--functions", "second_fn", "--collect-only", "-q")
    ids = collected(result)
    assert any(i.endswith("test_second_fn.py::test_second_fn_own") for i in ids)
    assert not any("first_fn" in i or "third_fn" in i for i in ids)
    result = run(pytester, "functions", "--functions", "second_fn")
    result.assert_outcomes(passed=4)  # validate, one case, contract, the own test


def test_a_module_selection_drops_other_modules_test_files(pytester, catalog):
    catalog("first_fn")
    catalog("third_fn", module="other")
    result = run(pytester, "functions", "--modules", "other", "--collect-only", "-q")
    ids = collected(result)
    assert any(i.endswith("test_third_fn.py::test_third_fn_own") for i in ids)
    assert not any("first_fn" in i for i in ids)


def test_node_ids_point_at_cases_yaml_and_select_that_functions_cases(pytester, catalog):
    catalog("first_fn")
    catalog("second_fn")
    result = run(pytester, "functions", "--collect-only", "-q")
    ids = collected(result)
    base = "functions/demo/first_fn/tests/unit/cases.yaml::first_fn::"
    assert {base + "validate", base + "one[inprocess]", base + "contract"} <= ids
    assert not any("function.yaml" in i for i in ids)  # collected once, from cases.yaml
    result = run(pytester, "functions/demo/second_fn/tests/unit/cases.yaml", "--collect-only", "-q")
    base = "functions/demo/second_fn/tests/unit/cases.yaml::second_fn::"
    assert collected(result) == {base + "validate", base + "one[inprocess]", base + "contract"}
    result = run(pytester, base + "one[inprocess]")
    result.assert_outcomes(passed=1)


def test_function_yaml_named_on_the_command_line_still_collects(pytester, catalog):
    catalog("first_fn")
    result = run(pytester, "functions/demo/first_fn/function.yaml", "--collect-only", "-q")
    base = "functions/demo/first_fn/function.yaml::first_fn::"
    assert collected(result) == {base + "validate", base + "one[inprocess]", base + "contract"}


def test_a_function_without_cases_is_collected_from_its_function_yaml(pytester, catalog):
    base = catalog("first_fn")
    (base / "tests" / "unit" / "cases.yaml").unlink()
    result = run(pytester, "functions", "--collect-only", "-q")
    ids = collected(result)
    assert "functions/demo/first_fn/function.yaml::first_fn::validate" in ids
