"""A reader expects a message on a channel that its writer does not send.

New writes, old reads: a message the application sends was removed, and old consumers wait for it (or a message it
receives was dropped by its peers while the old application still expects it). Old writes, new reads: a message was
added that new readers expect before the writers send it (a new ``receive`` operation before peers send the message,
or new consumers of a new ``send`` message deployed before the application): deploy the writer first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.core.model import Flow


@dataclass(frozen=True)
class MessagePair:
    """One message flow (``send:<name>`` or ``receive:<name>``) of one channel, in the writing and reading versions."""

    channel: str
    key: str
    writer: Flow | None
    reader: Flow | None


@rule(
    scope="asyncapi-message",
    category="existence",
    kinds=frozenset({"asyncapi"}),
    old_writes=(
        "asyncapi-message-added",
        Severity.ERROR,
        "A message was added that readers of the new version expect before the old writers send it.",
        "Deploy the writing side first (the application for a send operation, its peers for a receive operation).",
    ),
    new_writes=(
        "asyncapi-message-removed",
        Severity.ERROR,
        "A message was removed that readers of the old version still expect.",
        "Keep sending the message (deprecated) until every reader has stopped expecting it, then remove it.",
    ),
)
def asyncapi_message_missing(pair: MessagePair) -> Iterator[Hit]:
    if pair.writer is not None or pair.reader is None:
        return
    action, _, name = pair.key.partition(":")
    readers = "the application expects" if action == "receive" else "its consumers expect"
    writers = "its peers do" if action == "receive" else "the application does"
    yield Hit(
        pair.reader.location,
        f"channel {pair.channel}: {readers} message {name!r}, which {writers} not send",
        witness={"channel": pair.channel, "message": name, "error": f"{name!r} is never written on {pair.channel}"},
    )
