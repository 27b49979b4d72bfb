"""``string`` and ``bytes`` swapped: the binary form is shared, but bytes that are not UTF-8 fail as a proto3 string,
and ProtoJSON writes bytes as base64, so JSON readers get different values either way.

Both directions: ``bytes payload = 3;`` changed to ``string payload = 3;`` or the reverse. buf allows string -> bytes
on the WIRE level and neither on WIRE_JSON.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.protobuf.proto_pairing import FieldPair, type_name

_SPEC = (
    "proto-field-string-bytes-changed",
    Severity.ERROR,
    "A field changed between string and bytes: JSON readers get base64-mangled values, and non-UTF-8 bytes fail.",
    "Add a new field with the new type, write both, move readers over, then reserve the old field.",
)


@rule(scope="proto-field", category="wire-json", kinds=frozenset({"protobuf"}), old_writes=_SPEC, new_writes=_SPEC)
def proto_field_string_bytes_changed(pair: FieldPair) -> Iterator[Hit]:
    wt, rt = type_name(pair.writer), type_name(pair.reader)
    if {wt, rt} == {"string", "bytes"}:
        yield Hit(pair.location, f"{pair.path} ({pair.number}): written as {wt}, read as {rt}")
