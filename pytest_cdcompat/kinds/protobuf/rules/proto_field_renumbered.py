"""A field kept its name but moved to another number: in binary its value lands in (or vanishes from) another
field, and in JSON its name now means another field number.

Both directions: ``string note = 4;`` became ``string note = 6;`` (or two fields swapped numbers). A binary reader
of the other version reads number 4 as whatever it declares there (or keeps it as an unknown field), so ``note`` is
lost or misread; a JSON reader maps ``"note"`` to its own number, so JSON and binary readers of one version disagree.
buf: FIELD_SAME_NAME / FIELD_SAME_JSON_NAME seen from the name's side.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.protobuf.proto_pairing import MessagePair

_SPEC = (
    "proto-field-renumbered",
    Severity.ERROR,
    "A field kept its name but changed its number, so readers of the other version lose or misread its value.",
    "Never renumber a field: keep its number; to change it, add a new field under a new name, write both, move "
    "readers over, then reserve the old number and name.",
)


def moved(writer: Any, reader: Any) -> Iterator[tuple[Any, Any]]:
    """Writer fields and the reader field of the same name or JSON name under another number."""
    by_json = {f.json_name: f for f in reader.fields}
    for wf in sorted(writer.fields, key=lambda f: f.number):
        rf = reader.fields_by_name.get(wf.name) or by_json.get(wf.json_name)
        if rf is not None and rf.number != wf.number:
            yield wf, rf


@rule(scope="proto-message", category="wire", kinds=frozenset({"protobuf"}), old_writes=_SPEC, new_writes=_SPEC)
def proto_field_renumbered(pair: MessagePair) -> Iterator[Hit]:
    if pair.writer is None or pair.reader is None:
        return
    for wf, rf in moved(pair.writer, pair.reader):
        yield Hit(
            f"{pair.location}/fields/{rf.name}",
            f"{pair.key}.{wf.name} is written as field {wf.number}, but the reader declares it as field {rf.number}",
            witness={"field": wf.number},
        )
