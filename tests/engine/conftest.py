"""Build small function folders on disk, as a user would write them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

GOOD_YAML = """\
description: Doubles a number.
status: production
arguments:
  - name: x
    type: bigint
output:
  type: bigint
clouds:
  redshift:
    type: lambda
    code_file: code/lambda/python/handler.py
    requirements_file: code/lambda/python/requirements.txt
"""

GOOD_HANDLER = """\
from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(x):
    return x * 2
"""


class Workspace:
    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "functions" / "_shared").mkdir(parents=True)

    def function(
        self,
        name: str = "double_it",
        module: str = "demo",
        yaml: str = GOOD_YAML,
        handler: str = GOOD_HANDLER,
        cases: str | None = None,
        requirements: str = "",
    ) -> Path:
        directory = self.root / "functions" / module / name
        code = directory / "code" / "lambda" / "python"
        code.mkdir(parents=True)
        (directory / "function.yaml").write_text(textwrap.dedent(yaml))
        (code / "handler.py").write_text(textwrap.dedent(handler))
        (code / "requirements.txt").write_text(requirements)
        if cases is not None:
            (directory / "tests" / "unit").mkdir(parents=True)
            (directory / "tests" / "unit" / "cases.yaml").write_text(textwrap.dedent(cases))
        return directory

    def shared(self, lib: str, body: str = "VALUE = 1\n") -> Path:
        path = self.root / "functions" / "_shared" / lib
        path.mkdir(parents=True)
        (path / "__init__.py").write_text(body)
        return path


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)
