"""Fixtures for the Redshift phase: catalog functions, settings and a recording DB-API fake."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engine.catalog.model import CONFIG_DEFAULTS, Argument, Function, LambdaConfig
from engine.config import Settings

ROLE = "arn:aws:iam::123456789012:role/RedshiftInvoke"
ARN = "arn:aws:lambda:eu-west-1:123456789012:function:carto-at-{name}"


def make_function(
    name: str = "quadbin_resolution",
    args: list[tuple[str, str]] | None = None,
    output: str = "bigint",
    *,
    module: str = "quadbin",
    template: Path | None = None,
    **config: Any,
) -> Function:
    args = [("quadbin", "bigint")] if args is None else args
    directory = Path("/repo/functions") / module / name
    return Function(
        name=name,
        module=module,
        directory=directory,
        description="test function",
        status="development",
        author="test",
        arguments=tuple(Argument(n, t) for n, t in args),
        output=Argument("result", output),
        examples=(),
        code_file=directory / "code" / "handler.py",
        requirements_file=None,
        template_file=template,
        shared_libs=(),
        lambda_name=name,
        config=LambdaConfig(**{**CONFIG_DEFAULTS, **config}),
        yaml_path=directory / "function.yaml",
    )


def make_settings(**values: str) -> Settings:
    base = {
        "RS_HOST": "example.abc123.eu-west-1.redshift.amazonaws.com",
        "RS_DATABASE": "dev",
        "RS_USER": "deployer",
        "RS_PASSWORD": "s3cr3t-Pa55",
        "RS_LAMBDA_INVOKE_ROLE": ROLE,
        "AWS_REGION": "eu-west-1",
    }
    merged = {k: v for k, v in {**base, **values}.items() if v is not None}
    return Settings(
        rs_prefix=merged.get("RS_PREFIX", "dev_"),
        aws_region=merged.get("AWS_REGION"),
        invoke_role=merged.get("RS_LAMBDA_INVOKE_ROLE"),
        values=merged,
    )


def arns(*functions: Function) -> dict[str, str]:
    return {f.id: ARN.format(name=f.lambda_name) for f in functions}


class FakeCursor:
    def __init__(self, conn: FakeConnection) -> None:
        self.conn = conn
        self.paramstyle = "format"
        self._rows: list[tuple] = []

    def execute(self, sql: str, params: Any = None) -> None:
        self.conn.log.append(sql if params is None else (sql, params))
        for needle, error in self.conn.failures.items():
            if needle in sql:
                raise Exception({"S": "ERROR", "M": error, "C": "XX000"})
        self._rows = []
        for needle, rows in self.conn.results.items():
            if needle in sql:
                self._rows = list(rows)
                break

    def fetchall(self) -> list[tuple]:
        return self._rows


class FakeConnection:
    """Records every statement; `failures` maps a SQL substring to an error message and
    `results` a SQL substring to the rows a query returns."""

    def __init__(self) -> None:
        self.log: list[Any] = []
        self.failures: dict[str, str] = {}
        self.results: dict[str, list[tuple]] = {}
        self.autocommit = False
        self.closed = False
        self.connect_kwargs: dict[str, Any] = {}

    def cursor(self) -> FakeCursor:
        return FakeCursor(self)

    def commit(self) -> None:
        self.log.append("<commit>")

    def rollback(self) -> None:
        self.log.append("<rollback>")

    def close(self) -> None:
        self.closed = True

    def connect(self, **kwargs: Any) -> FakeConnection:
        """Stands in for redshift_connector.connect."""
        self.connect_kwargs = kwargs
        return self

    @property
    def statements(self) -> list[str]:
        return [e if isinstance(e, str) else e[0] for e in self.log]


@pytest.fixture
def fake_conn() -> FakeConnection:
    return FakeConnection()


@pytest.fixture
def fn():
    return make_function


@pytest.fixture
def settings_factory():
    return make_settings


@pytest.fixture
def arns_for():
    return arns
