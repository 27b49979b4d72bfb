"""A proto2 field's explicit ``[default = ...]`` changed: a message that leaves the field unset reads differently.

Both directions: ``optional int32 page_size = 3 [default = 50];`` changed to ``[default = 100]``. Unset fields are
not on the wire, so each reader fills in its own default. buf: FIELD_SAME_DEFAULT.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.protobuf.proto_pairing import FieldPair, type_name

_SPEC = (
    "proto-field-default-changed",
    Severity.ERROR,
    "A field's default changed, so messages that leave it unset mean something else to the other version.",
    "Keep the default; write the value explicitly from producers if the meaning must change, then migrate readers.",
)


@rule(scope="proto-field", category="values", kinds=frozenset({"protobuf"}), old_writes=_SPEC, new_writes=_SPEC)
def proto_field_default_changed(pair: FieldPair) -> Iterator[Hit]:
    w, r = pair.writer, pair.reader
    if w.is_repeated or r.is_repeated or type_name(w) in ("message", "group", "map") or type_name(w) != type_name(r):
        return
    wd, rd = w.default_value, r.default_value
    if type_name(w) == "enum":
        wd, rd = (
            w.enum_type.values_by_number[wd].name if wd in w.enum_type.values_by_number else wd,
            (r.enum_type.values_by_number[rd].name if rd in r.enum_type.values_by_number else rd),
        )
    if wd != rd:
        yield Hit(
            pair.location,
            f"{pair.path} ({pair.number}): unset, it reads as {wd!r} for the writer and {rd!r} for the reader",
            witness={"unset": True},
        )
