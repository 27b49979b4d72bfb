"""table-dropped: a table the old application reads and writes is gone (old app against the new schema).

Example: ``DROP TABLE orders``. Every old SELECT/INSERT on it fails until the old version is gone.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.sql.change import SqlChange, app_direction, witness

SQL = frozenset({"sql"})


@rule(
    scope="sql",
    category="existence",
    kinds=SQL,
    ids=[
        (
            "table-dropped",
            Severity.ERROR,
            "A table was dropped while the old application still uses it.",
            "Deploy the application first, then migrate: stop reading and writing the table, release that version, and drop "
            "the table in a later migration (keep a backup or rename it aside first).",
        )
    ],
)
def table_dropped(change: SqlChange) -> Iterator[Hit]:
    for t in change.dropped_tables():
        op = change.find_op(("drop_table",), t.name)
        yield Hit(
            change.where(op.stmt if op else None, t.name),
            f"table {t.name} was dropped; the old application still reads and writes it",
            witness(op.stmt if op else None, table=t.name),
            rule_id="table-dropped",
            direction=app_direction("old"),
        )
