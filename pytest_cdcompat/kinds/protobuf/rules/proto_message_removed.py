"""A message type the old version writes no longer exists in the new version: new readers have no type for it.

Old writes, new reads (BACKWARD): ``message OrderCancelled`` deleted while old producers still send it. Adding a
message is not a break (old readers never receive a type they do not know), so only this orientation has an id.
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
        "proto-message-removed",
        Severity.ERROR,
        "A message type was removed, so new readers cannot decode messages old producers still write.",
        "Keep the message (mark it deprecated) until no producer writes it and no stored data holds it.",
    ),
)
def proto_message_removed(pair: MessagePair) -> Iterator[Hit]:
    if pair.new_is_writer:
        return  # a message the new version writes and the old lacks was added: new readers are not involved
    if pair.writer is not None and pair.reader is None:
        yield Hit(
            pair.location,
            f"message {pair.writer.full_name} is written by the writer but does not exist in the reader's schema",
            witness={"construct": f"the reader has no message type {pair.key!r} to decode into"},
        )
