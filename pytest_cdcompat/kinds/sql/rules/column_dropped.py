"""column-dropped: the old application selects and inserts a column that is gone (old app against the new schema).

Example: ``ALTER TABLE users DROP COLUMN nickname``.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.sql.change import SqlChange, app_direction, witness
from pytest_cdcompat.kinds.sql.rules.table_dropped import SQL


@rule(
    scope="sql",
    category="existence",
    kinds=SQL,
    ids=[
        (
            "column-dropped",
            Severity.ERROR,
            "A column was dropped while the old application still reads or writes it.",
            "Deploy the application first, then migrate: release a version that neither reads nor writes the column "
            "(ignored_columns, explicit column lists), then drop it in a later migration.",
        )
    ],
)
def column_dropped(change: SqlChange) -> Iterator[Hit]:
    for ot, nt, c in change.dropped_columns():
        # the DROP on this table (under any of its names), not the first table's drop of a column of that name
        op = change.find_op(("drop_column",), change.names_of(ot, nt), c.name)
        # or the rename that took the column onto the name of one the branch dropped (a swap's contract step)
        op = op or change.find_op(("rename_column",), change.names_of(ot, nt), c.name)
        stmt = op.stmt if op else None
        yield Hit(
            change.where(stmt, f"{ot.name}.{c.name}"),
            f"column {ot.name}.{c.name} was dropped; the old application still reads and writes it",
            witness(stmt, table=ot.name, column=c.name),
            rule_id="column-dropped",
            direction=app_direction("old"),
        )
