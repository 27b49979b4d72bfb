"""The reader applies an ``if``/``then``/``else`` condition the writer does not.

Decided by searching for a value the writer sends that fails the reader's condition; a warning when none is found.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.pairing import SchemaPair

ADVICE = "Make writers satisfy the condition first; add it to readers last."


@rule(
    scope="schema",
    category="constraints",
    old_writes=("condition-added", Severity.ERROR, "The reader applies a new if/then/else condition.", ADVICE),
    new_writes=(
        "condition-removed",
        Severity.ERROR,
        "New writers no longer satisfy an if/then/else condition old readers apply.",
        ADVICE,
    ),
)
def conditional_added(pair: SchemaPair) -> Iterator[Hit]:
    if "if" not in pair.reader:
        return
    keys = ("if", "then", "else")
    if all(pair.same(pair.writer.get(k), pair.reader.get(k)) for k in keys):
        return
    if _accepts_all(pair.reader.get("then")) and _accepts_all(pair.reader.get("else")):
        return  # neither branch constrains anything (a condition loosened to nothing)
    yield Hit("/if", f"if/then/else condition {pair.changed('was added or changed', 'was removed or changed')}")


def _accepts_all(schema: object) -> bool:
    if schema is None or schema is True:
        return True
    return isinstance(schema, dict) and not any(not str(k).startswith("x-cdc-") for k in schema)
