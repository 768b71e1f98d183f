"""Installer hardening: only verified code runs, configuration only from the customer,
archives checked before a byte is written (issue classes 1-3)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

from .conftest import NAME


def run_installer(root: Path, tmp_path: Path, *args: str, **env: str):
    environ = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "AWS_CONFIG_FILE": str(tmp_path / "none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
        "AWS_EC2_METADATA_DISABLED": "true",
        **env,
    }
    return subprocess.run(
        [sys.executable, str(root / "scripts" / "install.py"), *args],
        cwd=root,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


# -- 1. only verified code runs ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("yaml.py", "yaml.py: file not part of the package"),
        ("sitecustomize.py", "sitecustomize.py: file not part of the package"),
        ("engine/__pycache__/config.cpython-312.pyc", "engine/__pycache__: bytecode folder"),
        ("functions/demo/prod_double/extra.txt", "prod_double/extra.txt: not part of the package"),
        ("artifacts/demo/other.zip", "artifacts/demo/other.zip: not part of the package"),
        ("engine/stray/helper.py", "engine/stray: folder not part of the package"),
    ],
)
def test_any_unlisted_file_is_refused_before_code_runs(
    package_root: Path, tmp_path: Path, rel: str, expected: str
) -> None:
    marker = tmp_path / "ran"
    path = package_root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"open({str(marker)!r}, 'w').write('x')\n")
    result = run_installer(package_root, tmp_path, "--yes", "--lambda-only")
    assert result.returncode == 2, result.stdout + result.stderr
    assert expected in result.stderr
    assert "verified" not in result.stdout
    assert not marker.exists()


def test_symbolic_links_in_the_package_are_refused(package_root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text("x = 1\n")
    (package_root / "engine" / "linked.py").symlink_to(outside)
    result = run_installer(package_root, tmp_path, "--yes", "--lambda-only")
    assert result.returncode == 2
    assert "engine/linked.py: symbolic link" in result.stderr


def test_a_listed_file_replaced_by_a_link_is_refused(package_root: Path, tmp_path: Path) -> None:
    readme = package_root / "README.md"
    copy = tmp_path / "README.md"
    copy.write_bytes(readme.read_bytes())  # same bytes: the checksum alone would pass
    readme.unlink()
    readme.symlink_to(copy)
    result = run_installer(package_root, tmp_path, "--yes", "--lambda-only")
    assert result.returncode == 2
    assert "README.md: symbolic link" in result.stderr


def test_pythonpath_and_bytecode_cannot_reach_the_installer(
    package_root: Path, tmp_path: Path
) -> None:
    """The installer re-runs itself isolated: PYTHONPATH modules are never imported by it.

    (A sitecustomize on the customer's own PYTHONPATH runs before any script can act.)
    """
    evil = tmp_path / "evil"
    evil.mkdir()
    marker = tmp_path / "ran"
    for module in ("yaml", "boto3", "botocore", "filelock", "engine"):
        (evil / f"{module}.py").write_text(f"open({str(marker)!r}, 'w').write('{module}')\n")
    result = run_installer(package_root, tmp_path, "--yes", "--lambda-only", PYTHONPATH=str(evil))
    assert "every file matches SHA256SUMS" in result.stdout, result.stderr
    assert not marker.exists()
    assert not list(package_root.rglob("__pycache__"))  # -B: nothing written either


def test_the_running_virtual_environment_is_not_counted(
    installer: ModuleType, package_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    venv = package_root / ".venv"
    (venv / "lib").mkdir(parents=True)
    (venv / "lib" / "x.py").write_text("")
    args = installer.parse_args([])
    assert any(".venv" in p for p in installer.verify_package(package_root))
    monkeypatch.setattr(sys, "prefix", str(venv))
    assert installer.verify_package(package_root, installer._skipped(package_root, args)) == []


# -- 2. configuration only from the customer --------------------------------------------------


def test_a_dotenv_in_the_package_is_refused_and_never_read(
    installer: ModuleType, package_root: Path, tmp_path: Path
) -> None:
    (package_root / ".env").write_text(
        "AWS_ENDPOINT_URL=http://attacker.example\nRS_HOST=attacker.example\n"
    )
    result = run_installer(package_root, tmp_path, "--yes", "--lambda-only")
    assert result.returncode == 2
    assert ".env: file not part of the package" in result.stderr
    values = installer.gather(installer.parse_args(["--yes"]), package_root, {})
    assert "RS_HOST" not in values and "AWS_ENDPOINT_URL" not in values


def test_settings_come_from_flags_environment_and_the_named_env_file(
    installer: ModuleType, tmp_path: Path
) -> None:
    env_file = tmp_path / "customer.env"
    env_file.write_text(
        "AWS_REGION=eu-west-1\nRS_HOST=from-file\nRS_USER=file-user\nRS_GRANTEES=group g\n"
    )
    args = installer.parse_args(["--yes", "--env-file", str(env_file), "--host", "from-flag"])
    sources: dict[str, str] = {}
    values = installer.gather(args, tmp_path, {"RS_USER": "env-user"}, sources)
    assert values["RS_HOST"] == "from-flag" and sources["RS_HOST"] == "flag --host"
    assert values["RS_USER"] == "env-user" and sources["RS_USER"] == "environment"
    assert values["AWS_REGION"] == "eu-west-1"
    assert sources["AWS_REGION"] == f"env file {env_file}"
    assert values["RS_GRANTEES"] == "group g"
    assert sources["RS_PORT"] == "default"
    settings = SimpleNamespace(
        values={**values, "RS_PASSWORD": "pw", "AWS_ENDPOINT_URL": "http://x"},
        sources={"AWS_ENDPOINT_URL": "environment"},
        schema="carto",
    )
    lines = "\n".join(installer.summary(values, settings, [], args, sources))
    assert "from-flag  [flag --host]" in lines
    assert f"eu-west-1  [env file {env_file}]" in lines
    assert "http://x  [environment]" in lines
    assert "pw" not in lines.replace("RS_PASSWORD", "")


def test_env_file_problems_name_the_line(installer: ModuleType, tmp_path: Path) -> None:
    bad = tmp_path / "bad.env"
    bad.write_bytes(b"RS_HOST=a\nRS_USER=\xff\n")
    with pytest.raises(installer.Refused, match=r"bad.env:2: not valid UTF-8"):
        installer.read_env_file(bad)
    bad.write_text("RS_HOST=a\njunk line\n")
    with pytest.raises(installer.Refused, match=r"bad.env:2: expected KEY=VALUE"):
        installer.read_env_file(bad)
    with pytest.raises(installer.Refused, match="cannot read it"):
        installer.read_env_file(tmp_path / "missing.env")


def test_save_env_needs_a_named_file(package_root: Path, tmp_path: Path) -> None:
    result = run_installer(package_root, tmp_path, "--yes", "--lambda-only", "--save-env")
    assert result.returncode == 2
    assert "add --env-file FILE" in result.stderr
    assert not (package_root / ".env").exists()


# -- 3. --archive -----------------------------------------------------------------------------


def _main(installer: ModuleType, *argv: str) -> int:
    return installer.main(list(argv), environ={"HOME": "/nonexistent"})


def test_archive_errors_exit_2_without_traceback(
    installer: ModuleType, package_zip: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    text = tmp_path / "notazip.zip"
    text.write_text("hello")
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    cases = [
        (("--archive", str(text), "--into", str(tmp_path / "a")), "not a zip file"),
        (("--archive", str(tmp_path / "nope.zip"), "--into", str(tmp_path / "b")), "no such file"),
        (("--archive", str(tmp_path), "--into", str(tmp_path / "c")), "is a folder"),
        (("--archive", str(package_zip), "--into", str(a_file)), "is a file"),
        (("--archive", str(package_zip)), "needs --into"),
    ]
    for argv, expected in cases:
        assert _main(installer, *argv, "--yes") == 2, argv
        err = capsys.readouterr().err
        assert expected in err and "Traceback" not in err, (argv, err)


def _zip(path: Path, members: dict[str, bytes], level: int = 6) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _sums(members: dict[str, bytes]) -> bytes:
    import hashlib

    return "".join(
        f"{hashlib.sha256(d).hexdigest()}  {n.split('/', 1)[1]}\n" for n, d in members.items()
    ).encode()


def test_file_and_folder_name_conflict(
    installer: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    members = {f"{NAME}/engine": b"file", f"{NAME}/engine/x.py": b"folder"}
    archive = _zip(tmp_path / "c.zip", {**members, f"{NAME}/SHA256SUMS": _sums(members)})
    assert _main(installer, "--archive", str(archive), "--into", str(tmp_path / "o")) == 2
    assert "both a file and a folder" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_non_utf8_checksums(
    installer: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    archive = _zip(
        tmp_path / "u.zip",
        {f"{NAME}/README.md": b"x", f"{NAME}/SHA256SUMS": b"ab\xff  README.md\n"},
    )
    assert _main(installer, "--archive", str(archive), "--into", str(tmp_path / "o")) == 2
    err = capsys.readouterr().err
    assert "SHA256SUMS line 1 is not UTF-8" in err and "Traceback" not in err


def test_unlisted_archive_member_is_refused_before_extraction(
    installer: ModuleType, package_zip: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    with zipfile.ZipFile(package_zip) as src:
        members = {i.filename: src.read(i) for i in src.infolist() if not i.is_dir()}
    members[f"{NAME}/.env"] = b"AWS_ENDPOINT_URL=http://attacker.example\n"
    archive = _zip(tmp_path / "extra.zip", members)
    into = tmp_path / "o"
    assert _main(installer, "--archive", str(archive), "--into", str(into)) == 2
    assert f"member '{NAME}/.env' is not listed in SHA256SUMS" in capsys.readouterr().err
    assert not into.exists()


def test_compression_bomb_is_refused_before_extraction(
    installer: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    big = b"\0" * (16 * 1024 * 1024)  # 16 MB of zeros compress to about 16 kB
    members = {f"{NAME}/README.md": big}
    archive = _zip(tmp_path / "bomb.zip", {**members, f"{NAME}/SHA256SUMS": _sums(members)}, 9)
    assert archive.stat().st_size < 1024 * 1024
    into = tmp_path / "o"
    assert _main(installer, "--archive", str(archive), "--into", str(into)) == 2
    err = capsys.readouterr().err
    assert "over the limit of 100" in err
    assert not into.exists()


def test_total_size_and_member_count_limits(
    installer: ModuleType,
    package_zip: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(installer, "MAX_ARCHIVE_MEMBERS", 3)
    assert _main(installer, "--archive", str(package_zip), "--into", str(tmp_path / "a")) == 2
    assert "over the limit of 3" in capsys.readouterr().err
    monkeypatch.setattr(installer, "MAX_ARCHIVE_MEMBERS", 20_000)
    monkeypatch.setattr(installer, "MAX_ARCHIVE_BYTES", 1000)
    assert _main(installer, "--archive", str(package_zip), "--into", str(tmp_path / "b")) == 2
    assert "over the limit of 1000" in capsys.readouterr().err
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_a_manifest_naming_another_zip_or_malformed_is_refused(
    package_root: Path, tmp_path: Path
) -> None:
    import json

    from engine.ops.package import PackageError, load_manifest

    manifest = tmp_path / "m" / "artifacts" / "manifest.json"
    manifest.parent.mkdir(parents=True)
    for bad in ([1, 2], {"format": 1, "functions": [{"id": "x"}]}, {"format": 9}):
        manifest.write_text(json.dumps(bad))
        with pytest.raises(PackageError, match="manifest"):
            load_manifest(tmp_path / "m")
    rows = load_manifest(package_root)
    assert {r["zip"] for r in rows.values()} == {
        "artifacts/demo/dev_double.zip",
        "artifacts/demo/prod_double.zip",
    }


def test_a_manifest_row_pointing_elsewhere_is_refused(package_root: Path) -> None:
    import json

    from engine.catalog.loader import load_catalog
    from engine.config import Settings
    from engine.ops.package import MANIFEST, PackageError, prebuilt_artifacts

    path = package_root / MANIFEST
    data = json.loads(path.read_text())
    data["functions"][0]["zip"] = "../../elsewhere.zip"
    path.write_text(json.dumps(data))
    functions = list(load_catalog(package_root).functions)
    with pytest.raises(PackageError, match=r"names '\.\./\.\./elsewhere\.zip' as its artifact"):
        prebuilt_artifacts(package_root, functions, Settings())
