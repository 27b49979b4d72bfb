"""check-constraint-added: a CHECK on an existing table rejects rows the old application writes (old app).

Example: ``ALTER TABLE orders ADD CONSTRAINT qty_positive CHECK (quantity > 0)``.
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlglot
from sqlglot import exp

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.sql.change import SqlChange, app_direction, witness
from pytest_cdcompat.kinds.sql.rules.table_dropped import SQL
from pytest_cdcompat.kinds.sql.tables import Table


def on_new_columns_only(expr: str, nt: Table, dialect: str) -> bool:
    """A CHECK that reads only columns the branch added and holds while they are NULL constrains no existing row and
    nothing the old application writes (it never sets those columns). ``x IS NOT NULL`` or ``COALESCE(x, 0) > 0``
    rejects NULL, so it is a real constraint on the old application's rows."""
    try:
        tree = sqlglot.parse_one(expr, read=dialect)
    except sqlglot.errors.SqlglotError:
        return False
    names = {c.name.lower() for c in tree.find_all(exp.Column)}
    by_name = {c.name.lower(): c for c in nt.columns.values()}
    if not names or any(n not in by_name or by_name[n].origin is not None for n in names):
        return False
    if any(by_name[n].spec.default is not None for n in names):
        return False  # the old application's rows get the default, which the CHECK judges
    null_aware = (exp.Is, exp.Coalesce, exp.Case, exp.If)
    return not any(isinstance(node, null_aware) or node.key in ("ifnull", "nvl") for node in tree.walk())


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
            if expr not in old and not on_new_columns_only(expr, nt, change.dialect):
                yield Hit(
                    change.where(stmt, nt.name),
                    f"{nt.name} gained CHECK ({expr}); the old application may write rows that violate it",
                    witness(stmt),
                    rule_id="check-constraint-added",
                    direction=app_direction("old"),
                )
