"""A reader field the writer does not have, and no default to fill it in: decoding fails on every message.

Old writes, new reads (Confluent BACKWARD): a field added without a default (``{"name": "coupon", "type":
"string"}``). New writes, old reads (FORWARD): a field removed that old readers declared without a default; a field
renamed with an alias is the same break for old readers, who cannot know the new name.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.avro.avro_pairing import AvroPair


@rule(
    scope="avro",
    category="existence",
    kinds=frozenset({"avro"}),
    old_writes=(
        "avro-field-added-without-default",
        Severity.ERROR,
        "A field was added without a default, so new readers cannot decode messages written with the old schema.",
        "Give the new field a default (for an optional field: a union with null first and default null); "
        "producers may then start writing it in any order.",
    ),
    new_writes=(
        "avro-field-removed-without-default",
        Severity.ERROR,
        "A field old readers need (they declare no default) is no longer written.",
        "First ship a reader version that gives the field a default, wait until every consumer runs it, "
        "then stop writing the field.",
    ),
)
def avro_field_without_default(pair: AvroPair) -> Iterator[Hit]:
    if not pair.matched or pair.writer.kind != "record":
        return
    writer = pair.writer
    for rf in pair.reader.fields:
        if rf.has_default:
            continue
        if writer.field_named(rf.name) or any(writer.field_named(a) for a in rf.aliases):
            continue
        renamed = next((wf.name for wf in writer.fields if rf.name in wf.aliases), None)
        why = ""
        if renamed:
            why = f" (the writer renamed it to {renamed!r}; aliases only help the reader that declares them)"
        yield Hit(
            rf.ptr,
            f"{pair.path}.{rf.name}: the reader requires field {rf.name!r} ({rf.type.label()}) with no default, "
            f"and the writer does not write it{why}",
        )
