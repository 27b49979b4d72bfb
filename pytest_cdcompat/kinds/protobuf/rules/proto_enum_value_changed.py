"""An enum value kept its number but not its name, or its name but not its number.

Both directions: ``PAID = 2`` renamed ``SETTLED = 2`` (JSON carries names, so JSON readers lose it), or ``PAID``
renumbered from 2 to 5 (binary readers read 2 as something else). buf: ENUM_VALUE_SAME_NAME.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.protobuf.proto_pairing import FieldPair, type_name

_SPEC = (
    "proto-enum-value-changed",
    Severity.ERROR,
    "An enum value was renamed or renumbered, so readers of the other version misread it.",
    "Never rename or renumber enum values; add a new value and deprecate the old one.",
)


@rule(scope="proto-field", category="values", kinds=frozenset({"protobuf"}), old_writes=_SPEC, new_writes=_SPEC)
def proto_enum_value_changed(pair: FieldPair) -> Iterator[Hit]:
    if type_name(pair.writer) != "enum" or type_name(pair.reader) != "enum":
        return
    by_number = pair.reader.enum_type.values_by_number
    by_name = pair.reader.enum_type.values_by_name
    for v in pair.writer.enum_type.values:
        if v.number in by_number and by_number[v.number].name != v.name:
            yield Hit(
                pair.location,
                f"{pair.path}: enum value {v.number} is named {v.name} by the writer, "
                f"{by_number[v.number].name} by the reader",
                witness={"value": v.number},
            )
        elif v.number not in by_number and v.name in by_name:
            yield Hit(
                pair.location,
                f"{pair.path}: enum value {v.name} is {v.number} for the writer, "
                f"{by_name[v.name].number} for the reader",
                witness={"value": v.number},
            )
