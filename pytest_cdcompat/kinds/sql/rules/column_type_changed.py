"""column-type-narrowed / -widened / -changed: values one application writes do not fit the other schema's type.

Narrowed (``varchar(50)`` -> ``varchar(20)``, ``bigint`` -> ``int``): the old application's values are rejected after
the migration. Widened (``int`` -> ``bigint``): the new application's values are rejected before it. Changed
(``int`` -> ``text``): both. Judged by dialect: SQLite stores any length in a VARCHAR and every INTEGER in 64 bits,
so length-only changes there are warnings (the application may still rely on them).
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.sql.change import SqlChange, app_direction, witness
from pytest_cdcompat.kinds.sql.rules.table_dropped import SQL
from pytest_cdcompat.kinds.sql.split import Statement
from pytest_cdcompat.kinds.sql.tables import compare_types, compare_value_sets, type_info

_RECIPE = (
    "Add a new column of the new type, keep both in sync (trigger or double write), backfill, switch reads, "
    "stop writing the old column, then drop it."
)


@rule(
    scope="sql",
    category="type",
    kinds=SQL,
    ids=[
        (
            "column-type-narrowed",
            Severity.ERROR,
            "A column's type was narrowed: old values may no longer fit.",
            "Deploy the application first (it must only write values the narrow type holds), check existing rows fit, then "
            "migrate. " + _RECIPE,
        ),
        (
            "column-type-widened",
            Severity.ERROR,
            "A column's type was widened: the new application may write values the old schema rejects.",
            "Migrate first, then deploy the application (do not roll the migration back after "
            "wider values were written).",
        ),
        ("column-type-changed", Severity.ERROR, "A column's type changed to an incompatible one.", _RECIPE),
    ],
)
def column_type_changed(change: SqlChange) -> Iterator[Hit]:
    for _ot, nt, oc, nc in change.column_pairs():
        verdict = compare_types(oc.spec.type, nc.spec.type, change.dialect)
        stmt = nc.changed_by.get("type")
        text = f"column {nt.name}.{nc.name} changed type from {oc.spec.type} to {nc.spec.type}"
        if verdict == "same":
            verdict, stmt, values = _enum_type_changed(change, oc.spec.type, nc.spec.type)
            text = f"column {nt.name}.{nc.name} of enum type {nc.spec.type}: {values}"
        if verdict == "same":
            continue
        where = change.where(stmt, f"{nt.name}.{nc.name}")
        lax = change.dialect == "sqlite" and type_info(oc.spec.type).family == "text"
        sev = Severity.WARNING if lax else None
        if verdict in ("narrowed", "changed"):
            rid = "column-type-narrowed" if verdict == "narrowed" else "column-type-changed"
            yield Hit(
                where,
                f"{text}; values the old application writes may not fit",
                witness(stmt),
                rule_id=rid,
                direction=app_direction("old"),
                severity=sev,
            )
        if verdict in ("widened", "changed"):
            rid = "column-type-widened" if verdict == "widened" else "column-type-changed"
            yield Hit(
                where,
                f"{text}; values the new application writes may not fit the old type",
                witness(stmt),
                rule_id=rid,
                direction=app_direction("new"),
                severity=sev,
            )


def _enum_type_changed(change: SqlChange, old_type: str, new_type: str) -> tuple[str, Statement | None, str]:
    """A PostgreSQL column of an enum type (``CREATE TYPE ... AS ENUM``) keeps its type name when the branch adds a
    value (``ALTER TYPE ... ADD VALUE``): judged by the type's values, located at the statement that added one."""
    name = old_type.lower().strip('"').split(".")[-1]
    if name != new_type.lower().strip('"').split(".")[-1]:
        return "same", None, ""
    old, new = change.old.enums.get(name), change.new.enums.get(name)
    if old is None or new is None:
        return "same", None, ""
    verdict = compare_value_sets(frozenset(old), frozenset(new))
    stmt = next((op.stmt for op in change.branch_ops if op.kind == "add_enum_value" and op.table == name), None)
    added, removed = [v for v in new if v not in old], [v for v in old if v not in new]
    said = [f"value(s) {', '.join(map(repr, added))} added"] if added else []
    said += [f"value(s) {', '.join(map(repr, removed))} removed"] if removed else []
    return verdict, stmt, " and ".join(said)
