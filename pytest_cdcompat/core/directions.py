"""The one place that knows which version writes and which reads in each deploy scenario.

A request is written by the client (consumer) and read by the server (producer); a response, a message and a row
read the reverse. In ``old_consumer_new_producer`` the producer runs the NEW version and consumers the OLD one, so a
producer-written flow is checked NEW writer -> OLD reader and a consumer-written flow OLD writer -> NEW reader.
``new_consumer_old_producer`` is the mirror. Rules are written once as "writer vs reader" and never look at this.
"""

from __future__ import annotations

from typing import Literal

from pytest_cdcompat.core.findings import Direction
from pytest_cdcompat.core.model import Party

Version = Literal["old", "new"]


def writer_version(direction: Direction, written_by: Party) -> Version:
    producer_is_new = direction is Direction.OLD_CONSUMER_NEW_PRODUCER
    if written_by is Party.PRODUCER:
        return "new" if producer_is_new else "old"
    return "old" if producer_is_new else "new"


def writer_and_reader(direction: Direction, written_by: Party) -> tuple[Version, Version]:
    w = writer_version(direction, written_by)
    return w, ("new" if w == "old" else "old")


def direction_for(writer: Version, written_by: Party) -> Direction:
    """The scenario in which ``writer`` is the writing version of a flow written by ``written_by``."""
    for d in Direction:
        if writer_version(d, written_by) == writer:
            return d
    raise AssertionError("unreachable")
