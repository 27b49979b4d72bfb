"""column-set-not-null: an existing nullable column became NOT NULL; old writes of NULL are rejected (old app).

Example: ``ALTER TABLE users ALTER COLUMN phone SET NOT NULL``; existing NULL rows also make the migration fail.
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
            "column-set-not-null",
            Severity.ERROR,
            "A nullable column was made NOT NULL while the old application may write NULL into it.",
            "Deploy the application first (it must always write a value), backfill the NULLs, then set NOT NULL "
            "(PostgreSQL: add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL).",
        )
    ],
)
def column_set_not_null(change: SqlChange) -> Iterator[Hit]:
    for _ot, nt, oc, nc in change.column_pairs():
        if nc.spec.not_null and not oc.spec.not_null and not nc.spec.primary_key:
            stmt = nc.changed_by.get("not_null")
            yield Hit(
                change.where(stmt, f"{nt.name}.{nc.name}"),
                f"column {nt.name}.{nc.name} became NOT NULL; the old application may write NULL",
                witness(stmt, row={nc.name: None}),
                rule_id="column-set-not-null",
                direction=app_direction("old"),
            )
