"""A tiny catalog, a moto server, and a clean virtual environment for the installer.

The venv is created without system site packages and gets scripts/requirements.txt from a
wheelhouse that the fixture downloads with `pip download` (PyPI or the configured mirror).
That step belongs to the test, standing in for the customer's `pip install -r`; the
installer itself then runs with PIP_NO_INDEX=1 and must never need pip. Reusing this
.venv's site-packages instead would also expose the editable engine, which is exactly what
the packaged engine must not depend on.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FUNCTION_YAML = """\
status: {status}
description: {name} doubles a number
arguments:
  - name: value
    type: bigint
output:
  type: bigint
clouds:
  redshift:
    type: lambda
    code_file: code/lambda/python/handler.py
    config:
      timeout: 5
"""
HANDLER = """\
from carto_runtime import redshift_handler


@redshift_handler
def lambda_handler(value):
    return value * 2
"""


def write_catalog(root: Path) -> Path:
    """demo/dev_double (development) and demo/prod_double (production), with tests/README."""
    (root / "functions" / "_shared").mkdir(parents=True, exist_ok=True)
    for name, status in (("dev_double", "development"), ("prod_double", "production")):
        d = root / "functions" / "demo" / name
        (d / "code" / "lambda" / "python").mkdir(parents=True)
        (d / "tests" / "unit").mkdir(parents=True)
        (d / "function.yaml").write_text(FUNCTION_YAML.format(status=status, name=name))
        (d / "code" / "lambda" / "python" / "handler.py").write_text(HANDLER)
        (d / "README.md").write_text(f"# {name}\n")
        (d / "tests" / "unit" / "cases.yaml").write_text(
            "test_cases:\n  - name: two\n    inputs: [2]\n    expected: 4\n"
        )
    return root


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    return write_catalog(tmp_path / "repo")


def _post(url: str, body: dict) -> None:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "x"}
    )
    with urllib.request.urlopen(request) as response:
        assert response.status in (200, 201)


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    yield url
    server.stop()


@pytest.fixture
def endpoint(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    from moto.iam import models

    # Only the managed policy the deploy attaches: loading all ~1,000 makes each reset slow.
    every = json.loads(models.aws_managed_policies_data)
    only = {"AWSLambdaBasicExecutionRole": every["AWSLambdaBasicExecutionRole"]}
    monkeypatch.setattr(models, "aws_managed_policies_data", json.dumps(only))
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    _post(f"{moto_server}/moto-api/reset", {})
    _post(f"{moto_server}/moto-api/config", {"lambda": {"use_docker": False}})
    return moto_server


@pytest.fixture(scope="session")
def clean_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv holding only scripts/requirements.txt, installed from a local wheelhouse."""
    base = tmp_path_factory.mktemp("installer-venv")
    wheelhouse = base / "wheelhouse"
    requirements = REPO / "scripts" / "requirements.txt"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    download = subprocess.run(
        [*pip, "download", "-d", str(wheelhouse), "-r", str(requirements)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    if download.returncode != 0:
        pytest.skip(f"cannot fill the wheelhouse (no package index reachable): {download.stderr}")
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "--disable-pip-version-check",
            "-q",
            "install",
            "--no-index",
            "--find-links",
            str(wheelhouse),
            "-r",
            str(requirements),
        ],
        check=True,
        timeout=240,
    )
    return python
