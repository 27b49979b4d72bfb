"""check-constraint-added: a CHECK on an existing table rejects rows the old application writes (old app).

Example: ``ALTER TABLE orders ADD CONSTRAINT qty_positive CHECK (quantity > 0)``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import sqlglot
from sqlglot import exp
from sqlglot.optimizer.simplify import simplify

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.sql.change import SqlChange, app_direction, witness
from pytest_cdcompat.kinds.sql.rules.table_dropped import SQL
from pytest_cdcompat.kinds.sql.tables import Table


def on_new_columns_only(expr: str, nt: Table, dialect: str) -> bool:
    """Whether a CHECK that reads columns the branch added holds on every row the old application writes: it never
    sets those columns, so they hold their default (or NULL). The CHECK is judged with those values put in: it must
    simplify to TRUE, or (when it reads no other column) evaluate to TRUE or NULL (a CHECK passes on NULL).
    ``x IS NOT NULL`` is FALSE then: a real constraint on the old application's rows."""
    try:
        tree = sqlglot.parse_one(expr, read=dialect)
    except sqlglot.errors.SqlglotError:
        return False
    by_name = {c.name.lower(): c for c in nt.columns.values()}
    names = {c.name.lower() for c in tree.find_all(exp.Column)}
    if any(n not in by_name for n in names) or not any(by_name[n].origin is None for n in names):
        return False

    def fill(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and by_name[node.name.lower()].origin is None:
            default = by_name[node.name.lower()].spec.default
            try:
                value = sqlglot.parse_one(default, read=dialect) if default is not None else None
                return value if isinstance(value, exp.Expression) else exp.Null()
            except sqlglot.errors.SqlglotError:
                return node
        return node

    filled = tree.transform(fill)
    if any(isinstance(n, exp.Column) and by_name[n.name.lower()].origin is None for n in filled.find_all(exp.Column)):
        return False
    if simplify(filled.copy()) == exp.true():
        return True
    if any(True for _ in filled.find_all(exp.Column)):
        return False  # it reads existing columns too: their values decide it
    try:
        with sqlite3.connect(":memory:") as db:
            got = db.execute(f"SELECT ({filled.sql(dialect='sqlite')})").fetchone()[0]
    except (sqlite3.Error, sqlglot.errors.SqlglotError):
        return False
    return got is None or bool(got) is True


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
            if (
                expr not in old
                and not any(implies(o, expr, change.dialect) for o in old)
                and not on_new_columns_only(expr, nt, change.dialect)
            ):
                yield Hit(
                    change.where(stmt, nt.name),
                    f"{nt.name} gained CHECK ({expr}); the old application may write rows that violate it",
                    witness(stmt),
                    rule_id="check-constraint-added",
                    direction=app_direction("old"),
                )


def _in_list(expr: str, dialect: str) -> tuple[str, frozenset[str]] | None:
    """``(column, values)`` of ``col IN ('a', 'b', ...)`` (or ``col = 'a'``), the usual shape of a status CHECK."""
    try:
        tree = sqlglot.parse_one(expr, read=dialect)
    except sqlglot.errors.SqlglotError:
        return None
    while isinstance(tree, exp.Paren):
        tree = tree.this
    if isinstance(tree, exp.In) and isinstance(tree.this, exp.Column) and not tree.args.get("query"):
        if all(isinstance(e, exp.Literal) for e in tree.expressions):
            return tree.this.name.lower(), frozenset(e.sql(dialect=dialect) for e in tree.expressions)
    if isinstance(tree, exp.EQ) and isinstance(tree.this, exp.Column) and isinstance(tree.expression, exp.Literal):
        return tree.this.name.lower(), frozenset({tree.expression.sql(dialect=dialect)})
    return None


def implies(old: str, new: str, dialect: str) -> bool:
    """Every row the ``old`` CHECK accepts, the ``new`` one accepts: a CHECK dropped and added again with more
    allowed values (``status IN ('a', 'b')`` -> ``status IN ('a', 'b', 'c')``) asks nothing more of old writers."""
    a, b = _in_list(old, dialect), _in_list(new, dialect)
    return a is not None and b is not None and a[0] == b[0] and a[1] <= b[1]
