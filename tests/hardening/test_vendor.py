"""Requirements resolve to wheels for the runtime only, and the dependency cache is keyed on
what pip resolved (issue class 5). pip is replaced by a fake that installs what `wheels` says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.build import vendor

RUNTIME, ARCH = "python3.12", "x86_64"


class FakePip:
    """Installs one distribution per (name, version, sha256) in `wheels` and writes pip's report."""

    def __init__(self) -> None:
        self.wheels = [("demo", "1.0", "a" * 64)]
        self.runs = 0

    def __call__(self, requirements, dest, runtime, architecture, label) -> None:
        self.runs += 1
        items = []
        for name, version, sha in self.wheels:
            (dest / name).mkdir(parents=True)
            (dest / name / "__init__.py").write_text(f"WHEEL = {sha!r}\n")
            info = dest / f"{name}-{version}.dist-info"
            info.mkdir()
            (info / "METADATA").write_text(f"Name: {name}\nVersion: {version}\n\n")
            items.append(
                {
                    "metadata": {"name": name, "version": version},
                    "download_info": {
                        "url": f"https://files.example/{name}-{version}-py3-none-any.whl",
                        "archive_info": {"hashes": {"sha256": sha}},
                    },
                }
            )
        (dest.parent / vendor.REPORT).write_text(json.dumps({"install": items}))


@pytest.fixture
def pip(monkeypatch: pytest.MonkeyPatch) -> FakePip:
    fake = FakePip()
    monkeypatch.setattr(vendor, "run_pip", fake)
    return fake


def requirements(tmp_path: Path, text: str, name: str = "requirements.txt") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_same_text_resolving_to_other_wheels_gets_its_own_entry(
    tmp_path: Path, pip: FakePip, monkeypatch: pytest.MonkeyPatch
) -> None:
    req = requirements(tmp_path, "demo>=1.0\n")
    cache = tmp_path / "cache"
    first = vendor.vendor(req, RUNTIME, ARCH, cache)
    again = vendor.vendor(req, RUNTIME, ARCH, cache)
    assert pip.runs == 1 and again.cache_hit and again.key == first.key  # within the TTL
    monkeypatch.setattr(vendor, "RESOLVE_TTL", 0)  # the memo expires: pip resolves again
    pip.wheels = [("demo", "1.0", "b" * 64)]  # same name and version, other bytes
    changed = vendor.vendor(req, RUNTIME, ARCH, cache)
    assert pip.runs == 2 and not changed.cache_hit
    assert changed.key != first.key
    assert (changed.site / "demo" / "__init__.py").read_text() == f"WHEEL = {'b' * 64!r}\n"
    assert (first.site / "demo" / "__init__.py").read_text() == f"WHEEL = {'a' * 64!r}\n"
    pins = json.loads((changed.site.parent / "wheels.json").read_text())
    assert pins == [f"demo==1.0 demo-1.0-py3-none-any.whl sha256:{'b' * 64}"]


def test_a_new_version_behind_the_same_text_rebuilds(
    tmp_path: Path, pip: FakePip, monkeypatch: pytest.MonkeyPatch
) -> None:
    req = requirements(tmp_path, "demo>=1.0\n")
    cache = tmp_path / "cache"
    first = vendor.vendor(req, RUNTIME, ARCH, cache)
    monkeypatch.setattr(vendor, "RESOLVE_TTL", 0)
    pip.wheels = [("demo", "1.1", "c" * 64)]
    second = vendor.vendor(req, RUNTIME, ARCH, cache)
    assert first.resolved == ("demo==1.0",) and second.resolved == ("demo==1.1",)
    assert second.key != first.key


def test_different_texts_with_the_same_resolution_share_one_entry(
    tmp_path: Path, pip: FakePip
) -> None:
    cache = tmp_path / "cache"
    a = vendor.vendor(requirements(tmp_path, "demo==1.0\n", "a.txt"), RUNTIME, ARCH, cache)
    b = vendor.vendor(requirements(tmp_path, "# pinned\ndemo>=1\n", "b.txt"), RUNTIME, ARCH, cache)
    assert a.key == b.key and b.cache_hit
    entries = [p for p in cache.iterdir() if p.is_dir() and p.name.startswith("v")]
    assert len(entries) == 1


def test_the_key_depends_on_runtime_and_architecture(tmp_path: Path, pip: FakePip) -> None:
    req = requirements(tmp_path, "demo==1.0\n")
    keys = {
        vendor.vendor(req, runtime, arch, tmp_path / "cache").key
        for runtime, arch in [
            ("python3.12", "x86_64"),
            ("python3.12", "arm64"),
            ("python3.11", "x86_64"),
        ]
    }
    assert len(keys) == 3


@pytest.mark.parametrize(
    "line", ["-e ./local", "--no-binary=:all:", "./pkg", "pkg @ file:///tmp/x", "-r more.txt"]
)
def test_refused_lines_never_reach_pip(tmp_path: Path, pip: FakePip, line: str) -> None:
    req = requirements(tmp_path, f"demo==1.0\n{line}\n")
    with pytest.raises(vendor.VendorError, match=rf"{req}:2:1:"):
        vendor.vendor(req, RUNTIME, ARCH, tmp_path / "cache")
    assert pip.runs == 0


def test_the_pip_command_asks_for_the_report(tmp_path: Path) -> None:
    cmd = vendor.pip_command(tmp_path / "r.txt", tmp_path / "site", RUNTIME, ARCH, tmp_path / "x")
    assert cmd[cmd.index("--report") + 1] == str(tmp_path / "x")
    assert "--only-binary=:all:" in cmd
