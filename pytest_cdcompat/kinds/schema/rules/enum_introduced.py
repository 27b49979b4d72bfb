"""The reader restricts values to an enum (or a const) where the writer sends free values.

A free-form request field that became an enum breaks old clients sending other values; an enum removed from a
response field lets the new server send values old clients reject.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.pairing import SchemaPair
from pytest_cdcompat.kinds.schema.rules.const_not_accepted import fixed_value


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
    if _enumerated(pair.writer):
        return  # the writer lists its values too: the enum-value rules compare them (variant by variant)
    yield Hit("/enum", pair.changed("an enum was added", "the enum was removed"))


def _enumerated(schema: Any, depth: int = 0) -> bool:
    """Whether every value the schema admits is listed: an enum, a const, or a union of such (documented values)."""
    if not isinstance(schema, dict) or depth > 8:
        return False
    if isinstance(schema.get("enum"), list) or "const" in schema:
        return True
    for kw in ("oneOf", "anyOf"):
        branches = schema.get(kw)
        if isinstance(branches, list) and branches:
            return all(_enumerated(b, depth + 1) for b in branches)
    return False
