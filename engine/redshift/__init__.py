"""The Redshift phase: SQL for each function, planned as data and applied in transactions.

Public API (what the deploy CLI and the pytest plugin call):

- `missing_settings(settings) -> list[str]`: empty when SQL can run.
- `open_session(settings) -> SqlSession`: one session per deploy (redshift-connector or the
  Data API with RS_DATA_API=1).
- `read_state(session, schema) -> SqlState`: what this tool deployed before (read-only).
- `plan_sql(functions, settings, lambda_arns, previous=...) -> list[Action]`,
  `remove_sql(previous, function_ids)`, `prune_sql(previous, catalog_ids)`.
- `apply_sql(actions, session) -> list[Outcome]`.
- `run_case_sql(session, function, sql_args, schema=...)`, `literal_args`, `literal`.
- `check_template(path)` and `render(path_or_text, variables)`.
"""

from engine.catalog.sqltext.render import TemplateError, check_template, render
from engine.catalog.sqltext.split import split_statements
from engine.catalog.sqltext.validate import SqlValueError
from engine.redshift.cases import case_query, literal_args, run_case_sql
from engine.redshift.connect import SettingsIncomplete, open_session
from engine.redshift.execute import SqlApplyError, apply_sql
from engine.redshift.generate import FunctionSql, SqlContext, function_sql
from engine.redshift.literals import literal, quote_string
from engine.redshift.plan import SqlPlanError, plan_sql, prune_sql, remove_sql
from engine.redshift.session import SqlSession, SqlStatementError
from engine.redshift.settings import RedshiftSettings, missing_settings
from engine.redshift.state import SqlState, read_state

__all__ = [
    "FunctionSql",
    "RedshiftSettings",
    "SettingsIncomplete",
    "SqlApplyError",
    "SqlContext",
    "SqlPlanError",
    "SqlSession",
    "SqlState",
    "SqlStatementError",
    "SqlValueError",
    "TemplateError",
    "apply_sql",
    "case_query",
    "check_template",
    "function_sql",
    "literal",
    "literal_args",
    "missing_settings",
    "open_session",
    "plan_sql",
    "prune_sql",
    "quote_string",
    "read_state",
    "remove_sql",
    "render",
    "run_case_sql",
    "split_statements",
]
