"""A session on the stand-in with the shape of the project's Redshift sessions.

`run_transaction`, `query` (named `:name` parameters), `close` and `description`, as
engine.redshift.session's DbApiSession has them, so the SQL phase and the case runner take
it unchanged; every statement goes through translate.py first. Errors are the engine's
SqlStatementError, with the server's message, detail and hint.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from engine.redshift.session import SqlStatementError
from engine.redshift.standin.translate import split_sql, translate

Params = Mapping[str, str | int]
_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
# plpython3u prefixes the message of an error raised in Python with the exception's type.
_PLPY_PREFIX = re.compile(r"^(?:plpy\.Error|spiexceptions\.\w+): ")


def server_message(exc: BaseException) -> str:
    """The server's message (with detail and hint), without plpython's type prefix."""
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    if not primary:
        return str(exc).strip()
    text = _PLPY_PREFIX.sub("", primary)
    if diag.message_detail:
        text += f" ({diag.message_detail})"
    if diag.message_hint:
        text += f" HINT: {diag.message_hint}"
    return text


def _pyformat(sql: str) -> str:
    """`:name` -> `%(name)s` outside quotes and casts; literal `%` doubled."""
    out = []
    pattern = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"")
    pos = 0
    for m in pattern.finditer(sql):
        out.append(_NAMED.sub(r"%(\1)s", sql[pos : m.start()].replace("%", "%%")))
        out.append(m.group().replace("%", "%%"))
        pos = m.end()
    out.append(_NAMED.sub(r"%(\1)s", sql[pos:].replace("%", "%%")))
    return "".join(out)


class StandinSession:
    """A psycopg 3 connection in autocommit mode; transactions are explicit."""

    def __init__(
        self,
        connection: Any,
        *,
        endpoint_url: str | None = None,
        function_map: Mapping[str, str] | None = None,
        description: str = "redshift-local",
    ) -> None:
        self.connection = connection
        self.connection.autocommit = True
        self.endpoint_url = endpoint_url
        self.function_map = dict(function_map or {})
        self.description = description

    def translate(self, statement: str) -> str:
        return translate(statement, self.endpoint_url, self.function_map)

    def run_transaction(self, statements: Sequence[str]) -> None:
        """All statements in one transaction; on failure roll back, raise SqlStatementError."""
        cursor = self.connection.cursor()
        cursor.execute("BEGIN")
        for index, statement in enumerate(statements):
            try:
                cursor.execute(self.translate(statement))
            except Exception as exc:  # TranslationError or the server's error
                self._rollback(cursor)
                raise SqlStatementError(index, statement, server_message(exc)) from exc
        try:
            cursor.execute("COMMIT")
        except Exception as exc:
            self._rollback(cursor)
            raise SqlStatementError(len(statements), "COMMIT", server_message(exc)) from exc

    def run_script(self, script: str) -> None:
        """A script of `;`-separated statements (e.g. `carto-gateway sql` output), in one
        transaction."""
        self.run_transaction(split_sql(script))

    def _rollback(self, cursor: Any) -> None:
        with contextlib.suppress(Exception):
            cursor.execute("ROLLBACK")

    def query(self, sql: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        cursor = self.connection.cursor()
        try:
            text = self.translate(sql)
            if params:
                cursor.execute(_pyformat(text), dict(params))
            else:
                cursor.execute(text)
            return [tuple(row) for row in cursor.fetchall()] if cursor.description else []
        except Exception as exc:
            raise SqlStatementError(0, sql, server_message(exc)) from exc

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> StandinSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
