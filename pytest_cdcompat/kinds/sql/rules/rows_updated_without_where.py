"""rows-updated-without-where: a migration overwrites an existing column in every row (UPDATE without WHERE).

A backfill of a column the branch itself added (``UPDATE users SET email_address = email``) is not destructive and is
not reported; overwriting a column the old application owns is.
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
            "rows-updated-without-where",
            Severity.ERROR,
            "A migration overwrites an existing column in every row.",
            "Restrict the UPDATE with a WHERE clause to the rows that need it (e.g. WHERE col IS NULL), in batches, after a "
            "backup.",
        )
    ],
)
def rows_updated_without_where(change: SqlChange) -> Iterator[Hit]:
    for op in change.branch_ops:
        if op.kind != "update" or op.data["where"] or op.table not in change.old.tables:
            continue
        old_cols = change.old.tables[op.table].columns
        hit = sorted(c for c in op.data["sets"] if c in old_cols)
        if hit:
            yield Hit(
                change.where(op.stmt, f"{op.table}.{hit[0]}"),
                f"the migration overwrites {', '.join(hit)} in every row of {op.table}",
                witness(op.stmt),
                rule_id="rows-updated-without-where",
                direction=app_direction("old"),
            )
