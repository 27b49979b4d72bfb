"""A property the writer declares (and so may send) is rejected by a closed reader.

With ``additionalProperties: false`` (or ``unevaluatedProperties: false``) on the reader, removing a request property
breaks old clients still sending it, and adding a response or event property breaks old readers. Open readers (the
default) ignore unknown properties: no finding.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import NOTHING, Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.pairing import SchemaPair, escape, reader_schema_for_name


@rule(
    scope="schema",
    category="existence",
    old_writes=(
        "property-removed",
        Severity.ERROR,
        "A property old writers send is rejected by the reader, which allows no unknown properties.",
        "Keep the property (deprecated, ignored) until no writer sends it, or open the reader's object "
        "(drop additionalProperties: false) before removing it.",
    ),
    new_writes=(
        "property-added",
        Severity.ERROR,
        "New writers send a property that old readers, which allow no unknown properties, reject.",
        "Open the readers' objects or add the property to them first (consumers first); send it afterwards, behind "
        "a feature toggle if needed.",
    ),
)
def property_not_accepted(pair: SchemaPair) -> Iterator[Hit]:
    rprops = pair.reader.get("properties") or {}
    for name, sub in sorted((pair.writer.get("properties") or {}).items()):
        if sub is False:
            continue
        if name in rprops:
            continue  # declared by the reader (``false`` included: value-forbidden reports that)
        if reader_schema_for_name(pair.reader, name) is None:
            yield Hit(
                f"/properties/{escape(name)}",
                f"property {name!r} {pair.changed('was removed', 'was added')} and the reader allows no unknown "
                "properties",
                witness=NOTHING,
                instance=(name,),
            )
