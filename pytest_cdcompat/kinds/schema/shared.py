"""What the two deploy directions of one schema comparison share: one hasher, one view set, one pair table.

Structural hashes, per-context views and the child pairs of a node pair depend on the two documents alone, not on
the direction, so they are built once per comparison. ``api.compare`` asks the engine for one direction at a time;
``for_comparison`` hands the state built for the first direction to the second (matched by the identity of the two
contracts and equal settings) and lets it go once both directions have used it, so nothing outlives a comparison
beyond the next one.
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


_handoff: list[tuple[Any, Any, Any, Shared, set[Any]]] = []  # at most one: the comparison in progress


def for_comparison(old: Any, new: Any, settings: Any, direction: Any, n_directions: int = 2) -> Shared:
    """The shared state of the comparison of ``old`` with ``new`` for ``direction``."""
    if _handoff:
        o, n, s, shared, served = _handoff[0]
        if o is old and n is new and s == settings and direction not in served:
            served.add(direction)
            if len(served) >= n_directions:
                _handoff.clear()
            return shared
    shared = new_shared(bool(getattr(settings, "strict", False)))
    _handoff[:] = [(old, new, settings, shared, {direction})]
    return shared
