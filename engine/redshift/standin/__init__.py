"""redshift-local: PostgreSQL + PostGIS + plpython3u standing in for Redshift in tests.

Public API (what the CLI and the pytest plugin call):

- `availability() -> str | None`: None when the stand-in can start, else why, with the exact
  apt-get command (use it as the skip reason).
- `RedshiftLocal(root, port=None, log=None, fallback=True, fresh=False)`: `start()` (initdb
  into `<root>/data` when needed, a free loopback port, reclaims what a killed run left;
  `fresh` empties the database), `stop()`, a `with` block;
  `connect(endpoint_url, function_map=None) -> StandinSession`; `conninfo()`; `describe()`.
- `RedshiftLocal.in_free_slot(base, slots=8, **kwargs)`: started in the first
  `<base>/slot-<n>` no live process owns (one per xdist worker; killed runs reclaimed).
- `StandinSession`: `run_transaction(statements)`, `run_script(text)`, `query(sql, params)`,
  `close()`: the shape of engine.redshift.session's sessions; statements are translated.
- `translate(statement, endpoint_url)`, `split_sql(script)`: the SQL rewriting alone.
- `StandinUnavailable` (its subclass `StandinBusy`: the folder is in use), `TranslationError`.
"""

from engine.redshift.standin.binaries import (
    StandinUnavailable,
    availability,
    install_command,
    require_installation,
)
from engine.redshift.standin.server import RedshiftLocal, StandinBusy
from engine.redshift.standin.session import StandinSession
from engine.redshift.standin.translate import TranslationError, split_sql, translate

__all__ = [
    "RedshiftLocal",
    "StandinBusy",
    "StandinSession",
    "StandinUnavailable",
    "TranslationError",
    "availability",
    "install_command",
    "require_installation",
    "split_sql",
    "translate",
]
