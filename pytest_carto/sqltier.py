"""Which SQL engine runs the `[redshift]` items of a `--deploy --redshift` run, and its lifetime.

- target aws with the Redshift settings complete: the configured cluster (nothing to start);
- target local: redshift-local (engine.redshift.standin), started once per run by the process
  that owns the run (the only process, or pytest-xdist's controller, which outlives every
  worker) together with a Lambda Invoke API over the local target's functions of the run;
  workers attach to both through their workerinput. Where PostgreSQL, plpython3u or PostGIS
  is missing, the items skip with the exact apt-get command;
- anything else: the items skip with the reason engine.deploy gives.

The SQL goes to the run's schema (`pt<run>_carto`, see live.py) through the same deploy and
remove users run; at the end the owner drops that schema (unless `--keep`) and stops what it
started. The report header says which engine ran.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from pytest_carto.live import LiveRun

WORKERINPUT = "carto_sql_tier"
REQUIRE_ENV = "CARTO_REQUIRE_SQL_TIER"  # 1: fail the [redshift] items instead of skipping


class SqlTier:
    KEY: pytest.StashKey[SqlTier] = pytest.StashKey()

    def __init__(self, config: pytest.Config, live: LiveRun) -> None:
        self.config = config
        self.live = live
        self.engine: str | None = None  # "cluster", "redshift-local" or None
        self.skip: str | None = None  # the items skip with this
        self.error: str | None = None  # the items fail with this (the stand-in did not start)
        self.local: Any = None  # engine.redshift.standin.tier.LocalSqlTier
        if live.deploy and live.redshift:
            workerinput = getattr(config, "workerinput", None)
            if workerinput is not None and WORKERINPUT in workerinput:
                self._attach(workerinput[WORKERINPUT])
            else:
                self._choose()

    # -- choosing and starting -----------------------------------------------------------------

    def _probe_target(self) -> tuple[str, list[str]]:
        """(target, missing Redshift settings) without fixing the run's settings yet."""
        from engine.config import resolve_settings
        from engine.redshift import missing_settings

        flags = {"RS_PREFIX": self.live.schema_prefix, "PRODUCTION": "0"}
        option = self.config.getoption("--target", None)
        if option:
            flags["CARTO_TARGET"] = option
        try:
            settings = resolve_settings(flags, repo_root=self.live.root)
        except ValueError as exc:
            return "?", [str(exc)]
        return settings.target, missing_settings(settings)

    def _choose(self) -> None:
        target, missing = self._probe_target()
        if target == "aws":
            if missing:
                self.skip = "Redshift settings incomplete; set " + ", ".join(missing)
            else:
                self.engine = "cluster"
            return
        if target != "local":
            self.skip = f"no SQL engine for target {target!r}"
            return
        from engine.redshift.standin import availability
        from engine.redshift.standin.tier import SQL_FLAGS, LocalSqlTier

        self.skip = availability()
        if self.skip is not None:
            return
        self.engine = "redshift-local"
        # Before anything reads the run's settings: the SQL phase plans with these.
        self.live.sql_flags.update(SQL_FLAGS)
        if self.config.option.collectonly:
            return  # nothing runs: no server
        try:
            self.local = LocalSqlTier.start(
                self.live.root, self.live._get_target(), self.live.prefix, fresh=True
            )
        except Exception as exc:  # StandinUnavailable: what failed and what to do
            self.error = f"redshift-local could not start: {exc}"
            return
        self.live.open_sql = self.local

    def _attach(self, handoff: dict[str, Any]) -> None:
        self.engine, self.skip, self.error = handoff["engine"], handoff["skip"], handoff["error"]
        if handoff.get("local"):
            from engine.redshift.standin.tier import SQL_FLAGS, LocalSqlTier

            self.live.sql_flags.update(SQL_FLAGS)
            self.local = LocalSqlTier.attach(handoff["local"])
            self.live.open_sql = self.local

    def handoff(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "skip": self.skip,
            "error": self.error,
            "local": self.local.handoff() if self.local is not None else None,
        }

    def check(self) -> None:
        """Skip or fail the calling `[redshift]` item when the tier cannot run."""
        if self.error:
            pytest.fail(self.error, pytrace=False)
        if self.skip and os.environ.get(REQUIRE_ENV) == "1":  # CI: a skip would hide the tier
            pytest.fail(f"{REQUIRE_ENV}=1 and the SQL tier cannot run: {self.skip}", pytrace=False)
        if self.skip:
            pytest.skip(self.skip)

    # -- hooks ----------------------------------------------------------------------------------

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node) -> None:  # pytest-xdist: workers attach
        node.workerinput[WORKERINPUT] = self.handoff()

    def pytest_report_header(self, config: pytest.Config) -> list[str]:
        if not (self.live.deploy and self.live.redshift):
            return []
        if self.engine == "redshift-local" and self.local is not None:
            where = self.local.description
        elif self.engine == "cluster":
            where = "the Redshift cluster of the settings"
        else:
            where = f"none: {self.error or self.skip}"
        return [f"carto SQL tier: {where}; schema {self.live.schema_prefix}carto"]

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        # After LiveRun.finish removed the run's SQL objects and Lambdas (plugin.py).
        if self.engine == "cluster" and not self.live.is_worker and not self.live.keep:
            self._drop_cluster_schema()
        if self.local is None or not self.local.owner:
            return
        schema = f"{self.live.schema_prefix}carto"
        try:
            if self.live.keep:
                self.live._say(
                    f"carto: --keep: schema {schema} stays in {self.local.server_root}; the"
                    " server is stopped and the next run of the stand-in starts empty"
                )
            else:
                self.local.drop_schema(schema)
        except Exception as exc:  # reported; the server still stops
            self.live._say(f"carto: dropping {schema} on redshift-local failed: {exc}")
        finally:
            self.local.stop()

    def _drop_cluster_schema(self) -> None:
        """The run's schema holds only the emptied state table now; without CASCADE, so that
        anything else left there is reported rather than dropped."""
        from engine.redshift import open_session, read_state
        from engine.redshift.state import state_table

        schema = self.live.settings.schema
        try:
            session = open_session(self.live.settings)
            try:
                if read_state(session, schema).schema_exists:
                    session.run_transaction(
                        [f"DROP TABLE IF EXISTS {state_table(schema)}", f"DROP SCHEMA {schema}"]
                    )
            finally:
                session.close()
        except Exception as exc:
            self.live._say(f"carto: dropping the run's schema {schema} failed: {exc}")


def register(config: pytest.Config, live: LiveRun) -> SqlTier:
    tier = SqlTier(config, live)
    config.stash[SqlTier.KEY] = tier
    config.pluginmanager.register(tier, "carto-sql-tier")
    return tier
