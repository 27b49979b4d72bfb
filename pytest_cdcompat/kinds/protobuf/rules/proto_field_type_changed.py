"""A field number now has a type with another wire encoding: readers fail or read garbage, in both directions.

Example: ``int32 quantity = 2;`` changed to ``string quantity = 2;`` (or a field number reused for another type).
Types sharing an encoding are judged by the integer and string/bytes rules instead. buf: FIELD_WIRE_COMPATIBLE_TYPE.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.protobuf.proto_pairing import WIRE_GROUPS, FieldPair, shown_type, type_name

_SPEC = (
    "proto-field-type-changed",
    Severity.ERROR,
    "A field number changed to a type with another wire encoding, so the other side cannot read its values.",
    "Never change a field's type: add a new field with a new number, write both, move readers, "
    "then reserve the old one.",
)


def _group(t: str) -> int:
    for i, g in enumerate(WIRE_GROUPS):
        if t in g:
            return i
    return -1


@rule(scope="proto-field", category="type", kinds=frozenset({"protobuf"}), old_writes=_SPEC, new_writes=_SPEC)
def proto_field_type_changed(pair: FieldPair) -> Iterator[Hit]:
    wt, rt = type_name(pair.writer), type_name(pair.reader)
    if wt == rt or (_group(wt) == _group(rt) and _group(wt) >= 0):
        return
    if {wt, rt} <= {"message", "group"}:
        return  # a message type swap is proto-field-message-type-changed
    yield Hit(
        pair.location,
        f"{pair.path} ({pair.number}): written as {shown_type(pair.writer)}, read as {shown_type(pair.reader)}",
    )
