"""The reader's discriminator no longer maps (or maps differently) a tag value the writer sends.

OpenAPI's ``discriminator`` chooses the variant by a property: removing ``mapping: {card: ...}`` breaks old clients
sending ``type: card``; renaming ``propertyName`` breaks every reader of the other version.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.pairing import SchemaPair, escape

ADVICE = "Keep the old tag value mapped while writers still send it; map the new one on readers first."


@rule(
    scope="schema",
    category="structure",
    old_writes=(
        "discriminator-mapping-removed",
        Severity.ERROR,
        "A discriminator value old writers send is no longer mapped.",
        ADVICE,
    ),
    new_writes=(
        "discriminator-mapping-added",
        Severity.ERROR,
        "New writers send a discriminator value old readers do not map.",
        ADVICE,
    ),
    ids=[("discriminator-property-changed", Severity.ERROR, "The discriminator property name changed.", ADVICE)],
)
def discriminator_mapping_removed(pair: SchemaPair) -> Iterator[Hit]:
    rd, wd = pair.reader.get("discriminator"), pair.writer.get("discriminator")
    if not isinstance(rd, dict) or not isinstance(wd, dict):
        return
    if rd.get("propertyName") != wd.get("propertyName"):
        yield Hit(
            "/discriminator/propertyName",
            f"discriminator property changed from {pair.old['discriminator'].get('propertyName')!r} to "
            f"{pair.new['discriminator'].get('propertyName')!r}",
            rule_id="discriminator-property-changed",
        )
        return
    rmap, wmap = rd.get("mapping") or {}, wd.get("mapping") or {}
    if not rmap:
        return
    for tag in sorted(set(wmap) - set(rmap)):
        yield Hit(
            f"/discriminator/mapping/{escape(tag)}",
            f"discriminator value {tag!r} {pair.changed('was removed', 'was added')}",
            witness=tag,
            instance=(str(wd.get("propertyName")),),
        )
