"""The writer sends a body in a media type the reader does not accept.

Dropping ``application/xml`` from a request body breaks old clients sending XML; a response offered only in media
types old clients do not accept breaks them. Responses are negotiated (``Accept``), so a media type *added* beside
one the client knows is no break.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.flows import FlowPair, match_media

ADVICE = "Keep accepting the old media type beside the new one until every writer has switched; remove it last."


@rule(
    scope="flow",
    category="existence",
    kinds=frozenset({"openapi", "asyncapi"}),
    old_writes=("media-type-removed", Severity.ERROR, "A media type old writers send is no longer accepted.", ADVICE),
    new_writes=("media-type-added", Severity.ERROR, "New writers send a media type old readers do not accept.", ADVICE),
)
def media_type_not_accepted(pair: FlowPair) -> Iterator[Hit]:
    if pair.reader is None or not pair.reader.bodies:
        return
    # A response is negotiated: a client that sends Accept gets a media type it knows while the server still
    # offers one, so an added response media type is no break; a response the client can accept in no media
    # type is.
    negotiated = (
        pair.writer.written_by.value == "producer"
        and pair.key.startswith("response")
        and any(match_media(m, pair.reader.bodies) is not None for m in pair.writer.bodies)
    )
    if negotiated:
        return
    for media, slot in sorted(pair.writer.bodies.items()):
        if match_media(media, pair.reader.bodies) is None:
            yield Hit(
                slot.location,
                f"{pair.channel_title} {pair.writer.name}: media type {media!r} "
                f"{pair.changed('was removed', 'was added')}",
                instance=("body",),
                witness=media,
            )
