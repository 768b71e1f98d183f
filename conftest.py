"""Root conftest: what every pytest process of a run shares, xdist workers included.

- A memory ceiling: each process's address space (RLIMIT_AS) is capped, from the ini option
  `carto_memory_limit` (default 4 GiB; `0` turns it off; `CARTO_MEMORY_LIMIT` in the
  environment wins). A runaway test then fails by itself with MemoryError and its name,
  instead of growing until the kernel's OOM killer ends the run and the machine's other work.
  Child processes (the local target's workers, pip, a database server) inherit the ceiling.
- Hypothesis profiles: `ci` (loaded when the environment sets `CI`, as `.ci/run` does, or
  with `--hypothesis-profile=ci`) draws the same examples on every run (derandomized: each
  test seeds itself from its own code) and keeps no example database, so a failure in CI is
  reproduced by running the same command; `--hypothesis-seed=N` still picks other examples.

The carto plugin itself is registered through the `pytest11` entry point
(pytest_carto.plugin); pytester drives it from tests/plugin.
"""

from __future__ import annotations

import os
import re
import resource

import pytest
from hypothesis import settings

pytest_plugins = ["pytester"]

DEFAULT_MEMORY_LIMIT = "4GiB"
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*$", re.IGNORECASE)

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
    settings.load_profile("ci")


def parse_size(text: str) -> int:
    """Bytes of a size such as `4GiB`, `512 MB` or `0` (no ceiling); binary units."""
    match = _SIZE.match(text)
    if match is None:
        raise ValueError(text)
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "carto_memory_limit",
        "address-space ceiling of each pytest process, e.g. 4GiB (0: none); "
        "the environment's CARTO_MEMORY_LIMIT wins",
        default=DEFAULT_MEMORY_LIMIT,
    )


def pytest_configure(config: pytest.Config) -> None:
    from_env = os.environ.get("CARTO_MEMORY_LIMIT")
    text = from_env if from_env is not None else str(config.getini("carto_memory_limit"))
    source = "CARTO_MEMORY_LIMIT" if from_env is not None else "ini option carto_memory_limit"
    try:
        limit = parse_size(text)
    except ValueError:
        raise pytest.UsageError(
            f"{source} = {text!r} is not a size: write e.g. 4GiB, 512MiB or 0 (no ceiling)"
        ) from None
    config.stash[_CEILING] = source
    if limit == 0:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY and soft <= limit:
        return  # already lower (ulimit -v): keep it
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def pytest_report_header(config: pytest.Config) -> str:
    source = config.stash.get(_CEILING, "")
    soft = resource.getrlimit(resource.RLIMIT_AS)[0]
    if soft == resource.RLIM_INFINITY:
        return f"memory ceiling: none ({source} = 0)" if source else "memory ceiling: none"
    return f"memory ceiling: {soft / (1 << 30):.1f} GiB per process (RLIMIT_AS; {source})"


_CEILING = pytest.StashKey[str]()  # where the ceiling came from
