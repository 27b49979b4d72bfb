"""The reader restricts values to an enum (or a const) where the writer sends free values.

A free-form request field that became an enum breaks old clients sending other values; an enum removed from a
response field lets the new server send values old clients reject.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...findings import Severity
from ...shapes.pairing import SchemaPair
from .. import Hit, rule
from .const_not_accepted import fixed_value


@rule(
    scope="schema",
    category="values",
    old_writes=(
        "became-enum",
        Severity.ERROR,
        "The reader now accepts only a list of values; old writers may send others.",
        "Accept every value old writers send (validate softly, log the rest), migrate writers to the listed values, "
        "then enforce the enum.",
    ),
    new_writes=(
        "enum-removed",
        Severity.ERROR,
        "New writers may send values outside the enum old readers enforce.",
        "Keep emitting only the old values until every reader accepts free values (consumers first).",
    ),
)
def enum_introduced(pair: SchemaPair) -> Iterator[Hit]:
    renum = pair.reader.get("enum")
    if fixed_value(pair.reader)[0] or not isinstance(renum, list):
        return  # one pinned value (const, or its canonical one-value enum): const-added
    if isinstance(pair.writer.get("enum"), list) or "const" in pair.writer:
        return
    yield Hit("/enum", pair.changed("an enum was added", "the enum was removed"))
