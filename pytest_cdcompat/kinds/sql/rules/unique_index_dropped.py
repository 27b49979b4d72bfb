"""unique-index-dropped: a UNIQUE index or constraint the old application relies on is gone (old app).

Upserts (``ON CONFLICT (email)``, ``ON DUPLICATE KEY``) need it, and a foreign key referencing the column relies on
it (PostgreSQL and MySQL refuse to drop it then). Example: ``DROP INDEX users_email_key``.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.sql.change import SqlChange, app_direction, witness
from pytest_cdcompat.kinds.sql.rules.table_dropped import SQL
from pytest_cdcompat.kinds.sql.tables import unique_sets


@rule(
    scope="sql",
    category="constraints",
    kinds=SQL,
    ids=[
        (
            "unique-index-dropped",
            Severity.ERROR,
            "A unique index or constraint was dropped while the old application or a foreign key relies on it.",
            "Deploy the application first (no upsert on these columns, uniqueness enforced elsewhere), drop or move the "
            "foreign keys that reference the columns, then drop the index in a later migration.",
        )
    ],
)
def unique_index_dropped(change: SqlChange) -> Iterator[Hit]:
    for ot, nt in change.table_pairs():
        now = {tuple(nt.columns[c].origin if c in nt.columns else c for c in cols) for cols in unique_sets(nt)}
        for cols in sorted(unique_sets(ot)):
            if cols in now or any(c not in {x.origin for x in nt.columns.values()} for c in cols):
                continue  # still there, or its column was dropped (column-dropped says it)
            # a foreign key relies on the key only when it references exactly these columns (no column list: the
            # primary key)
            refs = [(rt, rc) for t in change.old.tables.values() for _, rt, rc, _, _ in t.fks]
            refs += [
                c.spec.references for t in change.old.tables.values() for c in t.columns.values() if c.spec.references
            ]
            referenced = any(
                rt == ot.name and set(rc.split(",") if rc else ot.primary_key) == set(cols) for rt, rc in refs
            )
            kinds = ("drop_index", "drop_constraint")
            op = change.find_op(kinds, change.names_of(ot, nt)) or change.find_op(kinds)
            stmt = op.stmt if op else None
            wider = sorted(tuple(str(c) for c in w) for w in now if set(cols) < set(w))
            if wider:
                # a key widened to more columns accepts more rows: the new application may write two rows equal on
                # the old columns, which the old schema (a rollback, or the old version still migrating) rejects
                yield Hit(
                    change.where(stmt, f"{ot.name}.{','.join(cols)}"),
                    f"({', '.join(cols)}) of {ot.name} is now unique only with ({', '.join(wider[0])}); "
                    f"the new application may write rows with equal ({', '.join(cols)}), which the old schema rejects",
                    witness(stmt),
                    rule_id="unique-index-dropped",
                    direction=app_direction("new"),
                )
            why = "a foreign key references it" if referenced else "the old application's upserts may rely on it"
            yield Hit(
                change.where(stmt, f"{ot.name}.{','.join(cols)}"),
                f"({', '.join(cols)}) of {ot.name} is no longer unique; {why}",
                witness(stmt),
                rule_id="unique-index-dropped",
                direction=app_direction("old"),
                severity=None if referenced else Severity.WARNING,
            )
