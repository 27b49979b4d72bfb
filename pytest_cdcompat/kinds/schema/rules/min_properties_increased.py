"""The reader's ``minProperties`` rejects objects the writer may send.

Raising minProperties breaks old writers of smaller objects; lowering it lets new writers send objects old readers
reject.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import NOTHING, Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema import bounds
from pytest_cdcompat.kinds.schema.pairing import SchemaPair, types_of


@rule(
    scope="schema",
    category="constraints",
    old_writes=(
        "min-properties-increased",
        Severity.ERROR,
        "The reader's minProperties rejects objects old writers send.",
        "Keep the old minProperties on the reader until every writer respects the new one; tighten it last.",
    ),
    new_writes=(
        "min-properties-decreased",
        Severity.ERROR,
        "New writers may send objects that old readers' minProperties rejects.",
        "Relax minProperties on every reader first (consumers first), then let writers use the wider range.",
    ),
)
def min_properties_increased(pair: SchemaPair) -> Iterator[Hit]:
    found = bounds.count_hits(types_of(pair.writer), pair.writer, pair.reader, "minProperties")
    if found is None:
        return
    was, now = pair.old.get("minProperties"), pair.new.get("minProperties")
    yield Hit(
        "/minProperties",
        f"minProperties changed from {'none' if was is None else was} to {'none' if now is None else now}",
        witness=NOTHING if found[2] is None else found[2],
    )
