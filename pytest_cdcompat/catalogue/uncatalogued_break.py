"""``uncatalogued-break``: a real counterexample that no catalogue rule explains.

Not a check. Every engine reports it when its generator (JSON values validated with jsonschema, Avro datums decoded
with schema resolution, Protobuf messages decoded with the runtime) finds a value one version writes and the other
rejects although no rule fired. It exists so that a gap in the catalogue is never silent; each occurrence is a bug to
fix with a new rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pytest_cdcompat.catalogue import ALL_KINDS, Hit, rule
from pytest_cdcompat.core.findings import Severity


@rule(
    scope="generator",
    category="values",
    kinds=ALL_KINDS,
    ids=[
        (
            "uncatalogued-break",
            Severity.ERROR,
            "A value one version writes is rejected by the other version, and no rule explains why.",
            "Treat it as a break: the counterexample shows the value. Report it so the catalogue gains a rule.",
        )
    ],
)
def uncatalogued_break(*_: Any) -> Iterator[Hit]:
    return iter(())
