"""The SQL tier on the local target: redshift-local plus a Lambda Invoke API in front of the
functions deployed on the local target, as one object the plugin and the CLI share.

`LocalSqlTier.start(repo_root, local_target, prefix)` starts both (the server in the first free
slot under `<repo>/.carto/redshift-local`, emptied: a killed run's schemas go); the object is
then a session opener (`tier(settings) -> StandinSession`) for engine.deploy's SQL phase, whose
`target` attribute says the external functions it loads call the local target. `handoff()` is
what another process (a pytest-xdist worker) needs to `attach` to the same server and
endpoint. `stop()` stops what `start` started; nothing is left running.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Settings the SQL phase needs that a stand-in has no use for: an invoke role (IAM_ROLE is
# accepted and ignored) and no grantees (a developer's RS_GRANTEES name roles that the
# stand-in does not have).
SQL_FLAGS = {
    "RS_LAMBDA_INVOKE_ROLE": "arn:aws:iam::000000000000:role/redshift-local",
    "RS_GRANTEES": "",
}


BASE_ENV = "CARTO_REDSHIFT_LOCAL_DIR"  # another folder for the servers' slots


def slots_base(repo_root: Path) -> Path:
    """`<repo>/.carto/redshift-local`, or $CARTO_REDSHIFT_LOCAL_DIR (tests point runs in
    temporary projects at one shared folder: warm starts, no server folder per project)."""
    override = os.environ.get(BASE_ENV, "").strip()
    return Path(override) if override else Path(repo_root) / ".carto" / "redshift-local"


class LocalSqlTier:
    target = "local"  # whose functions the external functions call (engine.deploy.sqlphase)

    def __init__(
        self,
        conninfo: dict[str, Any],
        endpoint_url: str,
        description: str,
        *,
        server: Any = None,
        api: Any = None,
    ) -> None:
        self.conninfo = dict(conninfo)
        self.endpoint_url = endpoint_url
        self.description = description
        self._server = server
        self._api = api

    @classmethod
    def start(
        cls,
        repo_root: Path,
        local_target: Any,
        prefix: str,
        *,
        fresh: bool = True,
        log: Callable[[str], None] | None = None,
    ) -> LocalSqlTier:
        """Start the stand-in and the endpoint; raises StandinUnavailable saying why."""
        from engine.lambda_api import LambdaApiServer, local_invoker
        from engine.redshift.standin import RedshiftLocal

        server = RedshiftLocal.in_free_slot(slots_base(repo_root), fresh=fresh, log=log)
        try:
            api = LambdaApiServer(local_invoker(local_target, prefix), port=0).start()
        except BaseException:
            server.stop()
            raise
        return cls(server.conninfo(), api.url, server.describe(), server=server, api=api)

    @classmethod
    def attach(cls, handoff: dict[str, Any]) -> LocalSqlTier:
        """The tier another process started (see `handoff`); `stop` leaves it running."""
        return cls(handoff["conninfo"], handoff["endpoint_url"], handoff["description"])

    def handoff(self) -> dict[str, Any]:
        return {
            "conninfo": self.conninfo,
            "endpoint_url": self.endpoint_url,
            "description": self.description,
        }

    def __call__(self, settings: Any = None) -> Any:
        """A new StandinSession (the engine's SqlSession shape); the caller closes it."""
        import psycopg

        from engine.redshift.standin import StandinSession, StandinUnavailable

        try:
            connection = psycopg.connect(**self.conninfo, autocommit=True)
        except psycopg.OperationalError as exc:
            raise StandinUnavailable(f"cannot connect to {self.description}: {exc}") from None
        return StandinSession(
            connection, endpoint_url=self.endpoint_url, description=self.description
        )

    def drop_schema(self, schema: str) -> None:
        """Drop a schema and everything in it (the stand-in is a throw-away database)."""
        from engine.catalog.sqltext import validate

        validate.identifier(schema, "schema")
        with self() as session:
            session.run_transaction([f"DROP SCHEMA IF EXISTS {schema} CASCADE"])

    def schemas(self) -> list[str]:
        with self() as session:
            return [str(r[0]) for r in session.query("SELECT nspname FROM pg_namespace")]

    @property
    def owner(self) -> bool:
        return self._server is not None

    @property
    def server_root(self) -> Path | None:
        return getattr(self._server, "root", None)

    def stop(self) -> None:
        """Stop the endpoint and the server this object started (idempotent)."""
        if self._api is not None:
            with contextlib.suppress(Exception):
                self._api.stop()
            self._api = None
        if self._server is not None:
            self._server.stop()
            self._server = None
