"""The default of an optional request parameter changed: clients that omit it get different behaviour.

No value can demonstrate it (both versions accept the same requests), so it is a warning, as the behaviour change is
real for every client that relies on the default.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.flows import FlowPair
from pytest_cdcompat.kinds.schema.pairing import canonical

ADVICE = "Keep the old default and let clients opt in to the new behaviour explicitly (a new parameter value)."


@rule(
    scope="flow",
    category="values",
    kinds=frozenset({"openapi"}),
    old_writes=(
        "parameter-default-changed",
        Severity.WARNING,
        "The server's default for an omitted parameter changed.",
        ADVICE,
    ),
    new_writes=(
        "parameter-default-changed",
        Severity.WARNING,
        "The server's default for an omitted parameter changed.",
        ADVICE,
    ),
)
def parameter_default_changed(pair: FlowPair) -> Iterator[Hit]:
    if pair.reader is None or not pair.is_request or not pair.writer_is_old:
        return  # report once, from the old client's side
    for key, wslot in sorted(pair.writer.params.items()):
        rslot = pair.reader.params.get(key)
        if rslot is None or rslot.required or wslot.required:
            continue  # a required parameter is always sent: no client relies on a default
        wd = wslot.schema.get("default") if isinstance(wslot.schema, dict) else None
        rd = rslot.schema.get("default") if isinstance(rslot.schema, dict) else None
        if canonical(wd) != canonical(rd):
            yield Hit(
                rslot.location,
                f"{pair.channel_title}: default of {rslot.name!r} changed from {canonical(wd)} to {canonical(rd)}",
            )
