"""The SQL kind's own settings, given as ``name = value`` lines (``--cd-compat-sql-settings`` / ``--sql-settings`` /
ini ``cd_compat_sql_settings`` / ``Settings.sql_settings``):

- ``statement_timeout = SECONDS``: every statement sent to a database is cancelled after this long (default 30; a
  migration with ``pg_sleep(1000)`` or a runaway recursive CTE is then one clear error, not a hung CI job);
- ``script_timeout = SECONDS``: each Alembic script's ``upgrade()`` runs in a child process killed after this long
  (default 60);
- ``sql_mode = MODES``: the MariaDB/MySQL session ``sql_mode`` the migrations run under (e.g. ``''`` or
  ``NO_ENGINE_SUBSTITUTION`` for migrations written for a non-strict server);
- ``search_path = SCHEMAS``: the PostgreSQL ``search_path`` after the throwaway schema (e.g. ``app, public``);
- ``dialect = sqlite|postgres|mysql``: which per-dialect migration file to pick (``x.postgres.up.sql``), when it
  should differ from the database's own dialect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pytest_cdcompat.core.errors import UsageError

DEFAULT_STATEMENT_TIMEOUT = 30.0
DEFAULT_SCRIPT_TIMEOUT = 60.0
_LINE = re.compile(r"^\s*([a-z_]+)\s*=\s*(.*?)\s*$", re.I)
_DIALECTS = {"sqlite": "sqlite", "postgres": "postgres", "postgresql": "postgres", "mysql": "mysql", "mariadb": "mysql"}


@dataclass(frozen=True)
class SqlSettings:
    statement_timeout: float = DEFAULT_STATEMENT_TIMEOUT
    script_timeout: float = DEFAULT_SCRIPT_TIMEOUT
    sql_mode: str | None = None
    search_path: str | None = None
    dialect: str | None = None


def _seconds(name: str, value: str) -> float:
    try:
        n = float(value)
    except ValueError:
        raise UsageError(f"sql-settings: {name} = {value!r} is not a number of seconds") from None
    if not n > 0 or n != n or n == float("inf"):
        raise UsageError(f"sql-settings: {name} = {value!r} must be a positive number of seconds")
    return n


def parse_sql_settings(lines: tuple[str, ...]) -> SqlSettings:
    values: dict[str, object] = {}
    for raw in lines:
        line = str(raw)
        if not line.strip():
            continue
        m = _LINE.match(line)
        if m is None:
            raise UsageError(f"sql-settings: {line!r} is not 'name = value'")
        name, value = m.group(1).lower(), m.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        if name in ("statement_timeout", "script_timeout"):
            values[name] = _seconds(name, value)
        elif name == "sql_mode":
            if not re.fullmatch(r"[A-Za-z_, ]*", value):
                raise UsageError(f"sql-settings: sql_mode = {value!r}: mode names are letters and _, comma-separated")
            values[name] = ",".join(v.strip().upper() for v in value.split(",") if v.strip())
        elif name == "search_path":
            if not re.fullmatch(r'[\w$", ]+', value):
                raise UsageError(f"sql-settings: search_path = {value!r}: schema names separated by commas")
            values[name] = value
        elif name == "dialect":
            if value.lower() not in _DIALECTS:
                raise UsageError(f"sql-settings: dialect = {value!r}: use sqlite, postgres or mysql")
            values[name] = _DIALECTS[value.lower()]
        else:
            raise UsageError(
                f"sql-settings: unknown setting {name!r} (known: statement_timeout, script_timeout, sql_mode, "
                "search_path, dialect)"
            )
    return SqlSettings(**values)  # type: ignore[arg-type]
