"""The reader's ``maxLength`` rejects strings the writer may send.

Lowering a request's maxLength breaks old clients sending longer strings; raising (or removing) it on a response lets
the new server send strings old clients reject.
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
        "max-length-decreased",
        Severity.ERROR,
        "The reader's maxLength rejects strings old writers send.",
        "Keep the old maxLength on the reader until every writer respects the new one; tighten it last.",
    ),
    new_writes=(
        "max-length-increased",
        Severity.ERROR,
        "New writers may send strings that old readers' maxLength rejects.",
        "Relax maxLength on every reader first (consumers first), then let writers use the wider range.",
    ),
)
def max_length_decreased(pair: SchemaPair) -> Iterator[Hit]:
    found = bounds.count_hits(types_of(pair.writer), pair.writer, pair.reader, "maxLength")
    if found is None:
        return
    was, now = pair.old.get("maxLength"), pair.new.get("maxLength")
    yield Hit(
        "/maxLength",
        f"maxLength changed from {'none' if was is None else was} to {'none' if now is None else now}",
        witness=NOTHING if found[2] is None else found[2],
    )
