"""The reader's ``minItems`` rejects arrays the writer may send.

Raising minItems on a request breaks old clients sending fewer items; lowering it on a response or event lets new
writers send arrays old readers reject.
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
        "min-items-increased",
        Severity.ERROR,
        "The reader's minItems rejects arrays old writers send.",
        "Keep the old minItems on the reader until every writer respects the new one; tighten it last.",
    ),
    new_writes=(
        "min-items-decreased",
        Severity.ERROR,
        "New writers may send arrays that old readers' minItems rejects.",
        "Relax minItems on every reader first (consumers first), then let writers use the wider range.",
    ),
)
def min_items_increased(pair: SchemaPair) -> Iterator[Hit]:
    found = bounds.count_hits(types_of(pair.writer), pair.writer, pair.reader, "minItems")
    if found is None:
        return
    was, now = pair.old.get("minItems"), pair.new.get("minItems")
    yield Hit(
        "/minItems",
        f"minItems changed from {'none' if was is None else was} to {'none' if now is None else now}",
        witness=NOTHING if found[2] is None else found[2],
    )
