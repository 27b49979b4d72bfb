"""column-renamed: the old app uses the old name after the migration, the new app the new name before it.

Example: ``ALTER TABLE users RENAME COLUMN email TO email_address``.
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
            "column-renamed",
            Severity.ERROR,
            "A column was renamed: each application version knows only one name.",
            "Expand and contract: add the new column, keep both in sync (a trigger, or a double write in the application), "
            "backfill, switch reads to the new column, stop writing the old one, then drop it in a later release.",
        )
    ],
)
def column_renamed(change: SqlChange) -> Iterator[Hit]:
    for ot, nt, oc, nc in change.column_pairs():
        if oc.name != nc.name:
            stmt = nc.changed_by.get("renamed")
            old, new = f"{ot.name}.{oc.name}", f"{nt.name}.{nc.name}"
            for d, who in (
                (Direction.OLD_CONSUMER_NEW_PRODUCER, f"the old application still uses {oc.name}"),
                (Direction.NEW_CONSUMER_OLD_PRODUCER, f"the new application needs {nc.name}"),
            ):
                yield Hit(
                    change.where(stmt, new),
                    f"column {old} was renamed to {nc.name}; {who}",
                    witness(stmt),
                    rule_id="column-renamed",
                    direction=d,
                )
