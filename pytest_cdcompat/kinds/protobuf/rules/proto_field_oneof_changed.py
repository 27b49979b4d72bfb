"""A field moved into, out of or between ``oneof``s: a reader keeps only one of the members the writer set.

Both directions: ``string email = 3; string phone = 4;`` moved into ``oneof contact {...}``: a message with both set
is read with one of them lost. buf: FIELD_SAME_ONEOF.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.protobuf.proto_pairing import FieldPair, oneof_of

_SPEC = (
    "proto-field-oneof-changed",
    Severity.ERROR,
    "A field moved into, out of or between oneofs, so readers can lose values the writer set together.",
    "Keep oneof membership fixed; add new fields in the new layout and migrate readers to them.",
)


@rule(scope="proto-field", category="type", kinds=frozenset({"protobuf"}), old_writes=_SPEC, new_writes=_SPEC)
def proto_field_oneof_changed(pair: FieldPair) -> Iterator[Hit]:
    wo, ro = oneof_of(pair.writer), oneof_of(pair.reader)
    if wo == ro:
        return
    if ro is None:
        return  # leaving a oneof: the writer sets at most one member, which the reader keeps
    # the reader's oneof siblings the writer may set together with this field
    siblings = tuple(
        f.number
        for f in pair.reader.containing_oneof.fields
        if f.number != pair.reader.number
        and f.number in pair.message.writer.fields_by_number
        and (wo is None or oneof_of(pair.message.writer.fields_by_number[f.number]) != wo)
    )
    if not siblings:
        return
    yield Hit(
        pair.location,
        f"{pair.path} ({pair.number}): written {'in oneof ' + wo if wo else 'outside any oneof'}, "
        f"read as member of oneof {ro} with fields {', '.join(map(str, siblings))}",
        witness={"also": siblings},
    )
