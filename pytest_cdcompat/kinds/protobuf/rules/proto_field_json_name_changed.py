"""A field's JSON name changed (a rename without keeping ``json_name``): JSON readers ignore the value.

Both directions: ``string customer_id = 2;`` renamed ``client_id`` writes ``"clientId"``, which old JSON readers do
not know (tolerant readers drop it, strict ones fail). Renaming with ``[json_name = "customerId"]`` is safe: readers
accept their own JSON name and the field's proto name. buf: FIELD_SAME_JSON_NAME.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.protobuf.proto_pairing import FieldPair
from pytest_cdcompat.kinds.protobuf.rules.proto_field_renumbered import moved

_SPEC = (
    "proto-field-json-name-changed",
    Severity.ERROR,
    "A field's JSON name changed, so JSON readers of the other version lose its value.",
    'Keep the JSON name when renaming: add [json_name = "<old JSON name>"] to the renamed field.',
)


@rule(scope="proto-field", category="wire-json", kinds=frozenset({"protobuf"}), old_writes=_SPEC, new_writes=_SPEC)
def proto_field_json_name_changed(pair: FieldPair) -> Iterator[Hit]:
    written = pair.writer.json_name
    if pair.parent is None and any(wf is pair.writer for wf, _ in moved(pair.message.writer, pair.message.reader)):
        return  # the name now belongs to another number: proto-field-renumbered explains it
    if written not in (pair.reader.json_name, pair.reader.name):
        yield Hit(
            pair.location,
            f"{pair.path} ({pair.number}): JSON is written as {written!r}, the reader knows {pair.reader.json_name!r}",
        )
