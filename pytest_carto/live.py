"""Per-run state of the plugin: in-process invokers and the one deploy of a run.

With `--deploy` the functions that have live items are deployed once per run, isolated end to
end: a run-unique Lambda prefix (`pt<run>-`) and a run-unique schema (`pt<run>_carto`, never
the developer's). Under pytest-xdist every worker may need them first: a file lock makes the
first one deploy and write a manifest the others read. The controller (or the only process)
removes everything the run created at the end (SQL objects, Lambdas, the execution role it
created) through the same `engine.deploy.api.remove` users run, unless `--keep`, which says
what was kept and how to remove it.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from engine.catalog.loader import SHARED_DIR_NAME, find_repo_root, load_function
from engine.catalog.model import Function
from engine.config import Settings, resolve_settings
from engine.invoke import InProcessInvoker


class LiveRun:
    KEY: pytest.StashKey[LiveRun] = pytest.StashKey()

    def __init__(self, config: pytest.Config, run_id: str, *, is_worker: bool) -> None:
        self.config = config
        self.run_id = run_id
        self.is_worker = is_worker
        self.deploy = bool(config.getoption("--deploy", False))
        self.redshift = bool(config.getoption("--redshift", False))
        self.keep = bool(config.getoption("--keep", False))
        self._target_option = config.getoption("--target", None)
        self._inprocess: dict[str, InProcessInvoker] = {}
        self._live_functions: dict[str, Function] = {}
        self._settings: Settings | None = None
        self._manifest: dict[str, Any] | None = None
        self._target = None
        self._sql = None
        self._sql_skip: str | None = None
        # Opens the SQL session of the run (Settings -> engine.redshift.SqlSession); None is
        # Redshift from the settings. Another SQL engine plugs in here.
        self.open_sql: Callable[[Settings], Any] | None = None
        # Settings that engine needs (redshift-local: a placeholder invoke role, no grantees).
        self.sql_flags: dict[str, str] = {}

    # -- configuration ----------------------------------------------------------------------

    @property
    def prefix(self) -> str:
        return f"pt{self.run_id}-"

    @property
    def schema_prefix(self) -> str:
        """RS_PREFIX of the run: its schema is `pt<run>_carto`, never the developer's."""
        return f"pt{self.run_id}_"

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            flags = {
                "RS_LAMBDA_PREFIX": self.prefix,
                "RS_PREFIX": self.schema_prefix,
                "PRODUCTION": "0",
            }
            if self._target_option:
                flags["CARTO_TARGET"] = self._target_option
            flags.update(self.sql_flags)
            self._settings = resolve_settings(flags, repo_root=self.root)
        return self._settings

    @property
    def root(self) -> Path:
        return find_repo_root(Path(str(self.config.rootpath)))

    @property
    def target_name(self) -> str:
        if self._target_option:
            return self._target_option
        try:
            return self.settings.target
        except ValueError:
            return "local"

    @property
    def _state_dir(self) -> Path:
        return self.root / ".carto" / "pytest"

    # -- in-process --------------------------------------------------------------------------

    def _inprocess_invoker(self, function: Function) -> InProcessInvoker:
        invoker = self._inprocess.get(function.id)
        if invoker is None:
            shared_root = function.directory.parent.parent / SHARED_DIR_NAME
            invoker = InProcessInvoker(function, shared_root)
            self._inprocess[function.id] = invoker
        return invoker

    def inprocess_for_path(self, path: Path) -> tuple[Function, InProcessInvoker]:
        """The function whose folder holds `path` (a test file), and its in-process invoker."""
        for directory in path.resolve().parents:
            if (directory / "function.yaml").is_file():
                function, problems = load_function(
                    directory, directory.parent.name, directory.parent.parent / SHARED_DIR_NAME
                )
                if function is None:
                    pytest.fail("\n".join(map(str, problems)), pytrace=False)
                return function, self._inprocess_invoker(function)
        pytest.fail(
            f"{path} is not inside a function folder (no function.yaml above it)", pytrace=False
        )

    # -- deployed ----------------------------------------------------------------------------

    def note_items(self, items: list[pytest.Item]) -> None:
        for item in items:
            level = getattr(item, "level", "inprocess")
            if level != "inprocess":
                self._live_functions[item.function.id] = item.function

    def _deployment(self) -> dict[str, Any]:
        """Deploy once for the whole run (any process may be first) and return the manifest."""
        if self._manifest is not None:
            return self._manifest
        self._state_dir.mkdir(parents=True, exist_ok=True)
        manifest_path = self._state_dir / f"{self.run_id}.json"
        with FileLock(str(manifest_path) + ".lock"):
            if manifest_path.is_file():
                self._manifest = json.loads(manifest_path.read_text())
            else:
                self._manifest = self._deploy()
                manifest_path.write_text(json.dumps(self._manifest, indent=2))
        return self._manifest

    def _deploy(self) -> dict[str, Any]:
        from engine.deploy.api import deploy

        functions = self._with_dependencies(self._live_functions.values())
        lines: list[str] = []
        sql_error = None
        try:
            report = deploy(
                functions,
                self.settings,
                prefix=self.prefix,
                out=lines.append,
                sql=self.redshift,
                open_sql=self.open_sql,
            )
        except Exception as exc:  # bad SQL input: every [redshift] item reports it
            sql_error = f"the Redshift phase failed: {exc}"
            report = None
        failed: dict[str, str] = {}
        for outcome in report.outcomes if report else []:
            desired = outcome.action.desired
            if not outcome.ok and desired is not None:
                failed[desired.function.id] = outcome.error or "deploy failed"
        if report is not None and report.sql_errors:
            sql_error = "the Redshift phase failed: " + "; ".join(report.sql_errors)
        return {
            "sql_error": sql_error,
            "prefix": self.prefix,
            "schema": self.settings.schema,
            "target": self.settings.target,
            "deployed": dict(report.deployed_names) if report else {},
            "failed": failed,
            "log": lines,
        }

    def _with_dependencies(self, functions) -> list[Function]:
        """The functions and those their SQL calls (depends_on), though no item selected them."""
        from engine.catalog.loader import validate_catalog
        from engine.catalog.sqlkind import with_dependencies

        functions = list(functions)
        if not any(f.depends_on for f in functions):
            return sorted(functions, key=lambda f: f.id)
        catalog, _ = validate_catalog(self.root)
        return with_dependencies(catalog, functions)

    def _live_invoker(self, function: Function) -> Callable[[dict[str, Any]], Any]:
        manifest = self._deployment()
        if function.id in manifest["failed"]:
            pytest.fail(
                f"deploying {function.id} failed: {manifest['failed'][function.id]}",
                pytrace=False,
            )
        name = manifest["deployed"].get(function.id)
        if name is None:
            pytest.fail(
                f"{function.id} was not deployed; deploy log:\n" + "\n".join(manifest["log"]),
                pytrace=False,
            )
        target = self._get_target()
        return lambda event: target.invoke(name, event)

    def _get_target(self):
        if self._target is None:
            from engine.deploy.targets import get_target

            self._target = get_target(self.settings)
        return self._target

    def sql_session(self):
        """The run's Redshift session; skips the calling item with the reason when unavailable."""
        if self._sql_skip is None and self._sql is None:
            from engine.deploy.sqlphase import skip_reason

            reason = skip_reason(self.settings, self.open_sql)
            if reason is None and not self.deploy:
                reason = "[redshift] items need --deploy (the SQL calls the deployed Lambdas)"
            if reason:
                self._sql_skip = reason
            else:
                manifest = self._deployment()
                if manifest.get("sql_error"):
                    pytest.fail(
                        manifest["sql_error"] + "\n" + "\n".join(manifest["log"]), pytrace=False
                    )
                from engine.redshift import open_session

                self._sql = (self.open_sql or open_session)(self.settings)
        if self._sql_skip:
            pytest.skip(self._sql_skip)
        return self._sql

    def invoker(self, function: Function, level: str) -> Callable[[dict[str, Any]], Any]:
        if level == "inprocess":
            return self._inprocess_invoker(function).invoke
        return self._live_invoker(function)

    # -- end of run ---------------------------------------------------------------------------

    def finish(self) -> None:
        for invoker in self._inprocess.values():
            invoker.close()
        self._inprocess.clear()
        if self._sql is not None:
            self._sql.close()
        close = getattr(self._target, "close", None)
        if close:
            close()
        if self.is_worker or not self.deploy:
            return
        manifest_path = self._state_dir / f"{self.run_id}.json"
        if not manifest_path.is_file():
            return
        if self.keep:
            self._say_kept()
        else:
            from engine.deploy.api import remove

            lines: list[str] = []
            report = remove(
                None,
                self.settings,
                prefix=self.prefix,
                out=lines.append,
                sql=self.redshift,
                open_sql=self.open_sql,
            )
            if not report.ok:
                self._say("carto: removing the run's deployment failed:", *lines)
            else:
                self._drop_prefix_folder()
        manifest_path.unlink(missing_ok=True)
        Path(str(manifest_path) + ".lock").unlink(missing_ok=True)

    def _drop_prefix_folder(self) -> None:
        """The local target's `<prefix>/` folder once the run's functions are gone: it then
        holds at most their lock files, and no later run uses this prefix."""
        if self.settings.target != "local":
            return
        directory = self._get_target().prefix_dir(self.prefix)
        if not directory.is_dir():
            return
        entries = list(directory.iterdir())
        if all(
            e.is_file() and e.name.startswith(".") and e.name.endswith(".lock") for e in entries
        ):
            for entry in entries:
                entry.unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # something appeared meanwhile: leave it
                directory.rmdir()

    def _say(self, *lines: str) -> None:
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        for line in lines:
            if reporter is not None:
                reporter.write_line(line)
            else:
                print(line)

    def _say_kept(self) -> None:
        target = self.settings.target
        kept = [f"Lambda functions {self.prefix}* on the {target} target"]
        if target == "aws" and not self.settings.execution_role:
            from engine.naming import execution_role_name

            kept.append(f"the IAM role {execution_role_name(self.prefix)}")
        if self.redshift:
            kept.append(f"the SQL objects in schema {self.settings.schema}")
        self._say(
            "carto: --keep: kept " + ", ".join(kept) + "; remove them with:",
            f"  RS_PREFIX={self.schema_prefix} carto-gateway remove --target {target} "
            f"--prefix {self.prefix} --yes",
        )
