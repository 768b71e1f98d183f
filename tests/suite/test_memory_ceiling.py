"""The root conftest's memory ceiling: a runaway test fails by itself with MemoryError.

Each check runs pytest in a subprocess with the project's root conftest; the runaway test
there stops after 3 GiB whatever happens, so a ceiling that does not work fails this test
instead of exhausting the machine.
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path

import pytest

ROOT_CONFTEST = Path(__file__).resolve().parents[2] / "conftest.py"

RUNAWAY = """
def test_runaway():
    held = []
    for _ in range(30):  # 30 x 100 MiB at most: bounded even without a ceiling
        held.append(bytearray(100 << 20))
    raise AssertionError("allocated 3 GiB: no ceiling")


def test_after_it():
    assert True
"""

CEILING = """
import resource


def test_ceiling():
    print("ceiling", resource.getrlimit(resource.RLIMIT_AS)[0])
"""


# A fresh interpreter that first lifts the ceiling it inherits from this run (only the soft
# limit is set, so it may), then runs pytest: what it prints is the conftest's doing alone.
LIFT_THEN_PYTEST = (
    "import resource, sys, pytest; "
    "resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY)); "
    "sys.exit(pytest.main(sys.argv[1:]))"
)


def run(project: pytest.Pytester, *args: str) -> pytest.RunResult:
    return project.run(sys.executable, "-c", LIFT_THEN_PYTEST, "-p", "no:cacheprovider", *args)


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    pytester.makeconftest(ROOT_CONFTEST.read_text())
    monkeypatch.delenv("CARTO_MEMORY_LIMIT", raising=False)
    return pytester


def test_a_runaway_test_fails_with_memory_error(project: pytest.Pytester) -> None:
    project.makeini("[pytest]\ncarto_memory_limit = 1GiB\n")
    project.makepyfile(test_runaway=RUNAWAY)
    result = run(project)
    result.assert_outcomes(failed=1, passed=1)
    result.stdout.fnmatch_lines(["*test_runaway*MemoryError*"])
    result.stdout.fnmatch_lines(["memory ceiling: 1.0 GiB per process*"])


def test_default_ceiling_is_four_gib(project: pytest.Pytester) -> None:
    project.makepyfile(test_ceiling=CEILING)
    result = run(project, "-s")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines([f"*ceiling {4 << 30}"])


def test_environment_wins_and_zero_turns_it_off(project: pytest.Pytester) -> None:
    project.makeini("[pytest]\ncarto_memory_limit = 1GiB\n")
    project.makepyfile(test_ceiling=CEILING)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CARTO_MEMORY_LIMIT", "2GiB")
        result = run(project, "-s")
        result.stdout.fnmatch_lines([f"*ceiling {2 << 30}"])
        env.setenv("CARTO_MEMORY_LIMIT", "0")
        result = run(project, "-s")
    result.stdout.fnmatch_lines(["memory ceiling: none*", f"*ceiling {resource.RLIM_INFINITY}"])


def test_a_bad_size_is_a_usage_error_naming_the_option(project: pytest.Pytester) -> None:
    project.makeini("[pytest]\ncarto_memory_limit = lots\n")
    project.makepyfile(test_ceiling=CEILING)
    result = run(project)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*carto_memory_limit = 'lots' is not a size*4GiB*"])
