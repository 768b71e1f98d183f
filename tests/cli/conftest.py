"""A one-function catalog in a temporary folder, the CLI run from it (local target)."""

from __future__ import annotations

from pathlib import Path

import pytest

FUNCTION_YAML = """\
description: Echo the first argument.
arguments:
  - name: value
    type: bigint
output:
  type: bigint
clouds:
  redshift:
    type: lambda
    code_file: code/handler.py
    lambda_name: ech
"""

HANDLER = """\
import json


def lambda_handler(event, context):
    rows = event["arguments"]
    return json.dumps({"success": True, "num_records": len(rows), "results": [r[0] for r in rows]})
"""


def _add_function(root: Path, name: str, module: str = "demo") -> Path:
    """functions/<module>/<name>, deployed as <prefix><first three letters of name>."""
    fn = root / "functions" / module / name
    (fn / "code").mkdir(parents=True)
    yaml = FUNCTION_YAML.replace("lambda_name: ech", f"lambda_name: {name[:3]}")
    (fn / "function.yaml").write_text(yaml)
    (fn / "code" / "handler.py").write_text(HANDLER)
    (fn / "README.md").write_text(f"# {name}\n")
    return fn


@pytest.fixture
def catalog_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "functions" / "_shared").mkdir(parents=True)
    _add_function(tmp_path, "echo")
    monkeypatch.chdir(tmp_path)
    for key in ("CARTO_TARGET", "RS_LAMBDA_PREFIX", "CARTO_RUNTIME", "NO_COLOR", "CARTO_JOBS"):
        monkeypatch.delenv(key, raising=False)
    return tmp_path


@pytest.fixture
def add_function(catalog_repo: Path):
    return lambda name, module="demo": _add_function(catalog_repo, name, module)
