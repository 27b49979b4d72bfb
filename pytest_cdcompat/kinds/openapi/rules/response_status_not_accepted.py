"""The writing server may answer with a status the reading client does not declare (and no range or default covers).

A success status the client does not know is an error (it cannot read its result): a server that starts answering
``201`` where old clients expect ``200``, or a new client that only knows ``201`` against an old server answering
``200``. An undeclared error status is a warning: clients usually handle unknown errors generically.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.flows import ChannelPair, match_status

ADVICE = (
    "Keep answering with the statuses the other version knows during the transition; declare the new status on "
    "clients (or a 2XX range / default response) before the server uses it."
)


@rule(
    scope="channel",
    category="existence",
    kinds=frozenset({"openapi"}),
    old_writes=(
        "response-status-removed",
        Severity.ERROR,
        "The old server answers with a status new clients do not declare.",
        ADVICE,
    ),
    new_writes=(
        "response-status-added",
        Severity.ERROR,
        "The new server answers with a status old clients do not declare.",
        ADVICE,
    ),
)
def response_status_not_accepted(pair: ChannelPair) -> Iterator[Hit]:
    if pair.reader is None:
        return
    for key, flow in sorted(pair.writer.flows.items()):
        if not key.startswith("response:") or flow.written_by is not pair.party:
            continue
        status = key.partition(":")[2]
        if match_status(status, pair.reader.flows) is not None:
            continue
        success = status.startswith("2")
        yield Hit(
            flow.location,
            f"{pair.writer.title}: response status {status} {pair.changed('was removed', 'was added')}",
            instance=("response", status),
            severity=None if success else Severity.WARNING,
        )
