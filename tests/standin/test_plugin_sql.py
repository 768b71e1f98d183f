"""`pytest --deploy --redshift` on the local target: the `[redshift]` items run on redshift-local.

Seen from the outside (pytester, a subprocess per run), as a user runs it: the items pass, a
broken wrapper fails them with PostgreSQL's message, and after the run nothing is left: no
server running, no schema of the run in the database.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.redshift.standin import RedshiftLocal
from engine.redshift.standin.tier import BASE_ENV

from .conftest import needs_standin, slots_base

pytestmark = needs_standin

YAML = """\
description: Doubles a number.
arguments:
  - name: x
    type: bigint
output:
  type: bigint
examples:
  - arguments: [21]
    output: 42
clouds:
  redshift:
    type: lambda
    lambda_name: dbl
    code_file: code/lambda/python/handler.py
    external_function_template: code/redshift.sql
"""

HANDLER = """\
from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(x):
    if x < 0:
        raise ValueError("negative input")
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

TEMPLATE = """\
CREATE OR REPLACE EXTERNAL FUNCTION @@SCHEMA@@.__DOUBLE_IT(BIGINT)
RETURNS BIGINT
STABLE
LAMBDA '@@LAMBDA_ARN@@'
IAM_ROLE '@@IAM_ROLE_ARN@@';

CREATE OR REPLACE FUNCTION @@SCHEMA@@.DOUBLE_IT(BIGINT)
RETURNS BIGINT
STABLE
AS $$
    SELECT @@SCHEMA@@.__DOUBLE_IT($1)
$$ LANGUAGE sql;
"""


@pytest.fixture
def catalog(pytester: pytest.Pytester):
    def make(template: str = TEMPLATE) -> Path:
        base = pytester.path / "functions" / "demo" / "double_it"
        code = base / "code" / "lambda" / "python"
        code.mkdir(parents=True)
        (base / "function.yaml").write_text(YAML)
        (code / "handler.py").write_text(HANDLER)
        (base / "code" / "redshift.sql").write_text(template)
        (base / "tests" / "unit").mkdir(parents=True)
        (base / "tests" / "unit" / "cases.yaml").write_text(CASES)
        (pytester.path / "functions" / "_shared").mkdir(exist_ok=True)
        return base

    return make


@pytest.fixture(autouse=True)
def shared_slots(monkeypatch: pytest.MonkeyPatch) -> None:
    # The runs' servers live in one folder per checkout (warm starts, nothing left per run).
    monkeypatch.setenv(BASE_ENV, str(slots_base() / "plugin"))


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--import-mode=importlib", "functions", "--deploy",
        "--redshift", "--target", "local", "-rs", *args,
    )  # fmt: skip


def standin_root(result: pytest.RunResult) -> Path:
    """The server's folder, as the report header names it."""
    header = [line for line in result.outlines if line.startswith("carto SQL tier:")]
    assert len(header) == 1, result.outlines[:20]
    pattern = r"carto SQL tier: redshift-local \(PostgreSQL \d+ on 127\.0\.0\.1:\d+, (.+)\);"
    m = re.match(pattern, header[0])
    assert m, header[0]
    return Path(m.group(1))


def run_schemas(root: Path) -> list[str]:
    """The `pt<run>_carto` schemas in the server's database, read by starting it again."""
    server = RedshiftLocal(root, fresh=False)
    server.start()
    try:
        with server.connect() as session:
            rows = session.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'pt%'")
    finally:
        server.stop()
    return [r[0] for r in rows]


@pytest.mark.parametrize("workers", ["0", "2"])
def test_redshift_items_run_on_the_standin_and_leave_nothing_behind(pytester, catalog, workers):
    catalog()
    result = run(pytester, "-n", workers, "-m", "not carto_contract")
    # validate, 3 cases in process, 3 through the artifact, 3 cases + 1 example as SQL
    result.assert_outcomes(passed=11)
    assert "[redshift]" not in "\n".join(line for line in result.outlines if "SKIP" in line)
    root = standin_root(result)
    # No server running: its pid file goes when it stops.
    assert not (root / "data" / "postmaster.pid").exists()
    # No schema of the run (nor of any run) left in the database.
    assert run_schemas(root) == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # the wrapper calls its external function with two arguments instead of one
        ("__DOUBLE_IT($1)", "__DOUBLE_IT($1, $1)", "__double_it(bigint, bigint) does not exist"),
        # RETURNS contradicting the body
        (
            "RETURNS BIGINT\nSTABLE\nAS",
            "RETURNS BOOLEAN\nSTABLE\nAS",
            "return type mismatch in function declared to return boolean",
        ),
    ],
    ids=["wrong-arity", "wrong-return-type"],
)
def test_a_broken_wrapper_fails_its_redshift_items_with_the_engines_message(
    pytester, catalog, old, new, message
):
    assert old in TEMPLATE
    catalog(TEMPLATE.replace(old, new))
    result = run(pytester, "-m", "carto_redshift")
    result.assert_outcomes(failed=4, deselected=8)
    failures = result.stdout.str().split("short test summary")[0]
    # Every [redshift] item shows the engine's message, the function, its file, the statement.
    assert failures.count(message) >= 4
    assert failures.count("(demo/double_it, ") >= 4
    assert failures.count("code/redshift.sql): rolled back; statement 2 of") >= 4
    assert "CREATE OR REPLACE FUNCTION" in failures
