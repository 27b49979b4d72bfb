"""A form field's value is written differently on the wire: its ``encoding`` (3.x) or ``collectionFormat`` (2.0) changed.

The client writes a form body and the server reads it, so this is about requests: an old client against a new
server sends the old version's encoding, and the new server parses it by the new one. A urlencoded array sent as
``bins=a&bins=b`` (3.x default, 2.0 ``multi``) reads as ``["a"]`` by a server expecting ``bins=a,b`` (2.0 ``csv``,
the 2.0 default, or ``encoding: {bins: {explode: false}}``), and ``bins=a,b`` reads as ``["a,b"]`` the other way:
mostly a break in both directions. In a multipart body the same is true of repeated parts and one part holding
``a,b``, and of a field written as a JSON part (``contentType: application/json``). Serialisations are compared in one
canonical form (``kinds/schema/serialisation.py``), so a Swagger 2.0 ``formData`` parameter and its faithful 3.x
conversion (``csv`` as ``explode: false``, ``multi`` as the default, ``pipes`` as ``pipeDelimited``) are no change,
and a change that reads every value the writer may send the same way (a scalar field, a one-item array) is none
either. swagger2openapi drops ``collectionFormat`` of a ``formData`` array, so its conversion of a ``csv`` array is
found here: 2.0 clients send ``a,b`` to a 3.x server that reads one item per field.

The witness is a value of the field the writer's schema accepts, the request carrying it, the field's wire text
and what the server reads from that text.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.flows import FlowPair, match_media
from pytest_cdcompat.kinds.schema.serialisation_slots import differing_shapes, form_fields, free_text

ADVICE = (
    "Keep the field's old encoding (in 2.0 its collectionFormat, in 3.x its encoding entry); to change it, add a new "
    "field (or accept both forms on the server) and move clients over before removing the old one."
)
RESERVED_ADVICE = "Keep percent-encoding reserved characters in the field until every server parses them raw."


@rule(
    scope="flow",
    category="serialisation",
    kinds=frozenset({"openapi"}),
    ids=[
        ("request-form-field-style-changed", Severity.ERROR, "A form field's style changed (3.x encoding, 2.0 "
         "collectionFormat): the server parses its text differently.", ADVICE),
        ("request-form-field-explode-changed", Severity.ERROR, "A form field's explode changed (one field or part "
         "per item, or all items in one): the server parses its text differently.", ADVICE),
        ("request-form-field-media-type-changed", Severity.ERROR, "A form field is written as content of another "
         "media type (encoding contentType), or as such content instead of plain text.", ADVICE),
        ("request-form-field-allow-reserved-changed", Severity.WARNING, "A urlencoded form field's reserved "
         "characters are sent unencoded (allowReserved), which the server parses as form syntax.", RESERVED_ADVICE),
    ],
)  # fmt: skip
def form_field_style_changed(pair: FlowPair) -> Iterator[Hit]:
    if pair.reader is None or not pair.is_request:
        return
    for media, wbody in sorted(pair.writer.bodies.items()):
        rmedia = match_media(media, pair.reader.bodies)
        if rmedia is None:
            continue
        wfields, rfields = form_fields(wbody), form_fields(pair.reader.bodies[rmedia])
        for name in sorted(wfields.keys() & rfields.keys()):
            wslot, rslot = wfields[name], rfields[name]
            ws, rs = wslot.extras["serialisation"], rslot.extras["serialisation"]
            if ws == rs or ws.where != rs.where:
                continue
            label = f"{pair.channel_title} request: form field {name!r} of {rmedia if pair.writer_is_old else media}"
            location = rslot.location if pair.writer_is_old else wslot.location
            differs = differing_shapes(name, wslot.schema, ws, rs)
            if differs:
                old, new = (ws, rs) if pair.writer_is_old else (rs, ws)
                kind = "media-type" if ws.media != rs.media else "style" if ws.style != rs.style else "explode"
                yield Hit(
                    location,
                    f"{label} changed from {old.describe()} to {new.describe()}: {' and '.join(differs)} values are "
                    f"read differently",
                    instance=("form", media, name),
                    rule_id=f"request-form-field-{kind}-changed",
                    witness=tuple(differs),
                )
            elif ws.allow_reserved and not rs.allow_reserved and free_text(wslot.schema):
                yield Hit(
                    location,
                    f"{label}: the client sends reserved characters unencoded (allowReserved), the server expects "
                    f"them percent-encoded",
                    instance=("form", media, name),
                    rule_id="request-form-field-allow-reserved-changed",
                )
