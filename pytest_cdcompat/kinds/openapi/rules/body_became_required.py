"""The reader requires a body the writer may leave out.

A request body made required breaks old clients sending none; a response that used to carry content now empty (or
a request body made optional, for new clients against an old server) breaks the other side.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.flows import FlowPair, body_required


@rule(
    scope="flow",
    category="requiredness",
    kinds=frozenset({"openapi"}),
    old_writes=(
        "body-became-required",
        Severity.ERROR,
        "The reader requires a body old writers may omit.",
        "Keep the body optional (use defaults) until every writer sends it; require it last.",
    ),
    new_writes=(
        "body-became-optional",
        Severity.ERROR,
        "New writers may omit a body old readers require.",
        "Keep sending the body until every reader accepts its absence (consumers first).",
    ),
)
def body_became_required(pair: FlowPair) -> Iterator[Hit]:
    if pair.reader is None or not body_required(pair.reader) or body_required(pair.writer):
        return
    yield Hit(
        pair.reader.location if pair.writer_is_old else pair.writer.location,
        f"{pair.channel_title} {pair.writer.name}: the body became {pair.changed('required', 'optional')}",
        missing=True,
        instance=("body",),
    )
