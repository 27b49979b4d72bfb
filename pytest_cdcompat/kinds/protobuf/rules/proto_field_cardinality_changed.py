"""A field changed between singular, repeated and map: readers keep only the last value, or JSON fails.

Both directions: ``string tag = 5;`` changed to ``repeated string tags = 5;`` (an old reader keeps only the last
tag; JSON arrays are rejected), or a ``map`` turned into a repeated message. buf:
FIELD_WIRE_COMPATIBLE_CARDINALITY and FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.protobuf.proto_pairing import FieldPair, is_map, shown_type

_SPEC = (
    "proto-field-cardinality-changed",
    Severity.ERROR,
    "A field changed between singular, repeated and map, so readers drop values or fail on JSON.",
    "Add a new repeated (or map) field with a new number, write both, move readers over, then reserve the old one.",
)


def _shape(f: object) -> str:
    if is_map(f):
        return "map"
    return "repeated" if f.is_repeated else "singular"  # type: ignore[attr-defined]


@rule(scope="proto-field", category="type", kinds=frozenset({"protobuf"}), old_writes=_SPEC, new_writes=_SPEC)
def proto_field_cardinality_changed(pair: FieldPair) -> Iterator[Hit]:
    ws, rs = _shape(pair.writer), _shape(pair.reader)
    if ws != rs:
        yield Hit(
            pair.location,
            f"{pair.path} ({pair.number}): written as {shown_type(pair.writer)} ({ws}), "
            f"read as {shown_type(pair.reader)} ({rs})",
            witness={"repeat": 2},
        )
