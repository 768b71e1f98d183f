"""Collectors and items: one collector per function, one item per case per level."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.catalog.cases import Case, load_cases
from engine.catalog.loader import SHARED_DIR_NAME, load_function, validate_catalog
from engine.catalog.model import Function
from engine.catalog.yamlsrc import Problem
from engine.invoke import InvocationError, check_response, make_event
from pytest_carto.checking import CaseFailure, check_case, format_failure
from pytest_carto.contract import ContractItem
from pytest_carto.live import LiveRun
from pytest_carto.sql_items import redshift_items


class FunctionFile(pytest.File):
    """function.yaml: validated at collection; its problems are the collection error."""

    def collect(self):
        # function.yaml, or tests/unit/cases.yaml (pytest_carto.selection.function_folder)
        directory = self.path.parent
        if self.path.name == "cases.yaml":
            directory = directory.parent.parent
        functions_dir = directory.parent.parent
        function, problems = load_function(
            directory, directory.parent.name, functions_dir / SHARED_DIR_NAME
        )
        cases: list[Case] = []
        if function is not None:
            cases, problems = load_cases(function)
        if problems:
            raise self.CollectError(
                "\n".join(str(p) for p in problems)
                + "\nfix these and rerun (`carto-gateway validate` lists the same problems)"
            )
        assert function is not None
        yield FunctionNode.from_parent(self, name=function.name, function=function, cases=cases)


class FunctionNode(pytest.Collector):
    def __init__(self, *, function: Function, cases: list[Case], **kwargs) -> None:
        super().__init__(**kwargs)
        self.function = function
        self.cases = cases

    def collect(self):
        live: LiveRun = self.config.stash[LiveRun.KEY]
        yield ValidateItem.from_parent(self, name="validate", function=self.function)
        if not self.function.has_lambda:
            # A SQL-only function has no handler: its cases and examples run as SQL only.
            if live.redshift:
                yield from redshift_items(self, self.function, self.cases)
            return
        for case in self.cases:
            yield CaseItem.from_parent(
                self,
                name=f"{case.name}[inprocess]",
                function=self.function,
                case=case,
                level="inprocess",
            )
        if live.deploy:
            for case in self.cases:
                yield CaseItem.from_parent(
                    self,
                    name=f"{case.name}[{live.target_name}]",
                    function=self.function,
                    case=case,
                    level=live.target_name,
                )
        if live.redshift:
            yield from redshift_items(self, self.function, self.cases)
        yield ContractItem.from_parent(self, name="contract", function=self.function)


_CATALOG_PROBLEMS = pytest.StashKey[dict[Path, list[Problem]]]()


def catalog_problems(config: pytest.Config, root: Path) -> list[Problem]:
    """Every problem of the catalog at `root`, validated once per process and run: each
    function's validate item reads its own share (uniqueness needs the whole catalog)."""
    cache = config.stash.setdefault(_CATALOG_PROBLEMS, {})
    if root not in cache:
        cache[root] = validate_catalog(root)[1]
    return cache[root]


class ValidateItem(pytest.Item):
    """The function's folder validates, and its names are unique across the catalog."""

    def __init__(self, *, function: Function, **kwargs) -> None:
        super().__init__(**kwargs)
        self.function = function
        self.add_marker("carto_validate")

    def runtest(self) -> None:
        root = self.function.directory.parent.parent.parent
        problems = catalog_problems(self.config, root)
        mine = [p for p in problems if Path(p.path).is_relative_to(self.function.directory)]
        if mine:
            raise CaseFailure("\n".join(str(p) for p in mine))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CaseFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.function.yaml_path, 0, f"{self.function.name}::validate"


class CaseItem(pytest.Item):
    def __init__(self, *, function: Function, case: Case, level: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.function, self.case, self.level = function, case, level
        self.add_marker("carto_inprocess" if level == "inprocess" else "carto_live")

    def runtest(self) -> None:
        live: LiveRun = self.config.stash[LiveRun.KEY]
        event = make_event(self.function, [self.case.row])
        invoke = live.invoker(self.function, self.level)
        try:
            payload = invoke(event)
            response = check_response(event, payload)
        except InvocationError as exc:
            raise CaseFailure(f"contract broken: {exc}", event=event, actual=exc.payload) from None
        check_case(self.function, self.case, event, response)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CaseFailure):
            return format_failure(self.function, self.case, self.level, excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return (
            self.function.cases_file,
            self.case.line - 1,
            f"{self.function.name}::{self.case.name}[{self.level}]",
        )
