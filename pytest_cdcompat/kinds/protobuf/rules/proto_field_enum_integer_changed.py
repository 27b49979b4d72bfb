"""A field changed between an enum and an integer: ProtoJSON writes an enum by name, which an integer reader cannot
parse, and a closed enum reader drops integers it has no value for.

Both directions: ``Status status = 3;`` changed to ``int32 status = 3;`` (binary still reads the number, but the
JSON ``"status": "SHIPPED"`` fails to parse as an integer), or ``int32`` to a proto2 (closed) enum, whose readers
keep unknown numbers as unknown fields. An ``int32`` read as an open (proto3) enum keeps every number and is safe.
buf: FIELD_WIRE_JSON_COMPATIBLE_TYPE.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.protobuf.proto_pairing import FieldPair, shown_type, type_name

INTEGERS = frozenset({"int32", "int64", "uint32", "uint64", "sint32", "sint64", "bool"})

_SPEC = (
    "proto-field-enum-integer-changed",
    Severity.ERROR,
    "A field changed between an enum and an integer: JSON readers fail on enum names, closed enums drop numbers.",
    "Keep the enum type; to carry raw numbers add a new integer field, write both, move readers over, then "
    "reserve the old field.",
)


def enum_integer_swap(writer: object, reader: object) -> bool:
    """Whether a writer field and a reader field differ as enum against integer in a way some value shows."""
    wt, rt = type_name(writer), type_name(reader)
    if wt == "enum" and rt in INTEGERS:
        return True
    return wt in INTEGERS and rt == "enum" and bool(reader.enum_type.is_closed)  # type: ignore[attr-defined]


@rule(scope="proto-field", category="wire-json", kinds=frozenset({"protobuf"}), old_writes=_SPEC, new_writes=_SPEC)
def proto_field_enum_integer_changed(pair: FieldPair) -> Iterator[Hit]:
    if not enum_integer_swap(pair.writer, pair.reader):
        return
    witness: dict[str, object] = {}
    if type_name(pair.writer) == "enum" and pair.parent is None:
        nonzero = [v.number for v in pair.writer.enum_type.values if v.number != 0]
        if nonzero:
            witness["value"] = nonzero[0]  # a default (zero) enum is not written in proto3 JSON
    yield Hit(
        pair.location,
        f"{pair.path} ({pair.number}): written as {shown_type(pair.writer)}, read as {shown_type(pair.reader)}",
        witness=witness or None,
    )
