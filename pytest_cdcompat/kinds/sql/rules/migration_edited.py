"""migration-edited / migration-removed: a released migration's text changed or vanished.

Deployed databases already ran the old text; the new text never runs there, so the schema every environment has
differs from the one the branch describes. Reported in both directions: neither deploy order fixes it.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Direction, Severity
from pytest_cdcompat.kinds.sql.change import SqlChange
from pytest_cdcompat.kinds.sql.rules.table_dropped import SQL


@rule(
    scope="sql",
    category="structure",
    kinds=SQL,
    ids=[
        (
            "migration-edited",
            Severity.ERROR,
            "A migration that was already released was edited.",
            "Restore the released text and put the change in a new migration.",
        ),
        (
            "migration-removed",
            Severity.ERROR,
            "A migration that was already released was removed.",
            "Restore the file; undo its effect with a new migration instead.",
        ),
    ],
)
def migration_edited(change: SqlChange) -> Iterator[Hit]:
    for old, new in change.edited:
        diff = _first_difference(old.text, new.text)
        for d in Direction:
            yield Hit(
                f"{new.path}:{diff[0]}",
                f"{new.name} differs from the released version (line {diff[0]}); "
                "databases that ran it keep the old text's schema",
                {"released": diff[1], "branch": diff[2]},
                rule_id="migration-edited",
                direction=d,
            )
    for old in change.removed:
        for d in Direction:
            yield Hit(
                old.path,
                f"{old.name} was released but is missing from the branch",
                None,
                rule_id="migration-removed",
                direction=d,
            )


def _first_difference(a: str, b: str) -> tuple[int, str, str]:
    la, lb = a.split("\n"), b.split("\n")
    for i in range(max(len(la), len(lb))):
        x = la[i] if i < len(la) else ""
        y = lb[i] if i < len(lb) else ""
        if x.rstrip() != y.rstrip():
            return i + 1, x, y
    return 1, "", ""
