"""The reader excludes values with ``not`` that the writer may send. Decided by search; else a warning."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.pairing import SchemaPair

ADVICE = "Stop writers from sending the excluded values first; add the exclusion to readers last."


@rule(
    scope="schema",
    category="constraints",
    old_writes=("not-added", Severity.ERROR, "The reader now excludes values old writers may send.", ADVICE),
    new_writes=("not-removed", Severity.ERROR, "New writers may send values old readers exclude.", ADVICE),
)
def not_added(pair: SchemaPair) -> Iterator[Hit]:
    if "not" not in pair.reader or pair.same(pair.writer.get("not"), pair.reader.get("not")):
        return
    yield Hit("/not", f"a 'not' exclusion {pair.changed('was added or changed', 'was removed or changed')}")
