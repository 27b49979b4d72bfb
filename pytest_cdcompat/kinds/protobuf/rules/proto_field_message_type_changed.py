"""A message-typed field now refers to another message type: readers decode it with a different schema.

Both directions: ``Address shipping = 4;`` changed to ``Location shipping = 4;``. Whether values survive depends on
the two message types, so the round trip decides: without a failing message this is reported as a warning. buf:
FIELD_SAME_TYPE.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.protobuf.proto_pairing import FieldPair, type_name

_SPEC = (
    "proto-field-message-type-changed",
    Severity.ERROR,
    "A message field now uses another message type, and messages of one do not read as the other.",
    "Add a new field with the new message type, write both, move readers over, then reserve the old field.",
)


@rule(scope="proto-field", category="type", kinds=frozenset({"protobuf"}), old_writes=_SPEC, new_writes=_SPEC)
def proto_field_message_type_changed(pair: FieldPair) -> Iterator[Hit]:
    if type_name(pair.writer) != "message" or type_name(pair.reader) != "message":
        return
    w, r = pair.writer.message_type, pair.reader.message_type
    if w.name != r.name:
        yield Hit(pair.location, f"{pair.path} ({pair.number}): written as {w.full_name}, read as {r.full_name}")
