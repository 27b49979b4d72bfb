"""The reader requires arrays to contain a matching item (``contains``, ``minContains``, ``maxContains``).

Decided by search for an array the writer sends and the reader rejects; a warning when none is found.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.pairing import SchemaPair

ADVICE = "Make writers include the required item first; add contains to readers last."


@rule(
    scope="schema",
    category="constraints",
    old_writes=("contains-added", Severity.ERROR, "The reader now requires arrays to contain a matching item.", ADVICE),
    new_writes=(
        "contains-removed",
        Severity.ERROR,
        "New writers no longer guarantee the matching item old readers require.",
        ADVICE,
    ),
)
def contains_added(pair: SchemaPair) -> Iterator[Hit]:
    if "contains" not in pair.reader:
        return
    if pair.reader.get("minContains") == 0 and "maxContains" not in pair.reader:
        return  # "at least zero matching items": every array
    keys = ("contains", "minContains", "maxContains")
    if all(pair.same(pair.writer.get(k), pair.reader.get(k)) for k in keys):
        return
    yield Hit("/contains", f"contains {pair.changed('was added or tightened', 'was removed or loosened')}")
