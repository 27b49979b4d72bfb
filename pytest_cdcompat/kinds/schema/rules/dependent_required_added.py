"""The reader requires a property whenever another is present (``dependentRequired``); the writer does not.

``dependentRequired: {card: [cvv]}`` added to a request breaks old clients sending ``card`` alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.extra_names import sends, trigger_witness
from pytest_cdcompat.kinds.schema.pairing import SchemaPair, escape

ADVICE = "Make writers send the dependent property first; add the dependency on readers last."


@rule(
    scope="schema",
    category="requiredness",
    old_writes=(
        "dependent-required-added",
        Severity.ERROR,
        "The reader requires a property whenever another is present; old writers may omit it.",
        ADVICE,
    ),
    new_writes=(
        "dependent-required-removed",
        Severity.ERROR,
        "New writers may omit a property old readers require alongside another.",
        ADVICE,
    ),
)
def dependent_required_added(pair: SchemaPair) -> Iterator[Hit]:
    rdep = pair.reader.get("dependentRequired") or {}
    wdep = pair.writer.get("dependentRequired") or {}
    wreq = set(pair.writer.get("required") or ())
    for trigger, needed in sorted(rdep.items()):
        if not isinstance(needed, list):
            continue  # not a dependency: loader tags such as x-cdc-loc
        if not sends(pair, trigger):
            continue  # the writer never sends the trigger: the dependency never applies
        missing = sorted(set(needed) - set(wdep.get(trigger, ())) - wreq)
        if missing:
            # the witness carries the trigger (declared, or an extra the writer may send) without the dependent name
            witness = trigger_witness(pair, trigger) or {"missing": True, "instance": (missing[0],)}
            yield Hit(
                f"/dependentRequired/{escape(trigger)}",
                f"when {trigger!r} is present, {missing[0]!r} is {pair.changed('now required', 'no longer sent')}",
                **witness,
            )
