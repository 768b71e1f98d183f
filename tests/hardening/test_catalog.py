"""What validation refuses (issue classes 4, 5, 6, 7, 8): links, non-modules, requirement
lines that would build on the host, hostile YAML and undecodable files, each as file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.catalog.loader import validate_catalog
from engine.catalog.requirements import parse
from engine.cli import main as cli
from tests.package.conftest import write_catalog

FUNCTION = "functions/demo/prod_double"
PYDIR = f"{FUNCTION}/code/lambda/python"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return write_catalog(tmp_path / "repo")


def problems(root: Path) -> list[str]:
    return [str(p) for p in validate_catalog(root)[1]]


def set_redshift(root: Path, **keys: str) -> None:
    path = root / FUNCTION / "function.yaml"
    text = path.read_text()
    for key, value in keys.items():
        text = text.replace("    config:", f"    {key}: {value}\n    config:", 1)
    path.write_text(text)


def test_the_demo_catalog_is_valid(repo: Path) -> None:
    assert problems(repo) == []


# -- 4. links ---------------------------------------------------------------------------------


def test_a_linked_code_file_is_refused(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("not for shipping")
    handler = repo / PYDIR / "handler.py"
    (outside / "handler.py").write_text(handler.read_text())
    handler.unlink()
    handler.symlink_to(outside / "handler.py")
    assert any(f"{handler}:1:1: symbolic link" in p for p in problems(repo))


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_links_anywhere_in_the_function_folder_are_refused(
    repo: Path, tmp_path: Path, kind: str
) -> None:
    target = tmp_path / "elsewhere"
    if kind == "folder":
        target.mkdir()
        (target / "x.py").write_text("")
    else:
        target.write_text("x")
    link = repo / PYDIR / "extra"
    link.symlink_to(target)
    assert any(str(link) in p and "symbolic link" in p for p in problems(repo))


def test_a_linked_function_folder_is_not_silently_ignored(repo: Path, tmp_path: Path) -> None:
    real = tmp_path / "real_fn"
    (repo / FUNCTION).rename(real)
    (repo / FUNCTION).symlink_to(real)
    assert any(f"{repo / FUNCTION}:1:1: symbolic link" in p for p in problems(repo))


def test_a_linked_shared_lib_is_refused(repo: Path, tmp_path: Path) -> None:
    lib = tmp_path / "outside_lib"
    lib.mkdir()
    (lib / "__init__.py").write_text("")
    (repo / "functions" / "_shared" / "mylib").symlink_to(lib)
    set_redshift(repo, shared_libs="[mylib]")
    found = problems(repo)
    assert any("_shared/mylib:1:1: symbolic link" in p for p in found), found


def test_a_link_inside_a_shared_lib_is_refused(repo: Path, tmp_path: Path) -> None:
    lib = repo / "functions" / "_shared" / "mylib"
    lib.mkdir()
    (lib / "__init__.py").write_text("")
    (tmp_path / "data.bin").write_text("x")
    (lib / "data.bin").symlink_to(tmp_path / "data.bin")
    set_redshift(repo, shared_libs="[mylib]")
    assert any("mylib/data.bin:1:1: symbolic link" in p for p in problems(repo))


# -- 6. code_file -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("handler.txt", "must be a Python module"),
        ("my-handler.py", "must be a Python module"),
        ("../../../../handler.py", "must be a path inside"),
    ],
)
def test_code_file_must_be_a_python_module(repo: Path, name: str, why: str) -> None:
    path = repo / FUNCTION / "function.yaml"
    src = repo / PYDIR / "handler.py"
    target = (repo / PYDIR / name).resolve() if ".." not in name else None
    if target is not None:
        target.write_text(src.read_text())
    path.write_text(path.read_text().replace("code/lambda/python/handler.py", f"code/{name}"))
    if target is not None:
        (repo / FUNCTION / "code" / name).write_text(src.read_text())
    found = problems(repo)
    assert any("code_file" in p and why in p for p in found), found


# -- 5. requirements --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("-e ./pkg", "pip option -e"),
        ("--no-binary=:all:", "pip option --no-binary"),
        ("-r other.txt", "pip option -r"),
        ("--index-url https://evil.example/simple", "pip option --index-url"),
        ("./localpkg", "local paths"),
        ("/abs/path/pkg", "local paths"),
        ("pkg @ file:///tmp/pkg", "direct references"),
        ("https://example.com/pkg.tar.gz", "URLs"),
        ("pkg==1.0 --hash=sha256:abc", "not a requirement specifier"),
        ("pkg==1.0 \\", "line continuations"),
        ("pkg==1.0\npkg==2.0", "also required on line 3"),
    ],
)
def test_requirement_lines_that_build_on_the_host_are_refused(
    repo: Path, line: str, why: str
) -> None:
    req = repo / PYDIR / "requirements.txt"
    req.write_text(f"# pinned\norjson==3.13.0\n{line}\n")
    set_redshift(repo, requirements_file="code/lambda/python/requirements.txt")
    found = problems(repo)
    assert any(f"{req}:3:1:" in p and why in p for p in found) or (
        "also required" in why and any(f"{req}:4:1:" in p and why in p for p in found)
    ), found


def test_plain_specifiers_are_accepted(tmp_path: Path) -> None:
    req = tmp_path / "requirements.txt"
    req.write_text(
        "orjson==3.13.0  # fast JSON\n"
        "numpy>=1.26,<3\n"
        "Shapely[vectorized] ~= 2.0\n"
        "tomli>=2.0; python_version < '3.11'\n"
        "zope.interface===6.1\n"
    )
    requirements, found = parse(req)
    assert found == []
    assert [r.name for r in requirements] == [
        "orjson",
        "numpy",
        "shapely",
        "tomli",
        "zope-interface",
    ]


# -- 7. YAML bombs and depth ------------------------------------------------------------------


def _laughs() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 9):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (_laughs(), "values once aliases are expanded"),
        ("test_cases: &x\n  - *x\n", "(a cycle)"),
        ("test_cases: " + "[" * 200 + "]" * 200 + "\n", "nested deeper than 64 levels"),
        ("test_cases: " + "[" * 5000 + "]" * 5000 + "\n", "YAML syntax error"),
        ("? [a, b]\n: 1\n", "a mapping key must be a plain value"),
    ],
)
def test_hostile_yaml_is_a_problem_with_its_line(repo: Path, text: str, why: str) -> None:
    cases = repo / FUNCTION / "tests" / "unit" / "cases.yaml"
    cases.write_text(text)
    found = problems(repo)
    assert any(p.startswith(f"{cases}:") and why in p for p in found), found


# -- 8. undecodable files and unhashable names ------------------------------------------------


def test_non_utf8_template(repo: Path) -> None:
    sql = repo / FUNCTION / "code" / "redshift.sql"
    sql.write_bytes(b"-- a comment\nCREATE FUNCTION \xff\n")
    set_redshift(repo, external_function_template="code/redshift.sql")
    assert any(f"{sql}:2:17: not valid UTF-8" in p for p in problems(repo))


def test_non_utf8_requirements(repo: Path) -> None:
    req = repo / PYDIR / "requirements.txt"
    req.write_bytes(b"orjson==3.13.0\n\xfe\n")
    set_redshift(repo, requirements_file="code/lambda/python/requirements.txt")
    assert any(f"{req}:2:1: not valid UTF-8" in p for p in problems(repo))


@pytest.mark.parametrize("name", ["[a, b]", "{x: 1}"])
def test_unhashable_case_name(repo: Path, name: str) -> None:
    cases = repo / FUNCTION / "tests" / "unit" / "cases.yaml"
    cases.write_text(f"test_cases:\n  - name: {name}\n    inputs: [2]\n    expected: 4\n")
    found = problems(repo)
    assert any(p.startswith(f"{cases}:2:") and "name" in p for p in found), found


def test_validate_exits_2_on_each(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    cases = repo / FUNCTION / "tests" / "unit" / "cases.yaml"
    good = cases.read_text()
    cases.write_text("test_cases:\n  - name: [a]\n")
    monkeypatch.chdir(repo)
    assert cli(["validate"]) == 2
    assert "Traceback" not in capsys.readouterr().err
    cases.write_text(good)
    (repo / ".env").write_bytes(b"RS_HOST=x\nRS_USER=\xff\n")
    assert cli(["sql"]) == 2
    assert f"{repo / '.env'}:2: not valid UTF-8" in capsys.readouterr().err


def test_builders_refuse_a_link_that_appears_after_validation(repo: Path, tmp_path: Path) -> None:
    from engine.build.builder import build_all
    from engine.catalog.loader import load_catalog
    from engine.ops.package import PackageError, _shippable

    functions = list(load_catalog(repo).functions)
    (tmp_path / "secret.txt").write_text("outside the repository")
    link = repo / PYDIR / "secret.txt"
    link.symlink_to(tmp_path / "secret.txt")
    report = build_all(functions, repo / "functions" / "_shared", root=repo)
    assert not report.ok
    assert any(f"{link}: symbolic link" in str(o.error) for o in report.failures)
    with pytest.raises(PackageError, match="symbolic link"):
        _shippable(repo / FUNCTION)
