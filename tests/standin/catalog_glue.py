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


def engine_sql_phase(session: Any, functions: list[Any], rs_prefix: str, names: dict[str, str]):
    """The engine's own SQL phase (read state, plan, apply) on `session`.

    Returns (outcomes, actions) so a test can check both what ran and what was planned.
    """
    from engine.config import Settings
    from engine.redshift import apply_sql, plan_sql, read_state
    from engine.redshift.settings import PLACEHOLDER_INVOKE_ROLE

    settings = Settings(repo_root=REPO, rs_prefix=rs_prefix)
    previous = read_state(session, settings.schema)
    arns = {f.id: lambda_arn(names.get(f.id, f"sa-{f.lambda_name}")) for f in functions}
    actions = plan_sql(
        functions, settings, arns, previous=previous, invoke_role=PLACEHOLDER_INVOKE_ROLE
    )
    return apply_sql(actions, session), actions


def engine_sql_removal(session: Any, rs_prefix: str) -> list[Any]:
    from engine.config import Settings
    from engine.redshift import apply_sql, read_state, remove_sql

    settings = Settings(repo_root=REPO, rs_prefix=rs_prefix)
    return apply_sql(remove_sql(read_state(session, settings.schema)), session)
