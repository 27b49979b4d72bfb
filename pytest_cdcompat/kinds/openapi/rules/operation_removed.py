"""An operation the writing client calls does not exist on the reading server.

Removing ``DELETE /orders/{id}`` breaks old clients still calling it (deprecate, wait, then remove); adding an
operation means new clients break against an old server, so the server must be deployed first (or the client's use
of it hidden behind a feature toggle).
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.flows import ChannelPair

OPENAPI = frozenset({"openapi"})


@rule(
    scope="channel",
    category="existence",
    kinds=OPENAPI,
    old_writes=(
        "operation-removed",
        Severity.ERROR,
        "An operation old clients call was removed.",
        "Deprecate the operation first (deprecated: true), wait until no client calls it (access logs), then remove "
        "it; or keep it as an alias of its replacement.",
    ),
    new_writes=(
        "operation-added",
        Severity.ERROR,
        "New clients call an operation the old server does not have.",
        "Deploy the server first and do not roll it back past this version; or hide the clients' calls behind a "
        "feature toggle until every server has the operation.",
    ),
)
def operation_removed(pair: ChannelPair) -> Iterator[Hit]:
    if pair.reader is None and "request" in pair.writer.flows and pair.party.value == "consumer":
        verb = pair.changed("was removed", "was added")
        yield Hit(pair.writer.location, f"operation {pair.writer.title} {verb}", instance=("request",))
