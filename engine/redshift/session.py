"""One small interface over the two ways SQL reaches Redshift.

- `DbApiSession`: a DB-API connection (redshift-connector). The connection runs in
  autocommit mode and transactions are explicit `BEGIN` ... `COMMIT` (`ROLLBACK` on failure),
  so catalog queries never leave a transaction open and the statement log shows exactly what
  ran.
- `DataApiSession`: the Redshift Data API through boto3, for hosts without a network path to
  the cluster. A transaction is one `BatchExecuteStatement` call, which the Data API runs as a
  single transaction; `DescribeStatement` is polled until it finishes.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, Protocol

Params = Mapping[str, str | int]


class SqlStatementError(RuntimeError):
    """A statement failed; `index` is its position in the transaction (0-based)."""

    def __init__(self, index: int, statement: str, message: str) -> None:
        self.index, self.statement, self.message = index, statement, message
        super().__init__(f"statement {index + 1} failed: {message}\n{_excerpt(statement)}")


def _excerpt(statement: str, lines: int = 3) -> str:
    head = statement.strip().splitlines()
    text = "\n".join("    " + line for line in head[:lines])
    return text + ("\n    ..." if len(head) > lines else "")


class SqlSession(Protocol):
    description: str

    def run_transaction(self, statements: Sequence[str]) -> None:
        """Run all statements in one transaction; on failure roll back, raise SqlStatementError."""
        ...

    def query(self, sql: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        """Rows of one query; parameters are named (`:name`) in both implementations."""
        ...

    def close(self) -> None: ...


class DbApiSession:
    """A DB-API 2.0 connection (redshift-connector, or a fake in tests)."""

    def __init__(self, connection: Any, description: str = "DB-API connection") -> None:
        self.connection = connection
        self.description = description
        connection.autocommit = True

    def run_transaction(self, statements: Sequence[str]) -> None:
        cursor = self.connection.cursor()
        cursor.execute("BEGIN")
        for index, statement in enumerate(statements):
            try:
                cursor.execute(statement)
            except Exception as exc:
                self._rollback(cursor)
                raise SqlStatementError(index, statement, _db_message(exc)) from exc
        try:
            cursor.execute("COMMIT")
        except Exception as exc:
            self._rollback(cursor)
            raise SqlStatementError(len(statements), "COMMIT", _db_message(exc)) from exc

    def _rollback(self, cursor: Any) -> None:
        try:
            cursor.execute("ROLLBACK")
        except Exception:
            # The server may have closed the transaction already; the DB-API call is the
            # last resort so the connection is usable for the next function.
            with contextlib.suppress(Exception):
                self.connection.rollback()

    def query(self, sql: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        cursor = self.connection.cursor()
        try:
            if params:
                cursor.paramstyle = "named"
                cursor.execute(sql, dict(params))
            else:
                cursor.execute(sql)
            return [tuple(row) for row in cursor.fetchall() or ()]
        except Exception as exc:
            raise SqlStatementError(0, sql, _db_message(exc)) from exc

    def close(self) -> None:
        self.connection.close()


def _db_message(exc: Exception) -> str:
    # redshift-connector raises with a dict of server fields ({'S': 'ERROR', 'M': ...}).
    arg = exc.args[0] if exc.args else exc
    if isinstance(arg, dict) and "M" in arg:
        detail = f" ({arg['D']})" if arg.get("D") else ""
        return f"{arg['M']}{detail}"
    return str(arg)


class DataApiError(RuntimeError):
    pass


class DataApiSession:
    """Redshift Data API: `target` holds ClusterIdentifier|WorkgroupName, Database, and
    SecretArn or DbUser, passed to every call."""

    TERMINAL: ClassVar[frozenset[str]] = frozenset({"FINISHED", "FAILED", "ABORTED"})

    def __init__(
        self,
        client: Any,
        target: Mapping[str, str],
        *,
        timeout: float = 300.0,
        poll_interval: float = 0.25,
        sleep: Callable[[float], None] = time.sleep,
        description: str = "Redshift Data API",
    ) -> None:
        self.client = client
        self.target = dict(target)
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.sleep = sleep
        self.description = description

    def _wait(self, statement_id: str) -> dict[str, Any]:
        waited, interval = 0.0, self.poll_interval
        while True:
            desc = self.client.describe_statement(Id=statement_id)
            if desc.get("Status") in self.TERMINAL:
                return desc
            if waited >= self.timeout:
                self.client.cancel_statement(Id=statement_id)
                raise DataApiError(
                    f"statement {statement_id} still {desc.get('Status')} after"
                    f" {self.timeout:.0f}s; it was cancelled"
                )
            self.sleep(interval)
            waited += interval
            interval = min(interval * 2, 5.0)

    def run_transaction(self, statements: Sequence[str]) -> None:
        if not statements:
            return
        response = self.client.batch_execute_statement(Sqls=list(statements), **self.target)
        desc = self._wait(response["Id"])
        if desc["Status"] == "FINISHED":
            return
        index = 0
        for i, sub in enumerate(desc.get("SubStatements") or ()):
            if sub.get("Status") in ("FAILED", "ABORTED"):
                index = i
                break
        message = desc.get("Error") or f"the batch ended {desc['Status']}"
        raise SqlStatementError(index, statements[index], message)

    def query(self, sql: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        kwargs: dict[str, Any] = {"Sql": sql, **self.target}
        if params:
            kwargs["Parameters"] = [{"name": k, "value": str(v)} for k, v in params.items()]
        response = self.client.execute_statement(**kwargs)
        desc = self._wait(response["Id"])
        if desc["Status"] != "FINISHED":
            raise SqlStatementError(0, sql, desc.get("Error") or desc["Status"])
        rows: list[tuple[Any, ...]] = []
        token = None
        while True:
            page = self.client.get_statement_result(
                Id=response["Id"], **({"NextToken": token} if token else {})
            )
            rows.extend(tuple(_field(f) for f in record) for record in page.get("Records", []))
            token = page.get("NextToken")
            if not token:
                return rows

    def close(self) -> None:
        pass


def _field(value: Mapping[str, Any]) -> Any:
    """A Data API field ({'longValue': 1}, {'isNull': True}, ...) as a Python value."""
    if value.get("isNull"):
        return None
    for key in ("stringValue", "longValue", "doubleValue", "booleanValue", "blobValue"):
        if key in value:
            return value[key]
    return None
