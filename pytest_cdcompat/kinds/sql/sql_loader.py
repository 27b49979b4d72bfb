"""SQL loader: a schema snapshot (one ``.sql`` file) or a folder of ordered migrations -> the shared ``Contract``.

Each table becomes a ``Channel`` keyed ``table:<name>`` with two flows: ``row read`` (written by the database, the
producer) and ``row insert`` (written by the application, the consumer). Column facts (type, NOT NULL, default,
UNIQUE, CHECK, foreign keys) sit in the channel's ``extras``; the migrations themselves, their parsed operations and
the application's declared statements sit in ``Contract.extras`` for the SQL engine, which needs the statements, not
just the end state, to tell a rename from a drop and to replay them on a real database.
"""

from __future__ import annotations

import re
from typing import Any

from pytest_cdcompat.core.errors import ContractLoadError
from pytest_cdcompat.core.model import Channel, Contract, Flow, Party, Slot
from pytest_cdcompat.core.settings import Settings
from pytest_cdcompat.kinds.sql.introspect import unmodelled_notes
from pytest_cdcompat.kinds.sql.migrations import discover
from pytest_cdcompat.kinds.sql.ops import Op, parse_statement
from pytest_cdcompat.kinds.sql.queries import load_queries
from pytest_cdcompat.kinds.sql.split import Statement
from pytest_cdcompat.kinds.sql.sql_settings import parse_sql_settings
from pytest_cdcompat.kinds.sql.tables import Table, replay, type_info
from pytest_cdcompat.kinds.sql.urls import dialect_for

DB_DEPLOY_NOTE = (
    "database deploy order: 'deploy the producer first' means migrate first, then deploy the application; "
    "'deploy consumers first' means deploy the application first, then migrate; "
    "'no safe order' means expand and contract (add, double write or trigger, backfill, switch, remove)"
)

_JSON_TYPES = {"int": ["integer"], "float": ["number"], "decimal": ["number"], "bool": ["boolean"]}


# (dialect, statement text) -> the operations read from it, without their statement: the old and new versions of a
# history share all but their last migrations, and consecutive steps share all of them, so each text is parsed once
_PARSED: dict[tuple[str, str], list[tuple[str, str, str | None, dict[str, Any]]]] = {}
_PARSED_MAX = 50000


def parse_ops(migrations: list[Any], dialect: str) -> list[Op]:
    return [op for m in migrations for s in m.statements for op in _parse_cached(s, dialect)]


def _parse_cached(stmt: Statement, dialect: str) -> list[Op]:
    """``parse_statement``, which reads nothing but the statement's text and the dialect, once per text."""
    key = (dialect, stmt.text)
    parts = _PARSED.get(key)
    if parts is None:
        ops = parse_statement(stmt, dialect)
        if any(op.stmt is not stmt for op in ops) or "Statement(" in repr([op.data for op in ops]):
            return ops  # operations that point elsewhere than their own statement: not shared
        parts = [(op.kind, op.table, op.column, op.data) for op in ops]
        if len(_PARSED) < _PARSED_MAX:
            _PARSED[key] = parts
    # a fresh top-level dict per use; what it holds (specs, column lists) is only read once parsing is done
    return [Op(kind, table, stmt, column, dict(data)) for kind, table, column, data in parts]


_DIALECT_DECL = re.compile(r"--\s*cd-compat:\s*dialect\s+(\w+)", re.I)
_DIALECT_NAMES = {
    "postgres": "postgres",
    "postgresql": "postgres",
    "pg": "postgres",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
}


def declared_dialect(migrations: list[Any], label: str) -> str | None:
    """``-- cd-compat: dialect postgres`` in a migration names the dialect the migrations are written in."""
    for m in migrations:
        if found := _DIALECT_DECL.search(m.text):
            name = found.group(1).lower()
            if name not in _DIALECT_NAMES:
                raise ContractLoadError(f"unknown dialect {name!r} (postgres, mysql, mariadb or sqlite)", path=m.path)
            return _DIALECT_NAMES[name]
    return None


def load(source: Any, settings: Settings) -> Contract:
    database = dialect_for(settings.db_url)
    sql_settings = parse_sql_settings(settings.sql_settings)
    scheme, migrations = discover(source, sql_settings.dialect or database, sql_settings.script_timeout)
    dialect = declared_dialect(migrations, source.label) or database
    notes = [DB_DEPLOY_NOTE]
    if dialect != database:
        notes.append(
            f"the migrations are written for {dialect} (declared in a migration) and the database is "
            f"{database}: only the static rules ran; pass --cd-compat-db with a {dialect} server URL for "
            "the checks on a real database"
        )
    ops = parse_ops(migrations, dialect)
    notes.extend(unmodelled_notes(ops))
    schema = replay(ops)
    channels = {f"table:{t.name}": table_channel(t, dialect) for t in schema.tables.values()}
    return Contract(
        kind="sql",
        source=source.label,
        channels=channels,
        notes=tuple(notes),
        extras={
            "scheme": scheme,
            "dialect": dialect,  # the dialect the migrations are parsed in
            "database": database,  # the engine the dynamic check would run on
            "migrations": tuple(migrations),
            "ops": tuple(ops),
            "schema": schema,
            "queries": tuple(load_queries(source)),
        },
    )


def column_schema(type_sql: str, dialect: str, nullable: bool) -> dict[str, Any]:
    info = type_info(type_sql, dialect)
    types = list(_JSON_TYPES.get(info.family, ["string"]))
    if nullable:
        types.append("null")
    out: dict[str, Any] = {"type": sorted(types)}
    if info.family == "text" and info.size != float("inf"):
        out["maxLength"] = int(info.size)
    return out


def column_facts(t: Table) -> dict[str, Any]:
    cols: dict[str, Any] = {}
    for c in t.columns.values():
        s = c.spec
        cols[c.name] = {
            "type": s.type,
            "not_null": s.not_null,
            "default": s.default,
            "primary_key": c.name in t.primary_key,
            "unique": s.unique,
            "checks": list(s.checks),
            "references": list(s.references) if s.references else None,
            "auto": s.auto,
        }
    return cols


def table_channel(t: Table, dialect: str) -> Channel:
    read_props = {c.name: column_schema(c.spec.type, dialect, not c.spec.not_null) for c in t.columns.values()}
    insert_required = sorted(
        c.name for c in t.columns.values() if c.spec.not_null and c.spec.default is None and not c.spec.auto
    )
    read = Slot("row", True, {"type": "object", "properties": read_props, "required": sorted(read_props)}, f"{t.name}")
    insert = Slot("row", True, {"type": "object", "properties": read_props, "required": insert_required}, t.name)
    extras = {
        "columns": column_facts(t),
        "primary_key": list(t.primary_key),
        "uniques": [list(cols) for cols, _, _ in t.uniques],
        "checks": [expr for expr, _, _ in t.checks],
        "foreign_keys": [{"columns": list(c), "table": rt, "column": rc} for c, rt, rc, _, _ in t.fks],
        "indexes": {name: {"columns": list(cols), "unique": u} for name, (cols, u, _) in t.indexes.items()},
        "triggers": list(t.triggers),
    }
    flows = {
        "row read": Flow("row read", Party.PRODUCER, t.name, bodies={"row": read}),
        "row insert": Flow("row insert", Party.CONSUMER, t.name, bodies={"row": insert}),
    }
    return Channel(key=f"table:{t.name}", title=t.name, location=t.name, flows=flows, extras=extras)
