"""A field was deleted without reserving its number and name: today's data still decodes, tomorrow's reuse won't.

Old writes, new reads: ``string note = 4;`` removed and neither ``reserved 4;`` nor ``reserved "note";`` added. A
later field reusing 4 with another type would misread stored or in-flight old messages, and reusing the name would
change the JSON mapping. A warning: nothing fails yet. buf: FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED and
FIELD_NO_DELETE_UNLESS_NAME_RESERVED.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.protobuf.proto_pairing import MessagePair


@rule(
    scope="proto-message",
    category="existence",
    kinds=frozenset({"protobuf"}),
    old_writes=(
        "proto-field-removed-without-reservation",
        Severity.WARNING,
        "A field was removed without reserving its number and name, so a future field may reuse them.",
        'Add `reserved <number>;` and `reserved "<name>";` to the message in the same change.',
    ),
)
def proto_field_removed_without_reservation(pair: MessagePair) -> Iterator[Hit]:
    if pair.new_is_writer or pair.writer is None or pair.reader is None or pair.reader_proto is None:
        return  # a field the new version writes and the old lacks was added, not removed
    ranges = [(r.start, r.end) for r in pair.reader_proto.reserved_range]
    names = set(pair.reader_proto.reserved_name)
    for number, wf in sorted(pair.writer.fields_by_number.items()):
        if number in pair.reader.fields_by_number:
            continue
        missing = []
        if not any(lo <= number < hi for lo, hi in ranges):
            missing.append(f"number {number}")
        if wf.name not in names:
            missing.append(f"name {wf.name!r}")
        if missing:
            yield Hit(
                pair.location,
                f"{pair.key}.{wf.name} ({number}) was removed without reserving its {' and '.join(missing)}",
            )
