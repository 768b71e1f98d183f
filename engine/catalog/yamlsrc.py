"""YAML documents that remember where every value came from.

Validation errors must name `file:line:column` and the key, so documents are composed into
nodes first and each value's (and each mapping key's) position is kept in a `Locator`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PathKey = tuple[str | int, ...]

# libyaml's parser keeps the same marks and is about ten times faster: a deploy validates
# every function.yaml and cases.yaml, so this is most of a no-op deploy's time.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a user's file, printed as `path:line:column: key: message`."""

    path: str
    line: int
    column: int
    key: str
    message: str

    def __str__(self) -> str:
        key = f"{self.key}: " if self.key else ""
        return f"{self.path}:{self.line}:{self.column}: {key}{self.message}"


def dotted(keys: PathKey) -> str:
    """('arguments', 1, 'type') -> 'arguments[1].type'."""
    out = ""
    for key in keys:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


class Locator:
    """Positions (1-based line and column) of values and mapping keys in one file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.values: dict[PathKey, tuple[int, int]] = {}
        self.keys: dict[PathKey, tuple[int, int]] = {}

    def position(self, keys: PathKey, *, of_key: bool = False) -> tuple[int, int]:
        """Position of the value at `keys` (or of its key); the nearest parent if unknown."""
        table = self.keys if of_key else self.values
        probe = tuple(keys)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))

    def problem(self, keys: PathKey, message: str, *, of_key: bool = False) -> Problem:
        line, column = self.position(keys, of_key=of_key)
        return Problem(str(self.path), line, column, dotted(keys), message)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


# Bounds on what one document may hold once aliases are expanded: the largest cases.yaml
# holds about 4,400 values and nests 5 levels. Aliases that expand exponentially ("billion
# laughs"), an alias inside its own anchor and deep nesting become problems, not a crash.
MAX_DEPTH = 64
MAX_VALUES = 100_000


class _TooLarge(Exception):
    """The document exceeds a bound; carries the Problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class _Walk:
    """The state of one document's construction: values so far, nodes on the current path."""

    def __init__(self, loc: Locator, problems: list[Problem], ctor: yaml.SafeLoader) -> None:
        self.loc, self.problems, self.ctor = loc, problems, ctor
        self.count = 0
        self.path: set[int] = set()

    def stop(self, node: yaml.Node, keys: PathKey, message: str) -> _TooLarge:
        line, column = _mark(node)
        return _TooLarge(Problem(str(self.loc.path), line, column, dotted(keys), message))

    def construct(self, node: yaml.Node, keys: PathKey) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise self.stop(
                node,
                keys,
                f"more than {MAX_VALUES} values once aliases are expanded; "
                "write the values out or use fewer aliases",
            )
        if len(keys) > MAX_DEPTH:
            raise self.stop(node, keys, f"nested deeper than {MAX_DEPTH} levels")
        if id(node) in self.path:
            raise self.stop(node, keys, "an alias refers to a value that contains it (a cycle)")
        loc = self.loc
        loc.values[keys] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            self.path.add(id(node))
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.stop(key_node, keys, "a mapping key must be a plain value")
                key = self.ctor.construct_object(key_node, deep=True)
                if not isinstance(key, str):
                    key = str(key)
                child = (*keys, key)
                loc.keys[child] = _mark(key_node)
                if key in result:
                    line, column = _mark(key_node)
                    self.problems.append(
                        Problem(str(loc.path), line, column, dotted(child), "duplicate key")
                    )
                result[key] = self.construct(value_node, child)
            self.path.discard(id(node))
            return result
        if isinstance(node, yaml.SequenceNode):
            self.path.add(id(node))
            items = [self.construct(item, (*keys, i)) for i, item in enumerate(node.value)]
            self.path.discard(id(node))
            return items
        return self.ctor.construct_object(node, deep=True)


def _construct(
    node: yaml.Node, keys: PathKey, loc: Locator, problems: list[Problem], ctor: yaml.SafeLoader
) -> Any:
    return _Walk(loc, problems, ctor).construct(node, keys)


def load(path: Path) -> tuple[Any, Locator, list[Problem]]:
    """Load one YAML file; returns (data, locator, problems). Data is None when unreadable."""
    loc = Locator(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, loc, [Problem(str(path), 1, 1, "", f"cannot read file: {exc.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        return None, loc, [Problem(str(path), line, column, "", message)]
    if not text.strip():
        return None, loc, [Problem(str(path), 1, 1, "", "file is empty")]
    try:
        node = yaml.compose(text, Loader=_COMPOSER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        return None, loc, [Problem(str(path), line, column, "", f"YAML syntax error: {what}")]
    except yaml.YAMLError as exc:
        return None, loc, [Problem(str(path), 1, 1, "", f"YAML error: {exc}")]
    except RecursionError:  # the pure-Python composer, when libyaml is missing
        return None, loc, [Problem(str(path), 1, 1, "", f"nested deeper than {MAX_DEPTH} levels")]
    if node is None:
        return None, loc, [Problem(str(path), 1, 1, "", "file holds no YAML document")]
    problems: list[Problem] = []
    try:
        data = _construct(node, (), loc, problems, yaml.SafeLoader(""))
    except _TooLarge as exc:
        return None, loc, [exc.problem]
    except yaml.YAMLError as exc:  # e.g. an unknown tag
        mark = getattr(exc, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, loc, [Problem(str(path), line, column, "", f"YAML error: {exc}")]
    return data, loc, problems
