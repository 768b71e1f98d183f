from __future__ import annotations

import re

import pytest

from engine.catalog.loader import CatalogError, load_catalog, validate_catalog
from engine.cli import main

from .conftest import GOOD_YAML


def problems_of(workspace) -> list[str]:
    _, problems = validate_catalog(workspace.root)
    return [str(p) for p in problems]


def test_valid_function_loads_with_defaults(workspace):
    workspace.function()
    catalog = load_catalog(workspace.root)
    (function,) = catalog.functions
    assert (function.module, function.name, function.lambda_name) == (
        "demo",
        "double_it",
        "double_it",
    )
    assert function.config.runtime == "python3.12"
    assert function.config.volatility == "STABLE"
    assert function.public_signature == "DOUBLE_IT(BIGINT) RETURNS BIGINT"
    assert not function.needs_wrapper


def test_wrapped_types_get_an_internal_external_function(workspace):
    yaml = GOOD_YAML.replace(
        "type: bigint\noutput:\n  type: bigint", "type: geometry\noutput:\n  type: super"
    )
    workspace.function(yaml=yaml)
    (function,) = load_catalog(workspace.root).functions
    assert function.public_signature == "DOUBLE_IT(GEOMETRY) RETURNS SUPER"
    assert function.external_signature == "__DOUBLE_IT(VARCHAR(MAX)) RETURNS VARCHAR(MAX)"


def test_every_problem_is_reported_with_file_line_column_and_key(workspace):
    bad = """\
    description: bad
    arguments:
      - name: x
        type: geography
    output: {type: super, colour: red}
    surprise: 1
    clouds:
      redshift:
        type: lambda
        code_file: code/lambda/python/handler.py
        requirements_file: code/missing.txt
        shared_libs: [nope]
        config: {memory_size: big, volatility: IMMUTABLE}
    """
    directory = workspace.function(yaml=bad, handler="def handler(event, context):\n    pass\n")
    found = problems_of(workspace)
    path = str(directory / "function.yaml")
    expected = {
        (4, "arguments[0].type", "'geography' is not one of"),
        (5, "output.colour", "unknown key"),
        (6, "surprise", "unknown key"),
        (10, "clouds.redshift.code_file", "no module-level 'lambda_handler'"),
        (11, "clouds.redshift.requirements_file", "file not found"),
        (12, "clouds.redshift.shared_libs[0]", "unknown shared lib 'nope'"),
        (13, "clouds.redshift.config.memory_size", "'big' is not of type 'integer'"),
        (13, "clouds.redshift.config.volatility", "'IMMUTABLE' is not one of"),
    }
    for line, key, text in expected:
        pattern = re.compile(
            rf"^{re.escape(path)}:{line}:\d+: {re.escape(key)}: .*{re.escape(text)}"
        )
        assert any(pattern.match(p) for p in found), (line, key, found)
    assert len(found) == len(expected)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b"description: [unclosed\n", "YAML syntax error"),
        (b"description: caf\xe9\n", "not valid UTF-8"),
        (b"- just\n- a list\n", "must be a mapping"),
    ],
)
def test_unreadable_files_are_problems_not_crashes(workspace, content, message):
    directory = workspace.function()
    (directory / "function.yaml").write_bytes(content)
    (problem,) = problems_of(workspace)
    assert problem.startswith(f"{directory / 'function.yaml'}:")
    assert message in problem


def test_handler_syntax_error_points_into_the_handler(workspace):
    directory = workspace.function(handler="def lambda_handler(:\n")
    (problem,) = problems_of(workspace)
    assert problem.startswith(f"{directory}/code/lambda/python/handler.py:1:")
    assert "syntax error" in problem


def test_duplicate_names_across_modules_are_rejected(workspace):
    workspace.function(module="one")
    workspace.function(module="two")
    found = problems_of(workspace)
    assert any("function name 'double_it' is also used by" in p for p in found)
    assert any("lambda name 'double_it' is also used by" in p for p in found)
    with pytest.raises(CatalogError):
        load_catalog(workspace.root)


def test_duplicate_lambda_names_are_rejected(workspace):
    yaml = GOOD_YAML + "    lambda_name: shared\n"
    workspace.function(name="first", yaml=yaml)
    workspace.function(name="second", yaml=yaml)
    found = problems_of(workspace)
    assert len([p for p in found if "lambda name 'shared'" in p]) == 1


def test_shared_libs_must_exist(workspace):
    workspace.shared("geo_core")
    yaml = GOOD_YAML + "    shared_libs: [geo_core]\n"
    workspace.function(yaml=yaml)
    (function,) = load_catalog(workspace.root).functions
    assert function.shared_libs == ("geo_core",)


def test_bad_folder_names_are_problems(workspace):
    workspace.function(name="Double-It")
    (problem,) = problems_of(workspace)
    assert "function folder name 'Double-It' must match" in problem


def test_cases_problems_are_located(workspace):
    cases = """\
    test_cases:
      - name: ok
        inputs: {x: 2}
        expected: 4
      - name: wrong_type
        inputs: {x: "two", y: 1}
        expected: 4
      - name: both
        inputs: [1]
        expected: 2
        expected_error: boom
      - name: ok
        inputs: [1, 2]
        expected: 2
    """
    directory = workspace.function(cases=cases)
    path = directory / "tests" / "unit" / "cases.yaml"
    found = problems_of(workspace)
    assert (
        f"{path}:6:17: test_cases[1].inputs.x: 'two' is not an integer (bigint travels as one)"
        in found
    )
    assert any(p.startswith(f"{path}:6:") and "inputs.y: unknown argument" in p for p in found)
    assert any(p.startswith(f"{path}:8:") and "exactly one of 'expected'" in p for p in found)
    assert any("duplicate case 'ok'" in p for p in found)
    assert any("2 inputs given, double_it takes 1" in p for p in found)


def test_selection_filters_and_rejects_unknown_names(workspace):
    workspace.function(name="a_fn", module="m1")
    workspace.function(name="b_fn", module="m2")
    catalog = load_catalog(workspace.root)
    assert [f.name for f in catalog.select(modules=["m2"])] == ["b_fn"]
    assert [f.name for f in catalog.select(functions=["A_FN"])] == ["a_fn"]
    with pytest.raises(CatalogError, match="unknown module"):
        catalog.select(modules=["nope"])


def test_validate_command_exit_codes(workspace, monkeypatch, capsys):
    monkeypatch.chdir(workspace.root)
    workspace.function()
    assert main(["validate"]) == 0
    (workspace.root / "functions" / "demo" / "double_it" / "function.yaml").write_text(
        GOOD_YAML + "bogus: 1\n"
    )
    assert main(["validate"]) == 2
    err = capsys.readouterr().err
    assert "function.yaml:13:1: bogus: unknown key" in err
    assert "nothing was changed" in err


def test_list_json(workspace, monkeypatch, capsys):
    import json

    monkeypatch.chdir(workspace.root)
    workspace.function()
    assert main(["list", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["signature"] == "DOUBLE_IT(BIGINT) RETURNS BIGINT"


def test_arguments_of_the_wrong_shape_are_a_problem_not_a_crash(workspace):
    directory = workspace.function(
        yaml=GOOD_YAML.replace("arguments:\n  - name: x\n    type: bigint", "arguments: 3")
    )
    (problem,) = problems_of(workspace)
    assert problem.startswith(f"{directory / 'function.yaml'}:3:")
    assert "3 is not of type 'array'" in problem
