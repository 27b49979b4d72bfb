"""foreign-key-added: a FOREIGN KEY on an existing table rejects orphan rows the old application writes (old app).

Example: ``ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id)``.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.sql.change import SqlChange, app_direction, witness
from pytest_cdcompat.kinds.sql.rules.table_dropped import SQL
from pytest_cdcompat.kinds.sql.tables import Schema, Table


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
        # matched by what the key checks (its columns, the table and columns it references), never by its name: a key
        # dropped and added again under another name checks the same rows
        old = {_key(change.old, ot, cols, rt, rc) for cols, rt, rc, _, _ in ot.fks}
        old |= {_key(change.old, ot, (c.name,), *c.spec.references) for c in ot.columns.values() if c.spec.references}
        new = [(cols, rt, rc, stmt) for cols, rt, rc, _, stmt in nt.fks]
        new += [
            ((c.name,), c.spec.references[0], c.spec.references[1], c.changed_by.get("added"))
            for c in nt.columns.values()
            if c.spec.references
        ]
        for cols, rt, rc, stmt in new:
            if all(c in nt.columns and nt.columns[c].origin is None for c in cols):
                continue  # a key on columns the branch adds: existing rows and the old application leave them NULL
            origins = tuple(change.old_name(nt, c) or c for c in cols)
            target = change.new.tables.get(rt)
            old_rt = target.origin if target is not None and target.origin is not None else rt
            rcols = _ref_columns(change.new, rt, rc)
            old_rcols = tuple(
                (target.columns[r].origin or r) if target is not None and r in target.columns else r for r in rcols
            )
            if (origins, old_rt, old_rcols) in old:
                continue
            yield Hit(
                change.where(stmt, f"{nt.name}.{','.join(cols)}"),
                f"{nt.name}({', '.join(cols)}) must now "
                f"reference an existing {rt} row; the old application may write orphans",
                witness(stmt),
                rule_id="foreign-key-added",
                direction=app_direction("old"),
            )


def _ref_columns(schema: Schema, rt: str, rc: str) -> tuple[str, ...]:
    """The referenced columns; ``REFERENCES t`` without a column list means t's primary key."""
    if rc:
        return tuple(c.strip() for c in rc.split(","))
    target = schema.tables.get(rt)
    return target.primary_key if target is not None else ()


def _key(
    schema: Schema, t: Table, cols: tuple[str, ...], rt: str, rc: str
) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    return tuple(cols), rt, _ref_columns(schema, rt, rc)
