"""A proto2 ``required`` field the reader insists on may be missing from what the writer writes.

Old writes, new reads: a ``required`` field added (or an optional one made required): old messages lack it and
new readers reject them. New writes, old reads: a required field removed (or made optional): new messages may lack
it and old readers reject them. buf: MESSAGE_SAME_REQUIRED_FIELDS.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.protobuf.proto_pairing import MessagePair


@rule(
    scope="proto-message",
    category="requiredness",
    kinds=frozenset({"protobuf"}),
    old_writes=(
        "proto-required-field-added",
        Severity.ERROR,
        "A required field was added, so new readers reject old messages that lack it.",
        "Never add required fields; add an optional field and validate it in application code.",
    ),
    new_writes=(
        "proto-required-field-removed",
        Severity.ERROR,
        "A required field was removed or made optional, so old readers reject new messages that lack it.",
        "Keep writing the field until every reader runs a version where it is optional, then stop.",
    ),
)
def proto_required_field_changed(pair: MessagePair) -> Iterator[Hit]:
    if pair.writer is None or pair.reader is None:
        return
    for rf in pair.reader.fields:
        if not rf.is_required:
            continue
        wf = pair.writer.fields_by_number.get(rf.number)
        if wf is None or not wf.is_required:
            state = "does not have it" if wf is None else f"declares it optional ({wf.name})"
            yield Hit(
                f"{pair.location}/fields/{rf.name}",
                f"{pair.key}.{rf.name}: the reader requires field {rf.number} and the writer {state}",
                witness={"focus": None},
            )
