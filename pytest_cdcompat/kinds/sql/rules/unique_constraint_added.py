"""unique-constraint-added: a UNIQUE constraint or index on an existing table rejects the old application's duplicates.

Example: ``CREATE UNIQUE INDEX users_email ON users (email)``: existing duplicates fail the migration, and the old
application, which never checked, inserts duplicates afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.sql.change import SqlChange, app_direction, witness
from pytest_cdcompat.kinds.sql.rules.table_dropped import SQL
from pytest_cdcompat.kinds.sql.split import Statement
from pytest_cdcompat.kinds.sql.tables import Table, unique_sets


@rule(
    scope="sql",
    category="constraints",
    kinds=SQL,
    ids=[
        (
            "unique-constraint-added",
            Severity.ERROR,
            "A UNIQUE constraint was added to a table that already has rows and writers.",
            "Deduplicate existing rows, deploy an application that never writes duplicates, then build the index without "
            "blocking (PostgreSQL: CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... USING INDEX).",
        )
    ],
)
def unique_constraint_added(change: SqlChange) -> Iterator[Hit]:
    for ot, nt in change.table_pairs():
        old_sets = unique_sets(ot)
        for cols in sorted(unique_sets(nt)):
            origins = tuple(change.old_name(nt, c) or "" for c in cols)
            if "" in origins or any(set(old) <= set(origins) for old in old_sets):
                continue  # unchanged, or widened to more columns: it rejects only rows the old key rejected already
            stmt = _stmt_for(nt, cols)
            yield Hit(
                change.where(stmt, f"{nt.name}.{','.join(cols)}"),
                f"({', '.join(cols)}) of {nt.name} must now "
                "be unique; existing rows and the old application may hold duplicates",
                witness(stmt),
                rule_id="unique-constraint-added",
                direction=app_direction("old"),
            )


def _stmt_for(t: Table, cols: tuple[str, ...]) -> Statement | None:
    for ucols, _, stmt in t.uniques:
        if tuple(ucols) == cols:
            return stmt
    for icols, unique, stmt in t.indexes.values():
        if unique and tuple(icols) == cols:
            return stmt
    if len(cols) == 1 and cols[0] in t.columns:
        return t.columns[cols[0]].changed_by.get("type") or t.columns[cols[0]].changed_by.get("added")
    return None
