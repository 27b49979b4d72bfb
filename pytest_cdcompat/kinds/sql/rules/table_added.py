"""table-added: the new application needs a table the old schema lacks (new app before the migration).

Additive and safe for the old application: migrate first, then deploy the application.
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
            "table-added",
            Severity.ERROR,
            "The new application uses a table that only the migrated schema has.",
            "Migrate first, then deploy the application (and do not roll the migration back while the new version runs).",
        )
    ],
)
def table_added(change: SqlChange) -> Iterator[Hit]:
    for t in change.added_tables():
        stmt = t.created_by if t.origin is None else None
        yield Hit(
            change.where(stmt, t.name),
            f"table {t.name} is new; the new application fails on a database that has not run the migration",
            witness(stmt, table=t.name),
            rule_id="table-added",
            direction=app_direction("new"),
        )
