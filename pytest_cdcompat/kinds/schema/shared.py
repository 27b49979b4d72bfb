"""What the two deploy directions of one schema comparison share: one hasher, one view set, one pair table.

Structural hashes, per-context views and the child pairs of a node pair depend on the two documents alone, not on
the direction, so they are built once per comparison: the engine computes both directions in one call with one
``Shared`` (``schema_engine.run``), which lives exactly as long as that call, so there is no cache between calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pytest_cdcompat.kinds.schema.hashing import Hasher
from pytest_cdcompat.kinds.schema.pairing import PairTable
from pytest_cdcompat.kinds.schema.views import Views


@dataclass
class Shared:
    hasher: Any
    strict: bool = False
    views: Views = field(default_factory=Views)
    table: PairTable = field(init=False)
    hits: dict[Any, Any] = field(default_factory=dict)  # rule hits per node pair, orientation and context
    keep: list[Any] = field(default_factory=list)  # nodes the hit cache keys by id, kept alive

    def __post_init__(self) -> None:
        self.table = PairTable(self.hasher, self.strict)


def new_shared(strict: bool = False) -> Shared:
    return Shared(Hasher().hash, strict)
