"""The reader's schema is ``false`` (accepts nothing) where the writer sends values.

E.g. a property set to ``false`` to forbid it, or ``items: false`` after ``prefixItems``.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.pairing import SchemaPair

ADVICE = "Stop every writer from sending the value first; forbid it on readers last."


@rule(
    scope="schema",
    category="existence",
    old_writes=("value-forbidden", Severity.ERROR, "The reader now forbids a value old writers send.", ADVICE),
    new_writes=("value-unforbidden", Severity.ERROR, "New writers send a value old readers forbid.", ADVICE),
)
def schema_became_false(pair: SchemaPair) -> Iterator[Hit]:
    if pair.reader.get("x-cdc-false") is True:
        yield Hit(
            "",
            pair.changed(
                "the schema became false: nothing is accepted here", "the schema was false and values are now sent here"
            ),
        )
