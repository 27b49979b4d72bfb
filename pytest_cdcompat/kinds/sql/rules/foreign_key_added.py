"""foreign-key-added: a FOREIGN KEY on an existing table rejects orphan rows the old application writes (old app).

Example: ``ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id)``.
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
            "foreign-key-added",
            Severity.ERROR,
            "A FOREIGN KEY was added to a table with existing rows and writers.",
            "Deploy an application that writes only existing references, clean up orphans, then add the key (PostgreSQL: "
            "NOT VALID, then VALIDATE CONSTRAINT separately).",
        )
    ],
)
def foreign_key_added(change: SqlChange) -> Iterator[Hit]:
    for ot, nt in change.table_pairs():
        old = {(cols, rt) for cols, rt, _, _, _ in ot.fks}
        old |= {((c.name,), c.spec.references[0]) for c in ot.columns.values() if c.spec.references}
        new = [(cols, rt, stmt) for cols, rt, _, _, stmt in nt.fks]
        new += [
            ((c.name,), c.spec.references[0], c.changed_by.get("added"))
            for c in nt.columns.values()
            if c.spec.references and c.origin is not None
        ]
        for cols, rt, stmt in new:
            origins = tuple(change.old_name(nt, c) or c for c in cols)
            if (origins, rt) in old or (cols, rt) in old:
                continue
            yield Hit(
                change.where(stmt, f"{nt.name}.{','.join(cols)}"),
                f"{nt.name}({', '.join(cols)}) must now "
                f"reference an existing {rt} row; the old application may write orphans",
                witness(stmt),
                rule_id="foreign-key-added",
                direction=app_direction("old"),
            )
