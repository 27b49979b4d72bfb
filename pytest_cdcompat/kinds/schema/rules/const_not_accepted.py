"""The reader demands a ``const`` the writer does not always send.

Setting ``const: v2`` on a request's ``version`` field breaks old clients sending ``v1``; changing an event's
``type`` const breaks every reader of the other version.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.pairing import SchemaPair, canonical

ADVICE = (
    "Accept both values (enum of old and new) while versions overlap; switch writers; then narrow to the new value."
)


def fixed_value(schema: dict[str, Any]) -> tuple[bool, Any]:
    """``(True, v)`` when the schema pins one value: ``const``, or the one-value ``enum`` canonical schemas use for it.

    ``null`` beside the value (a nullable const) is the nullability rule's business and does not count.
    """
    if "const" in schema:
        return True, schema["const"]
    values = schema.get("enum")
    if isinstance(values, list):
        non_null = [v for v in values if v is not None]
        if len(non_null) == 1:
            return True, non_null[0]
    return False, None


def _where(reader: dict[str, Any]) -> str:
    # canonical schemas spell const as a one-value enum: point at the schema itself, which the document has
    return "/const" if "const" in reader else ""


@rule(
    scope="schema",
    category="values",
    old_writes=("const-added", Severity.ERROR, "The reader now requires one fixed value.", ADVICE),
    new_writes=(
        "const-removed",
        Severity.ERROR,
        "New writers no longer send the fixed value old readers require.",
        ADVICE,
    ),
    ids=[("const-changed", Severity.ERROR, "The fixed value changed.", ADVICE)],
)
def const_not_accepted(pair: SchemaPair) -> Iterator[Hit]:
    pinned, want = fixed_value(pair.reader)
    if not pinned:
        return
    wpinned, have = fixed_value(pair.writer)
    if wpinned:
        if canonical(have) != canonical(want):
            yield Hit(
                _where(pair.reader),
                f"const changed from {canonical(fixed_value(pair.old)[1])} to {canonical(fixed_value(pair.new)[1])}",
                witness=have,
                rule_id="const-changed",
            )
        return
    wenum = pair.writer.get("enum")
    if isinstance(wenum, list):
        if "const" not in pair.reader:
            return  # a list of values against a one-value enum: the enum rules name the values
        others = [v for v in wenum if canonical(v) != canonical(want) and v is not None]
        if others:
            verb = pair.changed("was added", "was removed")
            yield Hit("/const", f"const {canonical(want)} {verb}", witness=others[0])
        return
    yield Hit(_where(pair.reader), f"const {canonical(want)} {pair.changed('was added', 'was removed')}")
