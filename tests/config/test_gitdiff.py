"""--diff: functions changed in git, including through shared libs and requirements."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from engine.build import gitdiff
from engine.build.gitdiff import GitDiffError, changed_functions
from engine.catalog.model import CONFIG_DEFAULTS, Argument, Function, LambdaConfig


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def make_function(root: Path, module: str, name: str, libs: tuple[str, ...] = ()) -> Function:
    d = root / "functions" / module / name
    code = d / "code" / "lambda" / "python"
    code.mkdir(parents=True)
    (code / "handler.py").write_text("def lambda_handler(e, c):\n    return '{}'\n")
    (code / "requirements.txt").write_text("")
    (d / "function.yaml").write_text(f"description: {name}\n")
    return Function(
        name=name,
        module=module,
        directory=d,
        description=name,
        status="development",
        author="t",
        arguments=(Argument("x", "int"),),
        output=Argument("r", "int"),
        examples=(),
        code_file=code / "handler.py",
        requirements_file=code / "requirements.txt",
        template_file=None,
        shared_libs=libs,
        lambda_name=name,
        config=LambdaConfig(**CONFIG_DEFAULTS),
        yaml_path=d / "function.yaml",
    )


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, list[Function]]:
    root = tmp_path / "repo"
    root.mkdir()
    fs = [
        make_function(root, "quadbin", "alpha", ("geo",)),
        make_function(root, "quadbin", "beta"),
        make_function(root, "h3", "gamma", ("geo", "other")),
    ]
    for lib in ("geo", "other"):
        (root / "functions" / "_shared" / lib).mkdir(parents=True)
        (root / "functions" / "_shared" / lib / "__init__.py").write_text("")
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.email=t@t", "-c", "user.name=t", "add", ".")
    git(root, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "init")
    return root, fs


def names(fs: list[Function]) -> list[str]:
    return [f.name for f in fs]


def test_clean_tree_changes_nothing(repo: tuple[Path, list[Function]]) -> None:
    _, fs = repo
    assert changed_functions(fs, None) == []


def test_modified_untracked_and_deleted(repo: tuple[Path, list[Function]]) -> None:
    root, fs = repo
    (fs[1].code_file).write_text("# changed\n")
    assert names(changed_functions(fs, None)) == ["beta"]
    (fs[2].directory / "tests").mkdir()
    (fs[2].directory / "tests" / "new_untracked.py").write_text("")
    assert names(changed_functions(fs, None)) == ["beta", "gamma"]
    git(root, "checkout", "--", ".")
    git(root, "clean", "-fdq")
    (fs[0].directory / "function.yaml").unlink()
    assert names(changed_functions(fs, None)) == ["alpha"]


def test_staged_changes_count(repo: tuple[Path, list[Function]]) -> None:
    root, fs = repo
    fs[0].requirements_file.write_text("quadbin==0.2.2\n")
    git(root, "add", ".")
    assert names(changed_functions(fs, None)) == ["alpha"]


def test_shared_lib_change_counts_for_every_user(repo: tuple[Path, list[Function]]) -> None:
    root, fs = repo
    (root / "functions" / "_shared" / "geo" / "util.py").write_text("X = 1\n")
    assert names(changed_functions(fs, None)) == ["alpha", "gamma"]


def test_runtime_change_counts_for_every_function(
    repo: tuple[Path, list[Function]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, fs = repo
    runtime = root / "carto_runtime"
    runtime.mkdir()
    (runtime / "__init__.py").write_text("")
    monkeypatch.setattr(gitdiff, "RUNTIME_DIR", runtime)
    assert names(changed_functions(fs, None)) == ["alpha", "beta", "gamma"]


def test_base_ref_uses_the_merge_base(repo: tuple[Path, list[Function]]) -> None:
    root, fs = repo
    c = ("-c", "user.email=t@t", "-c", "user.name=t")
    git(root, "checkout", "-q", "-b", "feature")
    fs[1].code_file.write_text("# feature\n")
    git(root, *c, "commit", "-qam", "feature")
    git(root, "checkout", "-q", "main")
    fs[2].code_file.write_text("# landed on main meanwhile\n")
    git(root, *c, "commit", "-qam", "main moves")
    git(root, "checkout", "-q", "feature")
    assert changed_functions(fs, None) == []  # committed: nothing against HEAD
    assert names(changed_functions(fs, "main")) == ["beta"]


def test_unknown_base(repo: tuple[Path, list[Function]]) -> None:
    _, fs = repo
    with pytest.raises(GitDiffError, match="--diff-base 'nope'"):
        changed_functions(fs, "nope")


def test_outside_a_checkout(tmp_path: Path) -> None:
    fs = [make_function(tmp_path, "m", "f")]
    with pytest.raises(GitDiffError, match="needs a git checkout") as info:
        changed_functions(fs, None)
    assert info.value.exit_code == 2
