"""Deterministic zips, digests, modes and size limits (no network)."""

from __future__ import annotations

import os
import stat
import zipfile

import pytest

from engine.build import builder as build
from engine.build import vendor
from engine.build.builder import build_all, build_function


def _build(fn, repo, **kw):
    return build_function(fn, repo / "functions" / "_shared", root=repo, **kw)


def test_two_builds_are_byte_identical(repo, make_function, tmp_path):
    fn = make_function(files={"lib/helpers.py": "X = 1\n", "data/table.json": "{}"})
    first = _build(fn, repo, force=True).artifact
    saved = first.path.read_bytes()
    os.utime(fn.code_file, (1, 1))  # mtimes must not matter
    second = _build(fn, repo, force=True).artifact
    assert second.path.read_bytes() == saved
    assert second.digest == first.digest


def test_zip_entries_sorted_with_fixed_times_and_modes(repo, make_function):
    fn = make_function(files={"tool.sh": "#!/bin/sh\n", "pkg/__init__.py": ""})
    (fn.handler_dir / "tool.sh").chmod(0o700)
    (fn.handler_dir / "handler.py").chmod(0o600)
    cache = fn.handler_dir / "__pycache__"
    cache.mkdir()
    (cache / "handler.cpython-312.pyc").write_bytes(b"junk")
    (fn.handler_dir / "stale.pyc").write_bytes(b"junk")
    artifact = _build(fn, repo).artifact
    with zipfile.ZipFile(artifact.path) as zf:
        infos = zf.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names)
    # bytecode in the zip is compiled by the build, never the source tree's own
    assert "stale.pyc" not in names
    with zipfile.ZipFile(artifact.path) as zf:
        assert zf.read("__pycache__/handler.cpython-312.pyc") != b"junk"
    assert {n for n in names if n.endswith(".pyc")} == {
        f"{n.rpartition('/')[0] + '/' if '/' in n else ''}__pycache__/"
        f"{n.rpartition('/')[2][:-3]}.cpython-312.pyc"
        for n in names
        if n.endswith(".py")
    }
    assert "requirements.txt" not in names
    for info in infos:
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.create_system == 3
        mode = info.external_attr >> 16
        if info.is_dir():
            assert stat.S_IMODE(mode) == 0o755 and stat.S_ISDIR(mode)
        elif info.filename == "tool.sh":
            assert stat.S_IMODE(mode) == 0o755
        else:
            assert stat.S_IMODE(mode) == 0o644 and stat.S_ISREG(mode), info.filename
    assert "handler.py" in names and "pkg/" in names and "carto_runtime/" in names


def test_digest_tracks_sources_runtime_and_architecture_only(repo, make_function):
    fn = make_function()
    base = _build(fn, repo).artifact.digest
    # Files that never ship do not change the digest.
    (fn.directory / "README.md").write_text("docs")
    (fn.handler_dir / ".hidden").write_text("x")
    assert _build(fn, repo).artifact.digest == base
    assert _build(fn, repo, runtime="python3.11").artifact.digest != base
    arm = make_function(architecture="arm64")
    assert _build(arm, repo).artifact.digest != base
    fn.code_file.write_text(fn.code_file.read_text() + "\n# changed\n")
    assert _build(fn, repo).artifact.digest != base


def test_digest_changes_with_mode(repo, make_function):
    fn = make_function()
    base = _build(fn, repo).artifact.digest
    fn.code_file.chmod(0o755)
    assert _build(fn, repo).artifact.digest != base


def test_unchanged_zip_is_reused(repo, make_function):
    fn = make_function()
    first = _build(fn, repo)
    assert not first.reused
    second = _build(fn, repo)
    assert second.reused and second.artifact == first.artifact
    first.artifact.path.write_bytes(b"tampered")
    third = _build(fn, repo)
    assert not third.reused and zipfile.is_zipfile(third.artifact.path)


def test_empty_requirements_never_run_pip(repo, make_function, monkeypatch):
    def boom(*a, **k):
        raise AssertionError("pip must not run")

    monkeypatch.setattr(vendor, "run_pip", boom)
    fn = make_function(requirements="# nothing\n\n")
    outcome = _build(fn, repo)
    assert outcome.artifact is not None and not outcome.has_requirements


def test_unzipped_limit_names_biggest_contributor(repo, make_function, monkeypatch):
    monkeypatch.setattr(build, "MAX_UNZIPPED_BYTES", 200_000)
    fn = make_function(files={"bigdata/blob.txt": "x" * 300_000, "small/a.txt": "y"})
    report = build_all([fn], repo / "functions" / "_shared", root=repo)
    assert not report.ok
    error = report.failures[0].error
    assert "over Lambda" in error
    assert "bigdata/ 0.3 MB" in error and "demo/echo" in error
    assert not (repo / ".carto" / "build" / "demo" / "echo.zip").exists()


def test_zipped_limit_is_a_warning(repo, make_function, monkeypatch):
    monkeypatch.setattr(build, "MAX_ZIPPED_BYTES", 10)
    outcome = _build(make_function(), repo)
    assert outcome.artifact is not None
    assert "S3" in outcome.warnings[0]


def test_build_all_keeps_going_after_a_failure(repo, make_function):
    good = make_function("good")
    bad = make_function("bad", runtime="python2.7")
    report = build_all([good, bad], repo / "functions" / "_shared", root=repo, jobs=2)
    assert [o.function.name for o in report.failures] == ["bad"]
    assert "python2.7" in report.failures[0].error
    assert "demo/good" in report.artifacts


def test_shared_libs_ship_at_the_root(repo, make_function):
    lib = repo / "functions" / "_shared" / "geo_core"
    lib.mkdir()
    (lib / "__init__.py").write_text("Y = 2\n")
    fn = make_function(shared_libs=("geo_core",))
    with zipfile.ZipFile(_build(fn, repo).artifact.path) as zf:
        assert "geo_core/__init__.py" in zf.namelist()


@pytest.mark.parametrize(
    ("runtime", "arch", "present", "absent"),
    [
        (
            "python3.11",
            "x86_64",
            ["manylinux_2_26_x86_64", "manylinux1_x86_64"],
            ["manylinux_2_27_x86_64"],
        ),
        (
            "python3.12",
            "x86_64",
            ["manylinux_2_34_x86_64", "manylinux_2_5_x86_64"],
            ["manylinux_2_35_x86_64"],
        ),
        (
            "python3.10",
            "arm64",
            ["manylinux2014_aarch64", "manylinux_2_17_aarch64"],
            ["manylinux_2_16_aarch64", "manylinux1_aarch64", "manylinux_2_28_aarch64"],
        ),
        ("python3.13", "arm64", ["manylinux_2_34_aarch64"], ["manylinux_2_35_aarch64"]),
    ],
)
def test_platform_tags_follow_runtime_glibc(runtime, arch, present, absent):
    tags = vendor.platform_tags(runtime, arch)
    assert all(t in tags for t in present)
    assert not any(t in tags for t in absent)
    assert tags[0].startswith("manylinux_2_")  # newest first: pip prefers earlier tags


def test_pip_command_targets_the_runtime(tmp_path):
    cmd = vendor.pip_command(tmp_path / "r.txt", tmp_path / "site", "python3.13", "arm64")
    joined = " ".join(cmd)
    assert "--python-version 3.13" in joined and "--abi cp313" in joined
    assert (
        "--only-binary=:all:" in cmd and "--no-compile" in cmd and "--implementation cp" in joined
    )
    assert "--no-deps" not in cmd
    assert cmd.count("--platform") == len(vendor.platform_tags("python3.13", "arm64"))


def test_crash_during_vendoring_leaves_no_cache(repo, make_function, monkeypatch):
    def crash(requirements, dest, runtime, architecture, label):
        dest.mkdir(parents=True)
        (dest / "half.py").write_text("")
        raise vendor.VendorError("simulated crash")

    monkeypatch.setattr(vendor, "run_pip", crash)
    fn = make_function(requirements="something==1.0\n")
    report = build_all([fn], repo / "functions" / "_shared", root=repo)
    assert "simulated crash" in report.failures[0].error
    cache = repo / ".carto" / "cache" / "deps"
    assert [p.name for p in cache.iterdir() if not p.name.endswith(".lock")] == []


def test_zip_members_read_back_exactly(repo, make_function):
    fn = make_function(files={"lib/data.txt": "payload " * 500, "lib/empty.txt": ""})
    artifact = _build(fn, repo).artifact
    with zipfile.ZipFile(artifact.path) as zf:
        assert zf.testzip() is None  # every CRC matches
        assert zf.read("lib/data.txt") == (fn.handler_dir / "lib" / "data.txt").read_bytes()
        assert zf.read("lib/empty.txt") == b""
        assert zf.read("handler.py") == fn.code_file.read_bytes()


def test_compressed_members_are_cached_by_content(repo, make_function, monkeypatch):
    from engine.build import zipper

    fn = make_function(files={"lib/data.txt": "payload " * 500})
    first = _build(fn, repo, force=True).artifact.path.read_bytes()

    def no_compressing(*args, **kwargs):
        raise AssertionError("compressed again")

    monkeypatch.setattr(zipper.zlib, "compressobj", no_compressing)
    assert _build(fn, repo, force=True).artifact.path.read_bytes() == first
    # a changed file is compressed again, the others are not
    (fn.handler_dir / "lib" / "data.txt").write_text("other")
    with pytest.raises(AssertionError, match="compressed again"):
        _build(fn, repo, force=True)


def test_a_zip_over_the_format_limits_fails_the_build_and_writes_nothing(
    repo, make_function, monkeypatch
):
    from engine.build import zipper

    monkeypatch.setattr(zipper, "MAX_MEMBERS", 3)
    fn = make_function(files={"lib/a.py": "", "lib/b.py": ""})
    with pytest.raises(build.BuildError, match="Ship fewer files"):
        _build(fn, repo)
    assert not list((repo / ".carto" / "build").rglob("*.zip"))
