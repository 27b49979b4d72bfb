"""The reader constrains property names (``propertyNames``) that the writer's names may not satisfy.

Adding ``propertyNames: {pattern: ^[a-z]+$}`` to a request map breaks old clients using other keys.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...findings import Severity
from ...shapes.pairing import SchemaPair, canonical
from .. import Hit, rule

ADVICE = "Accept every key old writers use until they are migrated; constrain names last."


@rule(
    scope="schema",
    category="constraints",
    old_writes=("property-names-added", Severity.ERROR, "The reader now constrains property names.", ADVICE),
    new_writes=("property-names-removed", Severity.ERROR,
                "New writers no longer constrain property names as old readers require.", ADVICE),
)
def property_names_added(pair: SchemaPair) -> Iterator[Hit]:
    r = pair.reader.get("propertyNames")
    if r is None or r is True or r == {}:
        return
    w = pair.writer.get("propertyNames")
    if w is not None and canonical(w) == canonical(r):
        return
    yield Hit("/propertyNames", f"propertyNames {pair.changed('was added or narrowed', 'was removed or widened')}")
