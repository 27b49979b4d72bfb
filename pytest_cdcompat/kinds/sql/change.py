"""What a branch changed: the old and new migration sets paired, replayed, and their tables matched by origin.

``SqlChange`` is the one value every SQL rule receives (the pairing adapter, as buf's rules receive previous and
current). The old version's migrations are what deployed databases already ran, so the base schema is replayed from
the OLD text; the branch's new migrations are replayed on top. Snapshots (one ``.sql`` per version) pair by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pytest_cdcompat.core.model import Contract
from pytest_cdcompat.kinds.sql.migration_files import Migration
from pytest_cdcompat.kinds.sql.migrations import SNAPSHOT
from pytest_cdcompat.kinds.sql.ops import Op, parse_statement
from pytest_cdcompat.kinds.sql.split import Statement
from pytest_cdcompat.kinds.sql.tables import Column, Schema, Table, replay


@dataclass
class SqlChange:
    dialect: str
    old: Schema  # origins = names
    new: Schema  # origins trace back to ``old`` names, None for objects the branch created
    branch_ops: list[Op]
    base_migrations: list[Migration]  # the old version's migrations (as deployed)
    branch_migrations: list[Migration]
    edited: list[tuple[Migration, Migration]] = field(default_factory=list)  # (old copy, new copy)
    removed: list[Migration] = field(default_factory=list)
    snapshot: bool = False

    # --- tables --------------------------------------------------------------------------------------------------
    def table_pairs(self) -> Iterator[tuple[Table, Table]]:
        for t in self.new.tables.values():
            if t.origin is not None and t.origin in self.old.tables:
                yield self.old.tables[t.origin], t

    def dropped_tables(self) -> list[Table]:
        kept = {t.origin for t in self.new.tables.values()}
        return [t for t in self.old.tables.values() if t.name not in kept]

    def added_tables(self) -> list[Table]:
        return [t for t in self.new.tables.values() if t.origin is None or t.origin not in self.old.tables]

    # --- columns -------------------------------------------------------------------------------------------------
    def column_pairs(self) -> Iterator[tuple[Table, Table, Column, Column]]:
        for ot, nt in self.table_pairs():
            for c in nt.columns.values():
                if c.origin is not None and c.origin in ot.columns:
                    yield ot, nt, ot.columns[c.origin], c

    def dropped_columns(self) -> Iterator[tuple[Table, Table, Column]]:
        for ot, nt in self.table_pairs():
            kept = {c.origin for c in nt.columns.values()}
            for c in ot.columns.values():
                if c.name not in kept:
                    yield ot, nt, c

    def added_columns(self) -> Iterator[tuple[Table, Table, Column]]:
        for ot, nt in self.table_pairs():
            for c in nt.columns.values():
                if c.origin is None or c.origin not in ot.columns:
                    yield ot, nt, c

    def old_name(self, nt: Table, column: str) -> str | None:
        c = nt.columns.get(column)
        return c.origin if c is not None else None

    # --- where ---------------------------------------------------------------------------------------------------
    def find_op(
        self, kinds: tuple[str, ...], table: str | tuple[str, ...] | None = None, column: str | None = None
    ) -> Op | None:
        """The first branch op of one of ``kinds`` on ``table`` (one name, or any of its names) and ``column``."""
        tables = (table,) if isinstance(table, str) else table
        for op in self.branch_ops:
            if op.kind in kinds and (tables is None or op.table in tables) and (column is None or op.column == column):
                return op
        return None

    def names_of(self, ot: Table, nt: Table) -> tuple[str, ...]:
        """Every name a table had during the branch: old, new, and the ones it was renamed through."""
        names = {ot.name, nt.name}
        for op in self.branch_ops:
            if op.kind == "rename_table" and (op.table in names or op.data.get("to") in names):
                names |= {op.table, str(op.data.get("to"))}
        return tuple(sorted(names))

    def where(self, stmt: Statement | None, fallback: str) -> str:
        if self.snapshot or stmt is None:
            return fallback
        return stmt.location


def witness(stmt: Statement | None, **extra: Any) -> dict[str, Any] | None:
    if stmt is None:
        return extra or None
    return {"migration": stmt.location, "statement": stmt.text, **extra}


def build(old: Contract, new: Contract) -> SqlChange:
    dialect = new.extras["dialect"]
    old_migs: list[Migration] = list(old.extras["migrations"])
    new_migs: list[Migration] = list(new.extras["migrations"])
    if old.extras["scheme"] == SNAPSHOT or new.extras["scheme"] == SNAPSHOT:
        old_schema = replay(list(old.extras["ops"]), base=True)
        new_schema = replay(list(new.extras["ops"]), base=True)
        # a snapshot has no history: objects pair by name; tables only the new one has are new
        for t in new_schema.tables.values():
            if t.name not in old_schema.tables:
                t.origin = None
        return SqlChange(dialect, old_schema, new_schema, list(new.extras["ops"]), old_migs, new_migs, snapshot=True)
    new_by_name = {m.name: m for m in new_migs}
    old_names = {m.name for m in old_migs}
    edited = [
        (m, new_by_name[m.name])
        for m in old_migs
        if m.name in new_by_name and _normal(new_by_name[m.name].text) != _normal(m.text)
    ]
    removed = [m for m in old_migs if m.name not in new_by_name]
    branch = [m for m in new_migs if m.name not in old_names]
    base_ops = list(old.extras["ops"])
    old_schema = replay(base_ops, base=True)
    new_schema = old_schema.copy_as_base()
    old_schema = old_schema.copy_as_base()
    branch_ops = [op for m in branch for s in m.statements for op in parse_statement(s, dialect)]
    replay(branch_ops, schema=new_schema)
    pair_recreated(old_schema, new_schema, branch_ops)
    return SqlChange(dialect, old_schema, new_schema, branch_ops, old_migs, branch, edited, removed)


def pair_recreated(old: Schema, new: Schema, ops: list[Op]) -> None:
    """Same-name re-creations read as what they mean: a table or column the branch created under the name of one it
    removed (rename away, create again, copy, drop the old one; or add ``x_new``, copy, drop ``x``, rename ``x_new``
    to ``x``) is that table or column, changed, not a drop plus an add."""
    kept_tables = {t.origin for t in new.tables.values() if t.origin is not None}
    for t in new.tables.values():
        if (t.origin is None or t.origin not in old.tables) and t.name in old.tables and t.name not in kept_tables:
            t.origin = t.name
            kept_tables.add(t.name)
    for t in new.tables.values():
        ot = old.tables.get(t.origin) if t.origin is not None else None
        if ot is None:
            continue
        kept = {c.origin for c in t.columns.values() if c.origin is not None and c.origin in ot.columns}
        for c in t.columns.values():
            # a column renamed onto the name of one the branch dropped is that column, changed (the contract step of
            # a swap whose ``x_new`` an earlier migration added: drop ``x``, rename ``x_new`` to ``x``); ``x_new``
            # is then gone
            renamed_onto = c.origin is not None and c.origin != c.name and c.origin in ot.columns
            if (
                (c.origin is None or c.origin not in ot.columns or renamed_onto)
                and c.name in ot.columns
                and c.name not in kept
            ):
                if renamed_onto:
                    kept.discard(c.origin)
                c.origin = c.name
                kept.add(c.name)
                # the change is located at the statement that gave the new column its name (the rename, or the add)
                names = {t.name, ot.name}
                for op in ops:  # the names the table had during the branch (a rebuild renames it away and back)
                    if op.kind == "rename_table" and (op.table in names or op.data.get("to") in names):
                        names |= {op.table, str(op.data.get("to"))}
                made = [
                    op.stmt
                    for op in ops
                    if op.table in names
                    and (
                        (op.kind == "rename_column" and op.data.get("to") == c.name)
                        or (op.kind == "add_column" and op.column == c.name)
                    )
                ]
                if not made and t.created_by is not None and any(op.stmt is t.created_by for op in ops):
                    made = [t.created_by]  # a table rebuilt by the branch: its CREATE TABLE made the column again
                if made:
                    c.changed_by.setdefault("type", made[-1])
                    if not any(op.kind == "add_column" and op.column == c.name for op in ops):
                        for fact in ("not_null", "default"):
                            c.changed_by.setdefault(fact, made[-1])


def _normal(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().replace("\r\n", "\n").split("\n"))


def app_direction(version: str) -> Any:
    """The scenario in which the ``version`` application (the consumer, which writes rows) runs against the other
    schema: "old" -> old_consumer_new_producer, "new" -> new_consumer_old_producer (see directions.py)."""
    from pytest_cdcompat.core.directions import direction_for
    from pytest_cdcompat.core.model import Party

    return direction_for("old" if version == "old" else "new", Party.CONSUMER)
