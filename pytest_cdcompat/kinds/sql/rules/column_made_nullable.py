"""column-made-nullable: a NOT NULL column accepts NULL now; the old application may read a NULL it never expected.

Example: ``ALTER TABLE users ALTER COLUMN email DROP NOT NULL`` (squawk's ban-drop-not-null). A warning: readers that
map the column to a non-optional field break only once the new application writes NULL.
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
            "column-made-nullable",
            Severity.WARNING,
            "A NOT NULL column was made nullable: old readers may get NULL.",
            "Make every reader tolerate NULL first (deploy the application), then drop NOT NULL.",
        )
    ],
)
def column_made_nullable(change: SqlChange) -> Iterator[Hit]:
    for _ot, nt, oc, nc in change.column_pairs():
        if oc.spec.not_null and not nc.spec.not_null and not oc.spec.primary_key:
            stmt = nc.changed_by.get("not_null")
            yield Hit(
                change.where(stmt, f"{nt.name}.{nc.name}"),
                f"column {nt.name}.{nc.name} may now be NULL; the old application reads it as never NULL",
                witness(stmt, row={nc.name: None}),
                rule_id="column-made-nullable",
                direction=app_direction("old"),
            )
