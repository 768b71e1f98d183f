"""Collectors and items: one collector per function, one item per case per level."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engine.cases import Case, compare, load_cases
from engine.catalog import SHARED_DIR_NAME, load_function, validate_catalog
from engine.invoke import InvocationError, check_response, make_event
from engine.model import Function
from pytest_carto.live import LiveRun


class CaseFailure(Exception):
    """A case did not give what it expects; carries what to show the user."""

    def __init__(
        self, message: str, *, event: Any = None, expected: Any = None, actual: Any = None
    ) -> None:
        super().__init__(message)
        self.event, self.expected, self.actual = event, expected, actual


def _short(value: Any, limit: int = 2000) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


class FunctionFile(pytest.File):
    """function.yaml: validated at collection; its problems are the collection error."""

    def collect(self):
        directory = self.path.parent
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
            from pytest_carto.sql_items import redshift_items

            yield from redshift_items(self, self.function, self.cases)
        from pytest_carto.contract import ContractItem

        yield ContractItem.from_parent(self, name="contract", function=self.function)


class ValidateItem(pytest.Item):
    """The function's folder validates, and its names are unique across the catalog."""

    def __init__(self, *, function: Function, **kwargs) -> None:
        super().__init__(**kwargs)
        self.function = function
        self.add_marker("carto_validate")

    def runtest(self) -> None:
        root = self.function.directory.parent.parent.parent
        _, problems = validate_catalog(root)
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


def check_case(function: Function, case: Case, event: Any, response: Any) -> None:
    """Raise CaseFailure unless the response is what the case expects."""
    if case.expected_error is not None:
        if response.success:
            raise CaseFailure(
                "expected an error response",
                event=event,
                expected=f"error containing {case.expected_error!r}",
                actual=response.raw,
            )
        if case.expected_error not in (response.error_msg or ""):
            raise CaseFailure(
                "error message differs",
                event=event,
                expected=f"error containing {case.expected_error!r}",
                actual=response.error_msg,
            )
        return
    if not response.success:
        raise CaseFailure(
            "the function answered with an error",
            event=event,
            expected=case.expected,
            actual=response.error_msg,
        )
    why = compare(response.results[0], case, function.output.type)
    if why:
        raise CaseFailure(why, event=event, expected=case.expected, actual=response.results[0])


def format_failure(function: Function, case: Case, level: str, failure: CaseFailure) -> str:
    lines = [
        f"{function.name}::{case.name}[{level}] ({function.cases_file}:{case.line}): {failure}",
    ]
    if case.description:
        lines.append(f"  case:     {case.description}")
    if failure.event is not None:
        lines.append(f"  event:    {_short(failure.event)}")
    if failure.expected is not None or case.expected_error is None:
        lines.append(f"  expected: {_short(failure.expected)}")
    lines.append(f"  actual:   {_short(failure.actual)}")
    options = [k for k in ("unordered",) if getattr(case, k)]
    if case.tolerance:
        options.append(f"tolerance={case.tolerance}")
    if case.compare != "exact":
        options.append(f"compare={case.compare}")
    if options:
        lines.append(f"  options:  {', '.join(options)}")
    return "\n".join(lines)
