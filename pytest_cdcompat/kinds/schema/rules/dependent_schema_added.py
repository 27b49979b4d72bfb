"""The reader applies a ``dependentSchemas`` constraint the writer does not.

The witness is the writer's smallest object carrying the trigger property, also when the writer sends the trigger
only as an extra (a map entry, a pattern, or any name of an open object under ``--strict``).

Decided by searching for a value: without a counterexample the finding is a warning.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.extra_names import sends, trigger_witness
from pytest_cdcompat.kinds.schema.pairing import SchemaPair, escape

ADVICE = "Make writers satisfy the dependent schema first; add it to readers last."


@rule(
    scope="schema",
    category="constraints",
    old_writes=("dependent-schema-added", Severity.ERROR, "The reader applies a new dependent schema.", ADVICE),
    new_writes=(
        "dependent-schema-removed",
        Severity.ERROR,
        "New writers no longer satisfy a dependent schema old readers apply.",
        ADVICE,
    ),
)
def dependent_schema_added(pair: SchemaPair) -> Iterator[Hit]:
    rdep = pair.reader.get("dependentSchemas") or {}
    wdep = pair.writer.get("dependentSchemas") or {}
    for trigger in sorted(rdep):
        if trigger not in wdep or not pair.same(wdep[trigger], rdep[trigger]):
            if not sends(pair, trigger):
                continue  # the writer never sends the trigger: the dependency never applies
            verb = pair.changed("was added or changed", "was removed or changed")
            yield Hit(
                f"/dependentSchemas/{escape(trigger)}",
                f"dependent schema for {trigger!r} {verb}",
                **trigger_witness(pair, trigger),
            )
