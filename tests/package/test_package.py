"""The distribution zip: contents, determinism, --production, and installing from it."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import boto3
import pytest

from engine.catalog.loader import load_catalog
from engine.cli import main
from engine.ops.package import build_package

from .conftest import REPO

PASSWORD = "pw-never-on-disk-or-screen"
NAME = "carto-at-redshift-9.9.9"


def build(catalog: Path, out: Path, production: bool = False) -> Path:
    functions = list(load_catalog(catalog).functions)
    if production:
        functions = [f for f in functions if f.status != "development"]
    return build_package(functions, catalog, out, version="9.9.9", out=lambda _: None).path


def unpack(zip_path: Path, dest: Path) -> Path:
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(dest)
    return dest / NAME


def installer_env(tmp_path: Path, endpoint: str | None = None, **extra: str) -> dict[str, str]:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "PIP_NO_INDEX": "1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        **extra,
    }
    if endpoint:
        env["AWS_ENDPOINT_URL"] = endpoint
    return env


def install(python: Path, root: Path, env: dict[str, str], *args: str):
    return subprocess.run(
        [str(python), str(root / "scripts" / "install.py"), *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def test_contents_and_checksums(catalog: Path, tmp_path: Path) -> None:
    path = build(catalog, tmp_path / "dist")
    assert path.name == f"{NAME}.zip"
    with zipfile.ZipFile(path) as zf:
        names = [n.removeprefix(f"{NAME}/") for n in zf.namelist() if not n.endswith("/")]
        sums = zf.read(f"{NAME}/SHA256SUMS").decode().splitlines()
        listed = {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in sums}
        for name in names:
            if name != "SHA256SUMS":
                assert listed[name] == hashlib.sha256(zf.read(f"{NAME}/{name}")).hexdigest()
        manifest = json.loads(zf.read(f"{NAME}/artifacts/manifest.json"))
    assert set(listed) == set(names) - {"SHA256SUMS"}
    for required in ("README.md", "scripts/install.py", "scripts/requirements.txt"):
        assert required in names
    assert "artifacts/demo/prod_double.zip" in names
    assert "functions/demo/prod_double/function.yaml" in names
    assert "functions/demo/prod_double/code/lambda/python/handler.py" in names
    assert "engine/deploy/api.py" in names and "carto_runtime/__init__.py" in names
    assert not [n for n in names if "/tests/" in n or n.startswith("tests/")]
    assert not [n for n in names if n.startswith("functions/") and n.endswith("README.md")]
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert not [n for n in names if n.startswith(("benchmarks/", "pytest_carto/", ".carto/"))]
    assert [r["id"] for r in manifest["functions"]] == ["demo/dev_double", "demo/prod_double"]


def test_two_builds_are_identical_bytes(catalog: Path, tmp_path: Path) -> None:
    first = build(catalog, tmp_path / "one").read_bytes()
    second = build(catalog, tmp_path / "two").read_bytes()
    assert first == second


def test_production_leaves_out_development_functions(
    catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(catalog)
    out = tmp_path / "dist"
    assert main(["package", "--production", "--version", "9.9.9", "--out", str(out)]) == 0
    assert "leaving out 1 development function(s)" in capsys.readouterr().out
    with zipfile.ZipFile(out / f"{NAME}.zip") as zf:
        manifest = json.loads(zf.read(f"{NAME}/artifacts/manifest.json"))
        names = zf.namelist()
    assert [r["id"] for r in manifest["functions"]] == ["demo/prod_double"]
    assert not [n for n in names if "dev_double" in n]


def test_filters_are_honoured(catalog: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(catalog)
    args = ["package", "--functions", "dev_double", "--version", "9.9.9"]
    assert main([*args, "--out", str(tmp_path)]) == 0
    with zipfile.ZipFile(tmp_path / f"{NAME}.zip") as zf:
        manifest = json.loads(zf.read(f"{NAME}/artifacts/manifest.json"))
    assert [r["id"] for r in manifest["functions"]] == ["demo/dev_double"]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_install_into_moto_from_a_clean_venv(
    catalog: Path, tmp_path: Path, clean_python: Path, endpoint: str
) -> None:
    root = unpack(build(catalog, tmp_path / "dist"), tmp_path / "customer")
    env = installer_env(tmp_path, endpoint)
    args = ("--yes", "--lambda-only", "--aws-region", "us-east-1", "--prefix", "pkg-at-")
    result = install(clean_python, root, env, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every file matches SHA256SUMS" in result.stdout
    lam = boto3.client(
        "lambda",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    names = {f["FunctionName"] for f in lam.list_functions()["Functions"]}
    assert names == {"pkg-at-dev_double", "pkg-at-prod_double"}

    again = install(clean_python, root, env, *args)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "2 unchanged" in again.stdout

    # With Redshift configured but unreachable: Lambdas stay, the SQL phase fails clearly.
    sql_env = installer_env(tmp_path, endpoint, RS_PASSWORD=PASSWORD, RS_SSL="0")
    sql = install(
        clean_python,
        root,
        sql_env,
        *args[:1],
        *args[2:],
        "--host",
        "127.0.0.1",
        "--port",
        str(closed_port()),
        "--database",
        "dev",
        "--user",
        "admin",
        "--invoke-role",
        "arn:aws:iam::123456789012:role/RedshiftInvoke",
        "--production",  # the schema carto: refused without it
    )
    assert sql.returncode == 1, sql.stdout + sql.stderr
    assert "SQL phase" in sql.stderr and "cannot connect" in sql.stderr
    assert PASSWORD not in sql.stdout + sql.stderr
    assert not (root / ".env").exists()


def test_tampered_artifact_is_refused_naming_the_file(catalog: Path, tmp_path: Path) -> None:
    root = unpack(build(catalog, tmp_path / "dist"), tmp_path / "customer")
    artifact = root / "artifacts" / "demo" / "prod_double.zip"
    data = bytearray(artifact.read_bytes())
    data[-30] ^= 0xFF
    artifact.write_bytes(bytes(data))
    result = install(sys.executable, root, installer_env(tmp_path), "--yes", "--lambda-only")
    assert result.returncode == 2
    assert "artifacts/demo/prod_double.zip: checksum mismatch" in result.stderr
    assert "refusing to install" in result.stderr


def test_unlisted_code_is_refused(catalog: Path, tmp_path: Path) -> None:
    root = unpack(build(catalog, tmp_path / "dist"), tmp_path / "customer")
    (root / "engine" / "extra.py").write_text("print('hi')\n")
    result = install(sys.executable, root, installer_env(tmp_path), "--yes", "--lambda-only")
    assert result.returncode == 2
    assert "engine/extra.py: not part of the package" in result.stderr


def test_path_escaping_archive_is_refused(catalog: Path, tmp_path: Path) -> None:
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr(f"{NAME}/README.md", "hello")
        zf.writestr(f"{NAME}/../../escaped.txt", "gotcha")
    into = tmp_path / "deep" / "into"
    result = install(
        sys.executable,
        REPO,
        installer_env(tmp_path),
        "--archive",
        str(evil),
        "--into",
        str(into),
        "--yes",
    )
    assert result.returncode == 2
    assert "would write outside" in result.stderr and "escaped.txt" in result.stderr
    assert not (tmp_path / "escaped.txt").exists() and not into.exists()


def test_archive_is_unpacked_and_verified(catalog: Path, tmp_path: Path) -> None:
    zip_path = build(catalog, tmp_path / "dist")
    into = tmp_path / "unpacked"
    result = install(
        sys.executable,
        REPO,
        installer_env(tmp_path),
        "--archive",
        str(zip_path),
        "--into",
        str(into),
        "--yes",
    )
    # Verified, then stopped at the settings: every missing one listed at once.
    assert "every file matches SHA256SUMS" in result.stdout, result.stderr
    assert result.returncode == 2
    for key in ("AWS_REGION", "RS_LAMBDA_INVOKE_ROLE", "RS_HOST", "RS_USER", "RS_PASSWORD"):
        assert key in result.stderr
    assert result.stderr.count("missing settings") == 1


def load_installer():
    spec = importlib.util.spec_from_file_location("install_script", REPO / "scripts" / "install.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_interactive_prompts_with_defaults_and_hidden_password(tmp_path, monkeypatch) -> None:
    installer = load_installer()
    prompts: list[str] = []
    answers = iter(["", "eu-west-1", "", "", "arn:aws:iam::123456789012:role/R", "host", "", "db"])

    def fake_input(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers, "")

    monkeypatch.setattr("builtins.input", fake_input)
    monkeypatch.setattr(installer.getpass, "getpass", lambda prompt: PASSWORD)
    args = installer.parse_args([])
    values = installer.gather(args, tmp_path, {"RS_USER": "alice"})
    assert values["AWS_REGION"] == "eu-west-1"
    assert values["RS_LAMBDA_PREFIX"] == "carto-at-"  # the default, accepted with Enter
    assert values["RS_PORT"] == "5439" and values["RS_USER"] == "alice"
    assert values["RS_PASSWORD"] == PASSWORD
    assert any("[carto-at-]" in p for p in prompts)
    assert not any(PASSWORD in p for p in prompts)

    path = installer.save_env(tmp_path, values, with_password=False)
    text = path.read_text()
    assert "RS_HOST=host" in text and PASSWORD not in text
    assert path.stat().st_mode & 0o077 == 0
    assert PASSWORD in installer.save_env(tmp_path, values, with_password=True).read_text()


def test_non_interactive_never_prompts(tmp_path, monkeypatch) -> None:
    installer = load_installer()
    monkeypatch.setattr("builtins.input", lambda _: pytest.fail("prompted"))
    monkeypatch.setattr(installer.getpass, "getpass", lambda _: pytest.fail("prompted"))
    values = installer.gather(installer.parse_args(["--yes"]), tmp_path, {})
    assert values == {"RS_LAMBDA_PREFIX": "carto-at-", "RS_PORT": "5439"}


def test_requirements_match_the_project() -> None:
    from engine.ops.package import check_requirements

    check_requirements(REPO / "scripts" / "requirements.txt")
