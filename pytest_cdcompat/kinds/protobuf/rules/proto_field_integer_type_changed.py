"""An integer field changed to a type sharing its wire encoding but not its range: values silently change.

Both directions: ``int64`` read as ``int32`` truncates, ``int32`` read as ``uint32`` turns -1 into 4294967295, an
integer read as ``bool`` collapses to true, ``sfixed32`` read as ``fixed32`` flips signs. Widenings that keep every
value (``int32`` to ``int64``, ``bool`` to any integer, ``sint32`` to ``sint64``, ``int32`` to an open enum) are not
reported. buf treats the
whole group as WIRE-compatible; we report what the runtime shows: a changed value.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.protobuf.proto_pairing import SAFE_WIDENING, WIRE_GROUPS, FieldPair, shown_type, type_name
from pytest_cdcompat.kinds.protobuf.rules.proto_field_enum_integer_changed import enum_integer_swap

_SPEC = (
    "proto-field-integer-type-changed",
    Severity.ERROR,
    "An integer field changed to a type that reads some of the writer's values differently (range or sign).",
    "Only widen (int32 to int64, sint32 to sint64); for anything else add a new field and migrate readers to it.",
)


@rule(scope="proto-field", category="type", kinds=frozenset({"protobuf"}), old_writes=_SPEC, new_writes=_SPEC)
def proto_field_integer_type_changed(pair: FieldPair) -> Iterator[Hit]:
    wt, rt = type_name(pair.writer), type_name(pair.reader)
    if wt == rt or rt in SAFE_WIDENING.get(wt, frozenset()):
        return
    if not any(wt in g and rt in g for g in WIRE_GROUPS[:4]):
        return
    if enum_integer_swap(pair.writer, pair.reader):
        return  # proto-field-enum-integer-changed
    if rt == "enum" and wt in ("int32", "bool") and not pair.reader.enum_type.is_closed:
        return  # an open (proto3) enum keeps every int32 number it does not know, in binary and in JSON
    yield Hit(
        pair.location,
        f"{pair.path} ({pair.number}): {shown_type(pair.writer)} values read as {shown_type(pair.reader)} "
        "can change (range or sign)",
    )
