"""The id of a break found by really encoding and decoding messages that no catalogue rule explains.

Not a check: the Avro and Protobuf engines report it when a generated message fails to decode although no rule
fired. It exists so a gap in the catalogue is never silent; each occurrence is a bug to fix with a new rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...findings import Severity
from .. import Hit, rule


@rule(
    scope="roundtrip",
    category="data",
    kinds=frozenset({"avro", "protobuf"}),
    ids=[
        (
            "uncatalogued-break",
            Severity.ERROR,
            "A real message written by one version failed to decode with the other, and no rule explains why.",
            "Treat it as a break (see the counterexample) and report it so a rule can be added.",
        )
    ],
)
def uncatalogued_break(pair: object) -> Iterator[Hit]:
    return iter(())
