"""The reader demands a ``const`` the writer does not always send.

Setting ``const: v2`` on a request's ``version`` field breaks old clients sending ``v1``; changing an event's
``type`` const breaks every reader of the other version.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...findings import Severity
from ...shapes.pairing import SchemaPair, canonical
from .. import Hit, rule

ADVICE = (
    "Accept both values (enum of old and new) while versions overlap; switch writers; then narrow to the new value."
)


@rule(
    scope="schema",
    category="values",
    old_writes=("const-added", Severity.ERROR, "The reader now requires one fixed value.", ADVICE),
    new_writes=("const-removed", Severity.ERROR, "New writers no longer send the fixed value old readers require.",
                ADVICE),
    ids=[("const-changed", Severity.ERROR, "The fixed value changed.", ADVICE)],
)
def const_not_accepted(pair: SchemaPair) -> Iterator[Hit]:
    if "const" not in pair.reader:
        return
    want = pair.reader["const"]
    if "const" in pair.writer:
        if canonical(pair.writer["const"]) != canonical(want):
            yield Hit(
                "/const",
                f"const changed from {canonical(pair.old.get('const'))} to {canonical(pair.new.get('const'))}",
                witness=pair.writer["const"],
                rule_id="const-changed",
            )
        return
    wenum = pair.writer.get("enum")
    if isinstance(wenum, list):
        others = [v for v in wenum if canonical(v) != canonical(want) and v is not None]
        if others:
            verb = pair.changed("was added", "was removed")
            yield Hit("/const", f"const {canonical(want)} {verb}", witness=others[0])
        return
    yield Hit("/const", f"const {canonical(want)} {pair.changed('was added', 'was removed')}")
