"""The database is the truth: read the tables and columns a real database holds, and correct the schema model.

The schema model is a replay of the statements the parser understands (``ops.py``). A statement it cannot read (a
PL/pgSQL ``DO`` block that builds its SQL at run time, an ``ALTER TABLE`` action sqlglot does not model, a
statement sqlglot cannot parse) is run by the database all the same, so after such a statement the model and the
database may disagree: a column renamed by ``EXECUTE format(...)`` is still under its old name in the model, and
every later step would report the application's ``SELECT`` of it as failing. When a version's migrations hold
such a statement, the dynamic check reads the tables and columns back from the database it migrated and corrects
that version's model (``reconcile``): columns the database does not have are dropped from the model, columns and
tables it has that the model lacks are added with the type, nullability and default the database reports. What
the model knows beyond columns (keys, checks, indexes) is kept where its columns still exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import Any

from pytest_cdcompat.kinds.sql.ops import ColumnSpec, Op
from pytest_cdcompat.kinds.sql.tables import Column, Schema, Table


@dataclass(frozen=True)
class DbColumn:
    name: str
    type: str
    not_null: bool
    default: str | None
    primary_key: bool


def unmodelled(op: Op) -> str | None:
    """Why the schema model could not read ``op``'s statement, or ``None`` when it did (or it changes no schema)."""
    if op.kind != "other":
        return None
    if reason := op.data.get("unmodelled"):
        return str(reason)
    if error := op.data.get("parse_error"):
        return f"sqlglot cannot parse it ({error})"
    if op.table:
        return f"an ALTER TABLE action on {op.table} the schema model does not read"
    return None


def unmodelled_notes(ops: list[Op] | tuple[Op, ...]) -> list[str]:
    """One note per statement the model could not read: its migration file and line, why, and the start of its
    text. The file is named without the version's folder, so the old and the new version give the same note for a
    migration they share (a report lists it once)."""
    out: list[str] = []
    seen: set[str] = set()
    for op in ops:
        reason = unmodelled(op)
        where = f"{PurePath(op.stmt.file).name}:{op.stmt.line}"
        if reason is None or where in seen:
            continue
        seen.add(where)
        text = " ".join(op.stmt.text.split())
        text = text if len(text) <= 80 else text[:77] + "..."
        out.append(
            f"{where}: a statement the schema model does not read ({reason}): {text!r}; the database "
            "runs it, and the check on a real database reads the tables back from the database after the migrations"
        )
    return out


def read_tables(db: Any) -> dict[str, list[DbColumn]]:
    """The tables of ``db`` (the throwaway database's own schema) and their columns, in column order."""
    dialect = db.dialect
    out: dict[str, list[DbColumn]] = {}
    if dialect == "sqlite":
        names = db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        )
        for (name,) in names:
            rows = db.execute(f"PRAGMA table_info({db.quote(name)})")
            out[name] = [DbColumn(r[1], str(r[2] or ""), bool(r[3]), r[4], bool(r[5])) for r in rows]
        return out
    if dialect == "postgres":
        rows = db.execute(
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
            "pg_get_expr(d.adbin, d.adrelid), coalesce(a.attnum = ANY(i.indkey), false), a.attidentity "
            "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() AND a.attnum > 0 "
            "AND NOT a.attisdropped ORDER BY c.relname, a.attnum"
        )
        for table, col, typ, not_null, default, pk, identity in rows:
            auto_default = default if not identity else "identity"
            out.setdefault(table, []).append(DbColumn(col, str(typ), bool(not_null), auto_default, bool(pk)))
        return out
    rows = db.execute(
        "SELECT table_name, column_name, column_type, is_nullable, column_default, column_key, extra "
        "FROM information_schema.columns WHERE table_schema = DATABASE() ORDER BY table_name, ordinal_position"
    )
    for table, col, typ, nullable, default, key, extra in rows:
        auto = "auto_increment" in str(extra or "").lower()
        out.setdefault(str(table), []).append(
            DbColumn(str(col), str(typ), nullable == "NO", "auto_increment" if auto else default, key == "PRI")
        )
    return out


_AUTO = re.compile(r"nextval\(|^identity$|^auto_increment$", re.I)


def reconcile(model: Schema, found: dict[str, list[DbColumn]]) -> Schema:
    """``model`` corrected to the tables and columns the database holds (``found``); ``model`` is not changed.

    Tables and columns are matched by name, ignoring case (the server folds names its own way); a name only the
    database has keeps the database's spelling."""
    by_lower = {name.lower(): name for name in found}
    out = replace(model, tables={})
    for name, table in model.tables.items():
        real = by_lower.pop(name.lower(), None)
        if real is None:
            continue  # gone from the database (dropped or renamed by a statement the model did not read)
        out.tables[name] = _reconciled(table, found[real])
    for real in by_lower.values():
        table = Table(real, real)
        for col in found[real]:
            table.columns[col.name] = Column(_spec(col), col.name)
        table.primary_key = tuple(c.name for c in found[real] if c.primary_key)
        out.tables[real] = table
    return out


def _spec(col: DbColumn) -> ColumnSpec:
    auto = bool(col.default and _AUTO.search(col.default))
    default = None if auto or col.default is None or str(col.default).upper() == "NULL" else str(col.default)
    return ColumnSpec(col.name, col.type.upper(), not_null=col.not_null, default=default, auto=auto)


def _reconciled(table: Table, cols: list[DbColumn]) -> Table:
    real = {c.name.lower(): c for c in cols}
    kept = {name: c for name, c in table.columns.items() if name.lower() in real}
    if len(kept) == len(table.columns) == len(cols):
        return table  # the model and the database agree
    columns: dict[str, Column] = dict(kept)
    known = {name.lower() for name in kept}
    for c in cols:
        if c.name.lower() not in known:
            columns[c.name] = Column(_spec(c), c.name)
    gone = [name for name in table.columns if name not in kept]

    def alive(names: tuple[str, ...]) -> bool:
        return all(n in columns for n in names)

    def mentions_gone(expr: str) -> bool:
        return any(re.search(rf"\b{re.escape(g)}\b", expr, re.I) for g in gone)

    return replace(
        table,
        columns=columns,
        primary_key=table.primary_key if alive(table.primary_key) else tuple(c.name for c in cols if c.primary_key),
        uniques=[u for u in table.uniques if alive(u[0])],
        checks=[c for c in table.checks if not mentions_gone(c[0])],
        fks=[f for f in table.fks if alive(f[0])],
        indexes={k: v for k, v in table.indexes.items() if alive(v[0])},
    )
