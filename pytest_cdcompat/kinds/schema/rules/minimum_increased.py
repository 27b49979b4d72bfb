"""The reader's lower bound (``minimum``/``exclusiveMinimum``) rejects numbers the writer may send.

Raising a request's ``minimum`` from 1 to 5 breaks old clients sending 1..4; lowering a response's ``minimum`` lets
the new server send numbers old clients reject.
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
        "minimum-increased",
        Severity.ERROR,
        "The reader's lower bound rejects numbers old writers send.",
        "Keep the old bound on the reader until every writer respects the new one (validate writers first).",
    ),
    new_writes=(
        "minimum-decreased",
        Severity.ERROR,
        "New writers may send numbers below the bound old readers enforce.",
        "Relax the readers' bound first (consumers first), then let the writer send the wider range.",
    ),
)
def minimum_increased(pair: SchemaPair) -> Iterator[Hit]:
    wt = types_of(pair.writer)
    if wt is not None and not wt & {"integer", "number"}:
        return
    rlo, wlo = bounds.lower(pair.reader), bounds.lower(pair.writer)
    if rlo is None or not bounds.lower_stricter(rlo, wlo):
        return
    integer = wt is not None and "number" not in wt
    if integer and wlo is not None and _least_integer(rlo) <= _least_integer(wlo):
        return  # e.g. exclusiveMinimum: 0 -> minimum: 1 on an integer: the same integers
    w = bounds.witness_below(rlo, wlo, bounds.upper(pair.writer), integer)
    yield Hit(
        "/exclusiveMinimum" if rlo[1] else "/minimum",
        f"lower bound changed from {bounds.show(bounds.lower(pair.old), 'lower')} to "
        f"{bounds.show(bounds.lower(pair.new), 'lower')}",
        witness=NOTHING if w is None else w,
    )


def _least_integer(bound: tuple[float, bool]) -> int:
    value, exclusive = bound
    return math.floor(value) + 1 if exclusive else math.ceil(value)
