"""The reader's ``multipleOf`` rejects numbers the writer may send.

``multipleOf: 0.01`` -> ``multipleOf: 1`` on a request amount breaks old clients sending cents; a response whose
``multipleOf`` went from 10 to 5 sends numbers old clients reject.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from pytest_cdcompat.catalogue import NOTHING, Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.pairing import SchemaPair, types_of

ADVICE = "Accept both granularities on readers until every writer uses the new one; change writers last."


def _divides(step: float, by: float) -> bool:
    q = Fraction(str(step)) / Fraction(str(by))
    return q.denominator == 1


@rule(
    scope="schema",
    category="constraints",
    old_writes=(
        "multiple-of-added",
        Severity.ERROR,
        "The reader requires a multipleOf old writers do not respect.",
        ADVICE,
    ),
    new_writes=(
        "multiple-of-removed",
        Severity.ERROR,
        "New writers no longer respect the multipleOf old readers require.",
        ADVICE,
    ),
    ids=[
        ("multiple-of-changed", Severity.ERROR, "multipleOf changed to a value the other side does not divide.", ADVICE)
    ],
)
def multiple_of_changed(pair: SchemaPair) -> Iterator[Hit]:
    wt = types_of(pair.writer)
    if wt is not None and not wt & {"integer", "number"}:
        return
    r = pair.reader.get("multipleOf")
    if not isinstance(r, (int, float)) or isinstance(r, bool) or r <= 0:
        return
    w = pair.writer.get("multipleOf")
    integer = wt is not None and "number" not in wt
    if isinstance(w, (int, float)) and not isinstance(w, bool) and w > 0:
        if _divides(w, r):
            return
        yield Hit(
            "/multipleOf",
            f"multipleOf changed from {pair.old.get('multipleOf')} to {pair.new.get('multipleOf')}",
            witness=w,
            rule_id="multiple-of-changed",
        )
        return
    if integer and float(r).is_integer() and r == 1:
        return
    witness = NOTHING
    for c in [1, 2, 3] if integer else [0.5, 1, 0.3, r / 2]:  # r / 2 is never a multiple of r
        if not _divides(c, r):
            witness = c
            break
    yield Hit("/multipleOf", f"multipleOf {r} {pair.changed('was added', 'was removed')}", witness=witness)
