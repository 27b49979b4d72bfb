"""table-renamed: a rename breaks both versions (old app after the migration, new app before it).

Example: ``ALTER TABLE users RENAME TO accounts``.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Direction, Severity
from pytest_cdcompat.kinds.sql.change import SqlChange, witness
from pytest_cdcompat.kinds.sql.rules.table_dropped import SQL


@rule(
    scope="sql",
    category="existence",
    kinds=SQL,
    ids=[
        (
            "table-renamed",
            Severity.ERROR,
            "A table was renamed: the old application uses the old name, the new one the new name.",
            "Expand and contract: create the new table (or a view with the new name), keep both in sync with a trigger or a "
            "double write, backfill, switch reads, stop writing the old table, then drop it in a later release.",
        )
    ],
)
def table_renamed(change: SqlChange) -> Iterator[Hit]:
    for ot, nt in change.table_pairs():
        if ot.name != nt.name:
            op = change.find_op(("rename_table",), ot.name)
            stmt = op.stmt if op else None
            for d, who in (
                (Direction.OLD_CONSUMER_NEW_PRODUCER, f"the old application still uses {ot.name}"),
                (Direction.NEW_CONSUMER_OLD_PRODUCER, f"the new application needs {nt.name}"),
            ):
                yield Hit(
                    change.where(stmt, nt.name),
                    f"table {ot.name} was renamed to {nt.name}; {who}",
                    witness(stmt),
                    rule_id="table-renamed",
                    direction=d,
                )
