"""Which version writes in each deploy scenario: the table every engine relies on, written down by hand."""

from __future__ import annotations

import pytest

from pytest_cdcompat.core.directions import direction_for, writer_and_reader, writer_version
from pytest_cdcompat.core.findings import Direction
from pytest_cdcompat.core.model import Party

ONP = Direction.OLD_CONSUMER_NEW_PRODUCER
NOP = Direction.NEW_CONSUMER_OLD_PRODUCER

# (scenario, who writes the flow, writing version, reading version)
TABLE = [
    (ONP, Party.PRODUCER, "new", "old"),  # a response from the new server to an old client
    (ONP, Party.CONSUMER, "old", "new"),  # a request from an old client to the new server
    (NOP, Party.PRODUCER, "old", "new"),  # a response from the old server to a new client
    (NOP, Party.CONSUMER, "new", "old"),  # a request from a new client to the old server
]


@pytest.mark.parametrize(("direction", "party", "writer", "reader"), TABLE)
def test_writer_and_reader(direction, party, writer, reader):
    assert writer_version(direction, party) == writer
    assert writer_and_reader(direction, party) == (writer, reader)


@pytest.mark.parametrize(("direction", "party", "writer", "reader"), TABLE)
def test_direction_for_is_the_scenario_in_which_that_version_writes(direction, party, writer, reader):
    assert direction_for(writer, party) is direction
