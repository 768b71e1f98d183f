"""Fixtures: tiny function folders in tmp_path, built as engine.catalog.model.Function objects."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from engine.catalog.model import CONFIG_DEFAULTS, Argument, Function, LambdaConfig

HANDLER = """\
import json


def lambda_handler(event, context):
    rows = event["arguments"] or []
    return json.dumps({"success": True, "num_records": len(rows), "results": [r[0] for r in rows]})
"""

MakeFunction = Callable[..., Function]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository root with an empty functions/_shared."""
    (tmp_path / "functions" / "_shared").mkdir(parents=True)
    return tmp_path


@pytest.fixture
def make_function(repo: Path) -> MakeFunction:
    def make(
        name: str = "echo",
        module: str = "demo",
        *,
        code: str = HANDLER,
        requirements: str | None = None,
        files: dict[str, str] | None = None,
        shared_libs: tuple[str, ...] = (),
        lambda_name: str | None = None,
        **config: object,
    ) -> Function:
        directory = repo / "functions" / module / name
        code_dir = directory / "code"
        code_dir.mkdir(parents=True, exist_ok=True)
        (code_dir / "handler.py").write_text(code)
        for rel, text in (files or {}).items():
            (code_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (code_dir / rel).write_text(text)
        req = None
        if requirements is not None:
            req = code_dir / "requirements.txt"
            req.write_text(requirements)
        (directory / "function.yaml").write_text("description: test\n")
        return Function(
            name=name,
            module=module,
            directory=directory,
            description="test",
            status="development",
            author="",
            arguments=(Argument("value", "bigint"),),
            output=Argument("result", "bigint"),
            examples=(),
            code_file=code_dir / "handler.py",
            requirements_file=req,
            template_file=None,
            shared_libs=shared_libs,
            lambda_name=lambda_name or name,
            config=LambdaConfig(**{**CONFIG_DEFAULTS, **config}),
            yaml_path=directory / "function.yaml",
        )

    return make
