"""The reader's ``maxProperties`` rejects objects the writer may send.

Lowering maxProperties breaks old writers of larger objects; raising it lets new writers send objects old readers
reject.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...findings import Severity
from ...shapes import bounds
from ...shapes.pairing import SchemaPair, types_of
from .. import NOTHING, Hit, rule


@rule(
    scope="schema",
    category="constraints",
    old_writes=(
        "max-properties-decreased",
        Severity.ERROR,
        "The reader's maxProperties rejects objects old writers send.",
        "Keep the old maxProperties on the reader until every writer respects the new one; tighten it last.",
    ),
    new_writes=(
        "max-properties-increased",
        Severity.ERROR,
        "New writers may send objects that old readers' maxProperties rejects.",
        "Relax maxProperties on every reader first (consumers first), then let writers use the wider range.",
    ),
)
def max_properties_decreased(pair: SchemaPair) -> Iterator[Hit]:
    found = bounds.count_hits(types_of(pair.writer), pair.writer, pair.reader, "maxProperties")
    if found is None:
        return
    was, now = pair.old.get("maxProperties"), pair.new.get("maxProperties")
    yield Hit(
        "/maxProperties",
        f"maxProperties changed from {'none' if was is None else was} to {'none' if now is None else now}",
        witness=NOTHING if found[2] is None else found[2],
    )
