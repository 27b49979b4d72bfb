"""The reader's ``minLength`` rejects strings the writer may send.

Raising a request's minLength breaks old clients sending shorter strings; lowering it on a response lets the new
server send strings old clients reject.
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
        "min-length-increased",
        Severity.ERROR,
        "The reader's minLength rejects strings old writers send.",
        "Keep the old minLength on the reader until every writer respects the new one; tighten it last.",
    ),
    new_writes=(
        "min-length-decreased",
        Severity.ERROR,
        "New writers may send strings that old readers' minLength rejects.",
        "Relax minLength on every reader first (consumers first), then let writers use the wider range.",
    ),
)
def min_length_increased(pair: SchemaPair) -> Iterator[Hit]:
    found = bounds.count_hits(types_of(pair.writer), pair.writer, pair.reader, "minLength")
    if found is None:
        return
    was, now = pair.old.get("minLength"), pair.new.get("minLength")
    yield Hit(
        "/minLength",
        f"minLength changed from {'none' if was is None else was} to {'none' if now is None else now}",
        witness=NOTHING if found[2] is None else found[2],
    )
