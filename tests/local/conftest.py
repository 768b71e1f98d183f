"""Local-target fixtures; the shared repo and function fixtures are in tests/conftest.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

MakeFunction = Callable[..., Any]


@pytest.fixture
def target(repo: Path):
    from engine.deploy.targets.local.target import LocalTarget

    t = LocalTarget(repo / ".carto" / "local")
    yield t
    t.close()


@pytest.fixture
def settings(repo: Path):
    from engine.config import Settings

    return Settings(repo_root=repo, lambda_prefix="t-")


@pytest.fixture
def deploy_one(repo: Path, make_function: MakeFunction, target, settings):
    """Build and deploy one function to the local target; returns its deployed name."""
    from engine.deploy.api import deploy

    def run(name: str = "echo", **kw: object) -> str:
        fn = make_function(name, **kw)
        report = deploy([fn], settings, target=target, out=lambda line: None)
        assert report.ok, report.errors + [o.error for o in report.failures]
        return report.deployed_names[fn.id]

    return run
