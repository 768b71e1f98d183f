"""pytest plugin: every function.yaml becomes a collector of validation, case and contract items.

    pytest functions/                                  in-process items
    pytest functions/ --carto-deploy                   + each case through the artifact
    pytest functions/ --carto-deploy --carto-redshift  + each case and example as SQL

The earlier spellings (--deploy, --target, --redshift, --modules, --functions, --keep) stay
as aliases; ini keys carto_target, carto_modules and carto_functions give defaults.

Collection only reads YAML (no imports of user code, no deploys), so pytest-xdist workers
collect the same items in the same order.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from pytest_carto import selection, sqltier
from pytest_carto.items import FunctionFile
from pytest_carto.live import LiveRun

MARKERS = {
    "carto_validate": "validation of a function.yaml and its cases.yaml",
    "carto_inprocess": "a case run in-process against the handler",
    "carto_live": "a case run through a deployed artifact (--deploy)",
    "carto_redshift": "a case or example run as SQL through Redshift (--redshift)",
    "carto_contract": "generated batches checking the Redshift response contract",
}


# (namespaced option, the earlier spelling kept as an alias, ini key for its default or None)
OPTIONS = (
    ("--carto-deploy", "--deploy", None),
    ("--carto-target", "--target", "carto_target"),
    ("--carto-redshift", "--redshift", None),
    ("--carto-modules", "--modules", "carto_modules"),
    ("--carto-functions", "--functions", "carto_functions"),
    ("--carto-keep", "--keep", None),
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("carto", "Analytics Toolbox functions")
    group.addoption(
        "--carto-deploy",
        "--deploy",
        dest="carto_deploy",
        action="store_true",
        help="deploy the selected functions once and run every case through the artifact",
    )
    group.addoption(
        "--carto-target",
        "--target",
        dest="carto_target",
        choices=["local", "aws"],
        default=None,
        help="where --carto-deploy deploys (default: ini carto_target, CARTO_TARGET, local)",
    )
    group.addoption(
        "--carto-redshift",
        "--redshift",
        dest="carto_redshift",
        action="store_true",
        help="also run cases and examples as SQL through the configured Redshift",
    )
    group.addoption(
        "--carto-modules",
        "--modules",
        dest="carto_modules",
        default=None,
        help="comma-separated modules to collect (default: ini carto_modules, all)",
    )
    group.addoption(
        "--carto-functions",
        "--functions",
        dest="carto_functions",
        default=None,
        help="comma-separated functions to collect (default: ini carto_functions, all)",
    )
    group.addoption(
        "--carto-keep",
        "--keep",
        dest="carto_keep",
        action="store_true",
        help="keep what --carto-deploy created (default: remove it)",
    )
    parser.addini("carto_target", "default of --carto-target: local or aws", default="")
    parser.addini("carto_modules", "default of --carto-modules (comma-separated)", default="")
    parser.addini("carto_functions", "default of --carto-functions (comma-separated)", default="")


def _ini_defaults(config: pytest.Config) -> None:
    """An option left unset takes its ini default, so every reader of the option agrees."""
    for _, _, ini in OPTIONS:
        if ini and getattr(config.option, ini, None) in (None, ""):
            value = str(config.getini(ini) or "").strip()
            if ini == "carto_target" and value and value not in ("local", "aws"):
                raise pytest.UsageError(f"ini carto_target = {value!r}: choose local or aws")
            setattr(config.option, ini, value or None)


def pytest_configure(config: pytest.Config) -> None:
    for name, text in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {text}")
    _ini_defaults(config)
    selection.check(config)
    workerinput = getattr(config, "workerinput", None)
    # One run id for the whole run: the controller makes it, xdist workers receive it.
    run_id = workerinput["carto_run_id"] if workerinput else uuid.uuid4().hex[:6]
    config.stash[LiveRun.KEY] = LiveRun(config, run_id, is_worker=workerinput is not None)
    sqltier.register(config, config.stash[LiveRun.KEY])  # the engine of [redshift] items


def pytest_report_header(config: pytest.Config) -> list[str]:
    live: LiveRun = config.stash[LiveRun.KEY]
    if not live.deploy:
        return ["carto: in-process items only (--carto-deploy runs them through the artifact)"]
    try:
        settings = live.settings
    except ValueError as exc:  # a configuration error: the deploy reports it in full
        return [f"carto: target {live.target_name}; configuration error: {exc}"]
    line = f"carto: target {settings.target}, prefix {settings.lambda_prefix}"
    line += f", schema {settings.schema}"
    if live.redshift:
        tier = config.stash.get(sqltier.SqlTier.KEY, None)
        engine = getattr(tier, "engine", None)
        reason = getattr(tier, "skip", None) or getattr(tier, "error", None)
        line += f", [redshift] items on {engine or f'no SQL engine ({reason})'}"
    return [line]


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:  # pytest-xdist: hand the run id to each worker
    node.workerinput["carto_run_id"] = node.config.stash[LiveRun.KEY].run_id


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    # A function outside the selection loses its own test files too, not only its cases.
    return True if selection.ignored(collection_path, config) else None


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    folder = selection.function_folder(file_path)
    if folder is None or not selection.collects(file_path, parent.config):
        return None
    modules, functions = selection.selection(parent.config)
    if modules and folder.parent.name.lower() not in modules:
        return None
    if functions and folder.name.lower() not in functions:
        return None
    return FunctionFile.from_parent(parent, path=file_path)


def pytest_collection_finish(session: pytest.Session) -> None:
    session.config.stash[LiveRun.KEY].note_items(session.items)


def pytest_sessionfinish(session: pytest.Session) -> None:
    session.config.stash[LiveRun.KEY].finish()


@pytest.fixture(scope="module")
def invoke(request: pytest.FixtureRequest):
    """`invoke(rows) -> results` through the handler of the function this test file belongs to.

    Results are as the Lambda returns them (SUPER and GEOMETRY as JSON text). Raises
    engine.invoke.InvocationError with the error message on an error response. Module-scoped:
    hypothesis tests may use it directly.
    """
    from engine.invoke import invoke_rows

    live = request.config.stash[LiveRun.KEY]
    function, invoker = live.inprocess_for_path(Path(request.path))
    return lambda rows: invoke_rows(invoker.invoke, function, rows)


@pytest.fixture(scope="module")
def respond(request: pytest.FixtureRequest):
    """`respond(rows) -> str`: the JSON text the handler of the function this test file belongs
    to answers (results or error), checked against the contract. Compare it with
    `pytest_carto.row_by_row(definition, rows)`: texts, so that `false` never equals `0`.
    Module-scoped, as `invoke`."""
    from carto_runtime import dumps
    from engine.invoke import check_response, make_event

    live = request.config.stash[LiveRun.KEY]
    function, invoker = live.inprocess_for_path(Path(request.path))

    def respond_to(rows):
        event = make_event(function, rows)
        payload = invoker.invoke(event)
        check_response(event, payload)
        return payload if isinstance(payload, str) else dumps(payload)

    return respond_to
