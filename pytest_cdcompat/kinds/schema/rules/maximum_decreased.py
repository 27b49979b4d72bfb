"""The reader's upper bound (``maximum``/``exclusiveMaximum``) rejects numbers the writer may send.

Lowering a request's ``maximum`` breaks old clients; raising a response's ``maximum`` (or dropping it) lets the new
server send numbers old clients reject.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from pytest_cdcompat.catalogue import NOTHING, Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema import bounds
from pytest_cdcompat.kinds.schema.pairing import SchemaPair, types_of


@rule(
    scope="schema",
    category="constraints",
    old_writes=(
        "maximum-decreased",
        Severity.ERROR,
        "The reader's upper bound rejects numbers old writers send.",
        "Keep the old bound on the reader until every writer respects the new one (validate writers first).",
    ),
    new_writes=(
        "maximum-increased",
        Severity.ERROR,
        "New writers may send numbers above the bound old readers enforce.",
        "Relax the readers' bound first (consumers first), then let the writer send the wider range.",
    ),
)
def maximum_decreased(pair: SchemaPair) -> Iterator[Hit]:
    wt = types_of(pair.writer)
    if wt is not None and not wt & {"integer", "number"}:
        return
    rhi, whi = bounds.upper(pair.reader), bounds.upper(pair.writer)
    if rhi is None or not bounds.upper_stricter(rhi, whi):
        return
    integer = wt is not None and "number" not in wt
    if integer and whi is not None and _greatest_integer(rhi) >= _greatest_integer(whi):
        return  # e.g. exclusiveMaximum: 101 -> maximum: 100 on an integer: the same integers
    w = bounds.witness_above(rhi, bounds.lower(pair.writer), whi, integer)
    yield Hit(
        "/exclusiveMaximum" if rhi[1] else "/maximum",
        f"upper bound changed from {bounds.show(bounds.upper(pair.old), 'upper')} to "
        f"{bounds.show(bounds.upper(pair.new), 'upper')}",
        witness=NOTHING if w is None else w,
    )


def _greatest_integer(bound: tuple[float, bool]) -> int:
    value, exclusive = bound
    return math.ceil(value) - 1 if exclusive else math.floor(value)
