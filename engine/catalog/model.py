"""Plain data models of the catalog: what a function is once its function.yaml validated.

These are built only by `engine.catalog.loader` from schema-validated documents; everything else
reads them. They are frozen so a plan, a build and a test see the same function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.catalog.types import SqlType, needs_wrapper, sql_type

DEFAULT_RUNTIME = "python3.12"

# Defaults for clouds.redshift.config; the schema defines the keys, this file the values.
CONFIG_DEFAULTS: dict[str, Any] = {
    "memory_size": 512,
    "timeout": 60,
    "runtime": DEFAULT_RUNTIME,
    "architecture": "x86_64",
    "max_batch_rows": 10000,
    "max_batch_size": None,  # Redshift's default (5 MB) when unset
    "retry_timeout": None,  # Redshift's default (20 s) when unset
    "volatility": "STABLE",
}


@dataclass(frozen=True)
class Argument:
    name: str
    type: str
    description: str = ""

    @property
    def sql(self) -> SqlType:
        return sql_type(self.type)


@dataclass(frozen=True)
class LambdaConfig:
    memory_size: int
    timeout: int
    runtime: str
    architecture: str
    max_batch_rows: int
    max_batch_size: int | str | None
    retry_timeout: int | None
    volatility: str

    @property
    def python_version(self) -> str:
        """'python3.12' -> '3.12'."""
        return self.runtime.removeprefix("python")

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in CONFIG_DEFAULTS}


@dataclass(frozen=True)
class Example:
    arguments: tuple[Any, ...]
    output: Any
    description: str = ""
    unordered: bool = False


@dataclass(frozen=True)
class Function:
    """One catalog entry. `name` is the directory, `module` its parent directory."""

    name: str
    module: str
    directory: Path
    description: str
    status: str
    author: str
    arguments: tuple[Argument, ...]
    output: Argument
    examples: tuple[Example, ...]
    code_file: Path | None  # absolute; None for a SQL-only function
    requirements_file: Path | None  # absolute
    template_file: Path | None  # absolute
    shared_libs: tuple[str, ...]
    lambda_name: str  # without prefix
    config: LambdaConfig
    yaml_path: Path = field(compare=False)
    kind: str = "lambda"  # clouds.redshift.type: "lambda", or "sql" (SQL only, no Lambda)
    depends_on: tuple[str, ...] = ()  # catalog function names its SQL calls

    @property
    def has_lambda(self) -> bool:
        """False for a SQL-only function: nothing to build, deploy or invoke in-process."""
        return self.kind != "sql"

    @property
    def is_internal(self) -> bool:
        return self.name.startswith("__")

    @property
    def sql_name(self) -> str:
        """The public SQL name users call (upper case, as Redshift docs write it)."""
        return self.name.upper()

    @property
    def needs_wrapper(self) -> bool:
        """True when a SQL wrapper must convert GEOMETRY/SUPER around the external function."""
        return needs_wrapper([a.type for a in self.arguments] + [self.output.type])

    @property
    def external_sql_name(self) -> str:
        """Name of the EXTERNAL FUNCTION itself: `__NAME` behind a wrapper, else NAME."""
        if self.needs_wrapper and not self.is_internal:
            return "__" + self.sql_name
        return self.sql_name

    @property
    def public_signature(self) -> str:
        types = ", ".join(a.sql.public_sql for a in self.arguments)
        return f"{self.sql_name}({types}) RETURNS {self.output.sql.public_sql}"

    @property
    def external_signature(self) -> str:
        types = ", ".join(a.sql.external_sql for a in self.arguments)
        return f"{self.external_sql_name}({types}) RETURNS {self.output.sql.external_sql}"

    @property
    def handler_dir(self) -> Path:
        """The handler tree that ships at the root of the artifact (a SQL-only function's
        folder, which holds no handler)."""
        return self.code_file.parent if self.code_file is not None else self.directory

    @property
    def handler_module(self) -> str:
        return self.code_file.stem if self.code_file is not None else ""

    @property
    def cases_file(self) -> Path:
        return self.directory / "tests" / "unit" / "cases.yaml"

    @property
    def id(self) -> str:
        return f"{self.module}/{self.name}"
