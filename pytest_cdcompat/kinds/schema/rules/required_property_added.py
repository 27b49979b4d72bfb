"""The reader requires a property the writer does not declare at all.

A new required request property breaks old clients (they never send it); a required response or event property that
was removed (or renamed) breaks old readers that still require it. A rename is both: add the new name beside the
old one, then remove the old (expand and contract).
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.pairing import SchemaPair
from pytest_cdcompat.kinds.schema.rules.property_became_required import always_sent, declared


@rule(
    scope="schema",
    category="requiredness",
    old_writes=(
        "required-property-added",
        Severity.ERROR,
        "The reader requires a new property old writers never send.",
        "Add the property as optional with a default first; make writers send it; require it in a later release.",
    ),
    new_writes=(
        "required-property-removed",
        Severity.ERROR,
        "New writers no longer send a property old readers require.",
        "Keep sending the property until every reader stops requiring it (make it optional on readers first); "
        "for a rename, send both names during the transition.",
    ),
)
def required_property_added(pair: SchemaPair) -> Iterator[Hit]:
    wprops = declared(pair.writer)
    wreq = always_sent(pair.writer)
    for name in sorted(set(pair.reader.get("required") or ()) - wreq):
        if name not in wprops:
            yield Hit(
                "/required",
                f"required property {name!r} {pair.changed('was added', 'was removed')}",
                missing=True,
                instance=(name,),
            )
