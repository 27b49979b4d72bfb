"""column-added: the new application reads and writes a column the old schema lacks (new app before the migration).

Additive and harmless to the old application when nullable or defaulted: migrate first, then deploy.
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
            "column-added",
            Severity.ERROR,
            "The new application uses a column that only the migrated schema has.",
            "Migrate first, then deploy the application; to deploy in any order, make the new code tolerate the column's "
            "absence (feature toggle) until the migration has run everywhere.",
        )
    ],
)
def column_added(change: SqlChange) -> Iterator[Hit]:
    for _ot, nt, c in change.added_columns():
        stmt = c.changed_by.get("added") or nt.created_by  # a column of a rebuilt table: its CREATE TABLE
        yield Hit(
            change.where(stmt, f"{nt.name}.{c.name}"),
            f"column {nt.name}.{c.name} is new; the new application fails on a database that has not run the migration",
            witness(stmt, table=nt.name, column=c.name),
            rule_id="column-added",
            direction=app_direction("new"),
        )
