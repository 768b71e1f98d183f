"""`[redshift]` items: cases and function.yaml examples run as SQL through Redshift."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine.cases import Case
from engine.model import Function


class RedshiftItem(pytest.Item):
    def __init__(
        self, *, function: Function, case: Case | None, example_index: int | None, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.function, self.case, self.example_index = function, case, example_index
        self.add_marker("carto_redshift")

    def runtest(self) -> None:
        pytest.skip("the Redshift phase is not available in this build")


def redshift_items(parent, function: Function, cases: list[Case]) -> Iterator[pytest.Item]:
    for case in cases:
        yield RedshiftItem.from_parent(
            parent,
            name=f"{case.name}[redshift]",
            function=function,
            case=case,
            example_index=None,
        )
    for i, _ in enumerate(function.examples):
        yield RedshiftItem.from_parent(
            parent,
            name=f"example_{i + 1}[redshift]",
            function=function,
            case=None,
            example_index=i,
        )
