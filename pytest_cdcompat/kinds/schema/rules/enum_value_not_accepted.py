"""An enum value the writer may send is missing from the reader's enum.

Removing ``shipped`` from a request enum breaks old clients that send it; adding ``refunded`` to a response or event
enum breaks old consumers that do not know it (the tolerant reader still validates enums). ``null`` is left to the
nullability rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.pairing import SchemaPair, canonical
from pytest_cdcompat.kinds.schema.rules.const_not_accepted import fixed_value


@rule(
    scope="schema",
    category="values",
    old_writes=(
        "enum-value-removed",
        Severity.ERROR,
        "An enum value old writers send is no longer accepted.",
        "Keep accepting the value (mark it deprecated in the description), stop every writer from sending it, then "
        "remove it in a later release.",
    ),
    new_writes=(
        "enum-value-added",
        Severity.ERROR,
        "New writers may send an enum value old readers reject.",
        "Deploy readers that accept the new value first (or make them tolerate unknown values), and only then "
        "let writers send it, behind a feature toggle if needed.",
    ),
)
def enum_value_not_accepted(pair: SchemaPair) -> Iterator[Hit]:
    wenum, renum = pair.writer.get("enum"), pair.reader.get("enum")
    if not isinstance(wenum, list) or not isinstance(renum, list):
        return
    if fixed_value(pair.writer)[0] and fixed_value(pair.reader)[0]:
        return  # one pinned value against another: const-changed
    accepted = {canonical(v) for v in renum}
    for value in wenum:
        if value is None or canonical(value) in accepted:
            continue
        yield Hit(
            "/enum",
            f"enum value {canonical(value)} {pair.changed('was removed', 'was added')}",
            witness=value,
        )
