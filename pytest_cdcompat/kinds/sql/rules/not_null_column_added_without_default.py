"""not-null-column-added-without-default: old inserts omit the new column and are rejected (old app, new schema).

Example: ``ALTER TABLE users ADD COLUMN country text NOT NULL``. On a table with rows the migration itself fails too.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.sql.change import SqlChange, app_direction, witness
from pytest_cdcompat.kinds.sql.rules.table_dropped import SQL


@rule(
    scope="sql",
    category="requiredness",
    kinds=SQL,
    ids=[
        (
            "not-null-column-added-without-default",
            Severity.ERROR,
            "A NOT NULL column without a default was added: the old application's inserts do not supply it.",
            "Add the column nullable (or with a constant DEFAULT), deploy writers that fill it, backfill in batches, then "
            "add NOT NULL (PostgreSQL: CHECK (col IS NOT NULL) NOT VALID, VALIDATE, SET NOT NULL) in a later migration.",
        )
    ],
)
def not_null_column_added_without_default(change: SqlChange) -> Iterator[Hit]:
    for _ot, nt, c in change.added_columns():
        if c.spec.not_null and c.spec.default is None and not c.spec.auto:
            stmt = c.changed_by.get("added")
            yield Hit(
                change.where(stmt, f"{nt.name}.{c.name}"),
                f"column {nt.name}.{c.name} is NOT NULL without a "
                "default; every insert of the old application omits it and is rejected",
                witness(stmt),
                rule_id="not-null-column-added-without-default",
                direction=app_direction("old"),
            )
