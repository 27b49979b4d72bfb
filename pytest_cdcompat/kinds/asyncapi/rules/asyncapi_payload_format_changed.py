"""A message's payload switched between JSON Schema and Avro: the bytes on the wire are a different encoding.

Both directions: ``schemaFormat`` changed from the AsyncAPI (JSON) default to ``application/vnd.apache.avro+json``, or
back. Readers of one version cannot decode what writers of the other send, whatever the two schemas say.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.asyncapi.rules.asyncapi_message_missing import MessagePair

_SPEC = (
    "asyncapi-payload-format-changed",
    Severity.ERROR,
    "A message's payload switched between JSON Schema (JSON) and Avro (binary), so the other version cannot decode it.",
    "Publish the new format as a new message (or on a new channel) beside the old one, move readers, then retire it.",
)


def _format(flow: object) -> str | None:
    slot = getattr(flow, "bodies", {}).get("payload")
    if slot is None:
        return None
    return "Avro" if "avro" in slot.extras else "JSON Schema"


@rule(scope="asyncapi-message", category="type", kinds=frozenset({"asyncapi"}), old_writes=_SPEC, new_writes=_SPEC)
def asyncapi_payload_format_changed(pair: MessagePair) -> Iterator[Hit]:
    if pair.writer is None or pair.reader is None:
        return
    w, r = _format(pair.writer), _format(pair.reader)
    if w and r and w != r:
        name = pair.key.partition(":")[2]
        yield Hit(
            pair.writer.bodies["payload"].location,
            f"channel {pair.channel}: message {name!r} is written as {w} and read as {r}",
            witness={"channel": pair.channel, "message": name, "error": f"a {w} payload cannot be decoded as {r}"},
        )
