"""Fixtures for the stand-in: one server per session, a fake Lambda endpoint, a schema per test.

Tests that need PostgreSQL, plpython3u and PostGIS skip with the exact install command when
they are missing (`needs_standin`).
"""

from __future__ import annotations

import json
import shutil
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


@pytest.fixture(scope="session")
def standin() -> Iterator[RedshiftLocal]:
    if UNAVAILABLE is not None:
        pytest.skip(UNAVAILABLE)
    root = standin_root()
    server = RedshiftLocal(root / "rsl")
    try:
        yield server.start()
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


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
