"""rows-deleted-without-where: a migration deletes every row of an existing table (DELETE without WHERE, TRUNCATE).

The old application, still running after the migration, finds its data gone; a rollback cannot bring it back.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.sql.change import SqlChange, app_direction, witness
from pytest_cdcompat.kinds.sql.rules.table_dropped import SQL


@rule(
    scope="sql",
    category="data",
    kinds=SQL,
    ids=[
        (
            "rows-deleted-without-where",
            Severity.ERROR,
            "A migration deletes every row of a table in use.",
            "Delete with a WHERE clause naming exactly the rows to go, in batches, after a backup; if the table is retired, "
            "stop the application using it first.",
        )
    ],
)
def rows_deleted_without_where(change: SqlChange) -> Iterator[Hit]:
    for op in change.branch_ops:
        if op.kind == "delete" and not op.data["where"] and op.table in change.old.tables:
            verb = "truncates" if op.data.get("truncate") else "deletes every row of"
            yield Hit(
                change.where(op.stmt, op.table),
                f"the migration {verb} {op.table}",
                witness(op.stmt),
                rule_id="rows-deleted-without-where",
                direction=app_direction("old"),
            )
