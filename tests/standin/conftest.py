"""Fixtures for the stand-in: one server per session, a fake Lambda endpoint, a schema per test.

Tests that need PostgreSQL, plpython3u and PostGIS skip with the exact install command when
they are missing (`needs_standin`).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.lambda_api import FunctionNotFound, LambdaApiServer
from engine.redshift.standin import RedshiftLocal, StandinSession, availability

UNAVAILABLE = availability()
needs_standin = pytest.mark.skipif(UNAVAILABLE is not None, reason=str(UNAVAILABLE))


def standin_root() -> Path:
    """A folder the server's user can reach (pytest's own tmp folders are 0700, root's)."""
    root = Path(tempfile.mkdtemp(prefix="carto-standin-test-"))
    root.chmod(0o755)
    return root


def slots_base() -> Path:
    """Where the session's servers live: fixed per checkout, so a killed run's server is
    reclaimed by the next run (which takes the same first free slot) and restarts are warm."""
    digest = hashlib.sha1(str(Path(__file__).resolve()).encode()).hexdigest()[:10]
    base = Path(tempfile.gettempdir()) / f"carto-standin-tests-{digest}"
    base.mkdir(mode=0o755, exist_ok=True)
    base.chmod(0o755)
    return base


@pytest.fixture(scope="session")
def standin() -> Iterator[RedshiftLocal]:
    if UNAVAILABLE is not None:
        pytest.skip(UNAVAILABLE)
    # fresh: the schemas of a killed run are dropped with the database.
    server = RedshiftLocal.in_free_slot(slots_base(), fresh=True)
    try:
        yield server
    finally:
        server.stop()


Handler = Callable[[dict[str, Any]], Any]


class FakeLambdas:
    """Handlers by function name; each gets the decoded event and returns the response
    (a dict, JSON-encoded twice as real handlers do) or a raw (status, error, bytes)."""

    def __init__(self) -> None:
        self.handlers: dict[str, Handler] = {}
        self.events: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, name: str, payload: bytes) -> tuple[int, str | None, bytes]:
        if name not in self.handlers:
            raise FunctionNotFound(name)
        event = json.loads(payload)
        self.events.append((name, event))
        response = self.handlers[name](event)
        if isinstance(response, tuple):
            return response
        return 200, None, json.dumps(json.dumps(response)).encode()


@pytest.fixture(scope="session")
def fake_server() -> Iterator[tuple[LambdaApiServer, FakeLambdas]]:
    lambdas = FakeLambdas()
    with LambdaApiServer(lambdas) as server:
        yield server, lambdas


@pytest.fixture
def fake_lambdas(fake_server) -> Iterator[FakeLambdas]:
    _, lambdas = fake_server
    yield lambdas
    lambdas.handlers.clear()
    lambdas.events.clear()


@pytest.fixture
def session(standin: RedshiftLocal, fake_server) -> Iterator[StandinSession]:
    server, _ = fake_server
    with standin.connect(server.url) as s:
        yield s


@pytest.fixture
def schema(session: StandinSession) -> Iterator[str]:
    name = f"t_{uuid.uuid4().hex[:12]}"
    session.run_transaction([f"CREATE SCHEMA {name}"])
    yield name
    session.run_transaction([f"DROP SCHEMA {name} CASCADE"])
