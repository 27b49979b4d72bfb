"""An enum number the writer may write is unknown to the reader.

Old writes, new reads: value ``CANCELLED = 3`` removed. New writes, old reads: value ``REFUNDED = 4`` added. JSON
readers fail on (or drop) the unknown name; proto2 (closed) enums drop the unknown number even in binary; proto3
binary readers keep the number but do not know what it means. buf: ENUM_VALUE_NO_DELETE.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.protobuf.proto_pairing import FieldPair, type_name


@rule(
    scope="proto-field",
    category="values",
    kinds=frozenset({"protobuf"}),
    old_writes=(
        "proto-enum-value-removed",
        Severity.ERROR,
        "An enum value was removed, so new readers cannot read old messages holding it.",
        "Keep the value (deprecated) and reserve nothing until no stored or in-flight message holds it.",
    ),
    new_writes=(
        "proto-enum-value-added",
        Severity.ERROR,
        "An enum value was added, so old readers (JSON, or proto2 closed enums) lose or reject it.",
        "Deploy every consumer with the new value first, then let producers write it.",
    ),
)
def proto_enum_value_unknown(pair: FieldPair) -> Iterator[Hit]:
    if type_name(pair.writer) != "enum" or type_name(pair.reader) != "enum":
        return
    known = pair.reader.enum_type.values_by_number
    for v in pair.writer.enum_type.values:
        if v.number not in known:
            yield Hit(
                pair.location,
                f"{pair.path} ({pair.number}): enum value {v.name} = {v.number} is unknown to the reader",
                witness={"value": v.number},
            )
