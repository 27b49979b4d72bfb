"""A property the writer may omit is required by the reader.

Making an optional request property required breaks old clients that omit it; making a response or event property
optional lets the new writer omit what old readers require.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...findings import Severity
from ...shapes.pairing import SchemaPair, escape
from .. import Hit, rule


@rule(
    scope="schema",
    category="requiredness",
    old_writes=(
        "property-became-required",
        Severity.ERROR,
        "The reader requires a property old writers may omit.",
        "Give the property a default on the reader (keep it optional) until every writer sends it; require it last.",
    ),
    new_writes=(
        "property-became-optional",
        Severity.ERROR,
        "New writers may omit a property old readers require.",
        "Keep sending the property (with a neutral value) until every reader treats it as optional (consumers first).",
    ),
)
def property_became_required(pair: SchemaPair) -> Iterator[Hit]:
    wprops = pair.writer.get("properties") or {}
    wreq = set(pair.writer.get("required") or ())
    # a property the writer's dependentRequired ties to one it always sends is always sent too
    deps = {t: set(n) for t, n in (pair.writer.get("dependentRequired") or {}).items() if isinstance(n, list)}
    while implied := set().union(*(n for t, n in deps.items() if t in wreq)) - wreq:
        wreq |= implied
    for name in sorted(set(pair.reader.get("required") or ()) - wreq):
        if name in wprops and wprops[name] is not False:
            yield Hit(
                f"/properties/{escape(name)}",
                f"property {name!r} became {pair.changed('required', 'optional')}",
                missing=True,
                instance=(name,),
            )
