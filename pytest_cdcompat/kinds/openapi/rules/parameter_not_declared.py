"""The writer sends a parameter the reader does not declare: the reader ignores it.

Not an error (unknown query parameters and headers are ignored), but a removed request parameter silently stops
working for old clients, and a new one is silently ignored by an old server: worth knowing.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.flows import FlowPair


@rule(
    scope="flow",
    category="existence",
    kinds=frozenset({"openapi", "asyncapi"}),
    old_writes=(
        "parameter-removed",
        Severity.INFO,
        "A parameter old writers send is no longer declared (ignored).",
        "Make sure the reader still honours what old writers mean by it, or deprecate it first.",
    ),
    new_writes=(
        "parameter-added",
        Severity.INFO,
        "New writers send a parameter old readers ignore.",
        "If the parameter changes behaviour, deploy the reader first or guard it with a feature toggle.",
    ),
)
def parameter_not_declared(pair: FlowPair) -> Iterator[Hit]:
    if pair.reader is None or not pair.is_request:
        return
    for key, wslot in sorted(pair.writer.params.items()):
        if key not in pair.reader.params and not key.startswith("path:"):
            where = key.partition(":")[0]
            yield Hit(
                wslot.location,
                f"{pair.channel_title} {pair.writer.name}: {where} parameter {wslot.name!r} "
                f"{pair.changed('was removed', 'was added')}",
            )
