"""The engine's import graph: no cycles, no test tooling, stages importing one way.

The graph is read from the sources (ast), so a cycle hidden in a function-level import counts
too. Importing `a.b.c` also runs the `__init__` of `a` and `a.b`; those edges count, except
for the importer's own packages, which are always initialised before it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[2] / "engine"

# A stage may import the stages after it in this order, never one before it.
STAGES = ("cli", "ops", "deploy", "invoke", "redshift", "build", "catalog")
# Base modules every stage may use; they import nothing but the catalog's model.
BASE = ("config", "naming")
# The deploy stage's plain data is shared with the Redshift planner (and nothing more of it).
SHARED_DOWNWARDS = {"engine.deploy", "engine.deploy.models"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ENGINE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def _imports(path: Path, module: str, is_package: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if _type_checking_only(node, parents):
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in ENGINE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        own_packages = {".".join(module.split(".")[:i]) for i in range(1, module.count(".") + 1)}
        edges = set()
        for name in _imports(path, module, path.name == "__init__.py"):
            if name not in paths:
                continue
            parts = name.split(".")
            edges.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
        graph[module] = {e for e in edges if e in paths and e not in own_packages} - {module}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_package_init_counts_as_imported() -> None:
    graph = _graph()
    # engine.invoke.contract imports engine.invoke.events only: its own package is exempt.
    assert "engine.invoke" not in graph["engine.invoke.contract"]
    assert "engine.invoke.events" in graph["engine.invoke.contract"]


def test_engine_has_no_import_cycle() -> None:
    assert _cycles(_graph()) == []


@pytest.mark.parametrize("tool", ["pytest", "_pytest", "pytest_carto"])
def test_engine_never_imports_test_tooling(tool: str) -> None:
    users = []
    for path in sorted(ENGINE.rglob("*.py")):
        module = _module_name(path)
        names = _imports(path, module, path.name == "__init__.py")
        if any(n == tool or n.startswith(f"{tool}.") for n in names):
            users.append(module)
    assert users == []


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_stages_import_one_way() -> None:
    wrong = []
    for module, edges in _graph().items():
        stage = _stage(module)
        for target in edges:
            other = _stage(target)
            if stage is None and other is not None and module.split(".")[1] in BASE:
                # config and naming sit under every stage: they may use the catalog's model.
                if other != "catalog":
                    wrong.append(f"{module} -> {target}")
            elif stage and other and STAGES.index(other) < STAGES.index(stage):
                if stage == "redshift" and target in SHARED_DOWNWARDS:
                    continue
                wrong.append(f"{module} -> {target}")
    assert wrong == []
