"""The built form of a function: one deterministic zip and its content digest."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Artifact:
    function_id: str  # "module/name"
    path: Path  # the zip
    digest: str  # hex sha256 over sources, resolved requirements, runtime and architecture
    size: int  # zipped bytes
    unzipped_size: int
    cache_hit: bool  # vendored requirements came from the dependency cache
