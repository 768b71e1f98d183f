"""The built form of a function: one deterministic zip and its content digest."""

from __future__ import annotations

import base64
import hashlib
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

    def code_sha256(self) -> str:
        """base64 of the sha256 of the zip bytes: the form Lambda reports as CodeSha256."""
        return base64.b64encode(hashlib.sha256(self.path.read_bytes()).digest()).decode()
