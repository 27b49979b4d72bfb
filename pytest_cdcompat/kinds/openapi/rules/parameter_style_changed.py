"""A parameter's value is written differently on the wire: its style, explode or content media type changed.

The reader parses the text the writer sends by its own serialisation, so a query array sent as ``tags=a&tags=b``
(``form``, explode) reads as ``["a"]`` or ``["b"]`` by a reader that expects ``tags=a,b``, and the reverse as
``["a,b"]``: a break in both directions, whichever version writes. Serialisations are compared in one canonical form
(``kinds/schema/serialisation.py``), so a Swagger 2.0 ``collectionFormat`` and the OpenAPI 3.x ``style``/``explode``
that mean the same wire form are no change, and a change that reads every value the writer may send the same way
(a scalar query parameter from ``form`` to ``spaceDelimited``, a one-item array) is no finding either.

The witness is a value the writer's schema accepts, its wire text, and what the reader reads from that text.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.flows import FlowPair
from pytest_cdcompat.kinds.schema.serialisation import Serialisation
from pytest_cdcompat.kinds.schema.serialisation_slots import differing_shapes, free_text

ADVICE = (
    "Keep the old serialisation; to change it, add a new parameter (or accept both forms on the reader) and move "
    "writers over before removing the old one."
)
RESERVED_ADVICE = (
    "Keep percent-encoding reserved characters until every reader parses them raw, or send such values in a body."
)


def _ids(prefix: str, what: str) -> list[tuple[str, Severity, str, str]]:
    return [
        (f"{prefix}-style-changed", Severity.ERROR, f"The {what}'s style changed: the reader parses its text "
         "differently.", ADVICE),
        (f"{prefix}-explode-changed", Severity.ERROR, f"The {what}'s explode changed: the reader parses its text "
         "differently.", ADVICE),
        (f"{prefix}-media-type-changed", Severity.ERROR, f"The {what} is written as content of another media type "
         "(or as content instead of with a schema).", ADVICE),
    ]  # fmt: skip


@rule(
    scope="flow",
    category="serialisation",
    kinds=frozenset({"openapi"}),
    ids=[
        *_ids("request-parameter", "request parameter"),
        *_ids("response-header", "response header"),
        (
            "request-parameter-allow-reserved-changed",
            Severity.WARNING,
            "One side sends reserved characters unencoded (allowReserved), which a reader parses as query syntax.",
            RESERVED_ADVICE,
        ),
    ],
)
def parameter_style_changed(pair: FlowPair) -> Iterator[Hit]:
    if pair.reader is None:
        return
    prefix = "request-parameter" if pair.is_request else "response-header"
    for key, wslot in sorted(pair.writer.params.items()):
        rslot = pair.reader.params.get(key)
        if rslot is None:
            continue
        ws, rs = wslot.extras.get("serialisation"), rslot.extras.get("serialisation")
        if not isinstance(ws, Serialisation) or not isinstance(rs, Serialisation) or ws == rs:
            continue
        where = key.partition(":")[0]
        what = f"{where} parameter" if pair.is_request else where
        label = f"{pair.channel_title} {pair.writer.name}: {what} {rslot.name!r}"
        location = rslot.location if pair.writer_is_old else wslot.location
        differs = differing_shapes(rslot.name, wslot.schema, ws, rs)
        if differs:
            if ws.media != rs.media:
                rid = f"{prefix}-media-type-changed"
            elif ws.style != rs.style:
                rid = f"{prefix}-style-changed"
            else:
                rid = f"{prefix}-explode-changed"
            old, new = (ws, rs) if pair.writer_is_old else (rs, ws)
            yield Hit(
                location,
                f"{label} changed from {old.describe()} to {new.describe()}: {' and '.join(differs)} values are "
                f"read differently",
                instance=(key,),
                rule_id=rid,
                witness=tuple(differs),
            )
        elif ws.allow_reserved and not rs.allow_reserved and free_text(wslot.schema) and pair.is_request:
            yield Hit(
                location,
                f"{label}: the writer sends reserved characters unencoded (allowReserved), the reader expects them "
                f"percent-encoded",
                instance=(key,),
                rule_id="request-parameter-allow-reserved-changed",
            )
