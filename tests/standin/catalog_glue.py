"""The few engine calls the catalog tests make, in one place (the engine's layout moves).

- `catalog_functions()`: every function of the repository that validates.
- `function_statements(function, schema, lambda_name)`: its generated SQL.
- `deploy_local(functions, directory, prefix)`: built and deployed on a local target.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
ACCOUNT = "000000000000"


def catalog_functions() -> tuple[list[Any], list[str]]:
    """(functions that validated, problems of the others)."""
    from engine.catalog.loader import validate_catalog

    functions, problems = validate_catalog(REPO)
    return sorted(functions, key=lambda f: f.id), [str(p) for p in problems]


def function_by_id(function_id: str) -> Any:
    functions, _ = catalog_functions()
    for function in functions:
        if function.id == function_id:
            return function
    raise LookupError(f"{function_id} is not in the catalog (or does not validate)")


def lambda_arn(deployed_name: str) -> str:
    return f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{deployed_name}"


def function_statements(function: Any, schema: str, deployed_name: str) -> list[str]:
    from engine.redshift.generate import SqlContext, function_sql
    from engine.redshift.settings import PLACEHOLDER_INVOKE_ROLE

    ctx = SqlContext(schema, PLACEHOLDER_INVOKE_ROLE)
    return list(function_sql(function, ctx, lambda_arn(deployed_name)).statements)


def deploy_local(functions: list[Any], directory: Path, prefix: str) -> tuple[Any, dict[str, str]]:
    """(the local target, function id -> deployed name); the caller closes the target."""
    from engine.config import Settings
    from engine.deploy.api import deploy
    from engine.deploy.targets.local.target import LocalTarget

    target = LocalTarget(directory / "local")
    settings = Settings(repo_root=REPO, lambda_prefix=prefix)
    report = deploy(functions, settings, target=target, out=lambda line: None)
    if not report.ok:
        target.close()
        failures = [o.error for o in report.failures]
        raise RuntimeError(f"local deploy failed: {report.errors + failures}")
    return target, dict(report.deployed_names)
