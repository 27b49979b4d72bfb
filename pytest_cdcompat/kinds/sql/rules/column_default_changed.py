"""column-default-dropped / column-default-changed: inserts that omit the column get another value, or none.

Example: ``ALTER TABLE users ALTER COLUMN status DROP DEFAULT``: an old application that omits ``status`` now stores
NULL (or is rejected when the column is NOT NULL).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.sql.change import SqlChange, app_direction, witness
from pytest_cdcompat.kinds.sql.rules.table_dropped import SQL


@rule(
    scope="sql",
    category="values",
    kinds=SQL,
    ids=[
        (
            "column-default-dropped",
            Severity.WARNING,
            "A column lost its default: old inserts that omit it change meaning or fail.",
            "Deploy the application first so that it always supplies the column, then drop the default.",
        ),
        (
            "column-default-changed",
            Severity.WARNING,
            "A column's default changed: old inserts that omit it store another value.",
            "Make the application supply the value explicitly, then change the default.",
        ),
    ],
)
def column_default_changed(change: SqlChange) -> Iterator[Hit]:
    for _ot, nt, oc, nc in change.column_pairs():
        if same_default(oc.spec.default, nc.spec.default) or oc.spec.default is None:
            continue
        stmt = nc.changed_by.get("default")
        where = change.where(stmt, f"{nt.name}.{nc.name}")
        if nc.spec.default is None:
            sev = Severity.ERROR if nc.spec.not_null else None
            yield Hit(
                where,
                f"column {nt.name}.{nc.name} lost its default {oc.spec.default}",
                witness(stmt),
                rule_id="column-default-dropped",
                direction=app_direction("old"),
                severity=sev,
            )
        else:
            yield Hit(
                where,
                f"column {nt.name}.{nc.name} default changed from {oc.spec.default} to {nc.spec.default}",
                witness(stmt),
                rule_id="column-default-changed",
                direction=app_direction("old"),
            )


def same_default(a: str | None, b: str | None) -> bool:
    """The same default, written alike or as the same number (``0`` and ``0.000`` after a type swap to DECIMAL,
    ``'5'`` and ``5``)."""
    if a == b:
        return True
    if a is None or b is None:
        return False
    try:
        return Decimal(a.strip("'")) == Decimal(b.strip("'"))
    except ArithmeticError:
        return False
