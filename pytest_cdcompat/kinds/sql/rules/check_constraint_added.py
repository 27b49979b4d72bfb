"""check-constraint-added: a CHECK on an existing table rejects rows the old application writes (old app).

Example: ``ALTER TABLE orders ADD CONSTRAINT qty_positive CHECK (quantity > 0)``.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.sql.change import SqlChange, app_direction, witness
from pytest_cdcompat.kinds.sql.rules.table_dropped import SQL


@rule(
    scope="sql",
    category="constraints",
    kinds=SQL,
    ids=[
        (
            "check-constraint-added",
            Severity.ERROR,
            "A CHECK constraint was added to a table with existing rows and writers.",
            "Deploy an application that only writes valid rows, fix existing rows, then add the constraint (PostgreSQL: "
            "NOT VALID first, VALIDATE CONSTRAINT in a later migration).",
        )
    ],
)
def check_constraint_added(change: SqlChange) -> Iterator[Hit]:
    for ot, nt in change.table_pairs():
        old = {expr for expr, _, _ in ot.checks} | {e for c in ot.columns.values() for e in c.spec.checks}
        new = [(expr, stmt) for expr, _, stmt in nt.checks]
        new += [(e, c.changed_by.get("added")) for c in nt.columns.values() for e in c.spec.checks]
        for expr, stmt in new:
            if expr not in old:
                yield Hit(
                    change.where(stmt, nt.name),
                    f"{nt.name} gained CHECK ({expr}); the old application may write rows that violate it",
                    witness(stmt),
                    rule_id="check-constraint-added",
                    direction=app_direction("old"),
                )
