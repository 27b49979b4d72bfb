"""The ids of live findings: breaks shown by the running services themselves, not by their specifications.

Not checks on documents: the live engine (``live/engine.py``) raises them when a response of the running producer
is one the reading version's specification rejects. ``old_consumer_new_producer`` sends what old clients send (the
OLD spec's requests) to the NEW server and judges with the OLD spec; ``new_consumer_old_producer`` is the mirror.
Registered in the catalogue so that they are documented, waivable and their severity can be overridden like every
other id.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity

LIVE_IDS = ("live-response-rejected", "live-status-undeclared", "live-server-error")


@rule(
    scope="live",
    category="behaviour",
    kinds=frozenset({"openapi"}),
    ids=[
        (
            "live-response-rejected",
            Severity.ERROR,
            "A running version answered with headers, a media type or a body its clients' specification rejects.",
            "Make the server send what the specification promises (or version the change): clients built on the "
            "specification cannot read this answer. The counterexample holds the request, the response and a curl "
            "line that replays it.",
        ),
        (
            "live-status-undeclared",
            Severity.ERROR,
            "A running version answered with a status code its clients' specification does not declare.",
            "Answer with a declared status, or declare the new status in the specification and give clients time "
            "to handle it before the server sends it; undeclared 4xx answers are warnings.",
        ),
        (
            "live-server-error",
            Severity.ERROR,
            "A running version answered 5xx to a request its clients' specification allows.",
            "Fix the server: clients still send this request (replay it with the curl line), and a request the "
            "specification allows must not fail.",
        ),
    ],
)
def live_behaviour(*_: Any) -> Iterator[Hit]:
    return iter(())
