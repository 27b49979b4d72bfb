"""The reader requires unique items; the writer may send duplicates."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pytest_cdcompat.catalogue import NOTHING, Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.pairing import SchemaPair

ADVICE = "De-duplicate on writers first; require uniqueItems on readers last."


@rule(
    scope="schema",
    category="constraints",
    old_writes=("unique-items-added", Severity.ERROR, "The reader now rejects arrays with duplicate items.", ADVICE),
    new_writes=(
        "unique-items-removed",
        Severity.ERROR,
        "New writers may send duplicate items old readers reject.",
        ADVICE,
    ),
)
def unique_items_added(pair: SchemaPair) -> Iterator[Hit]:
    if pair.reader.get("uniqueItems") is True and pair.writer.get("uniqueItems") is not True:
        mx = pair.writer.get("maxItems")
        if isinstance(mx, int) and mx < 2:
            return
        yield Hit(
            "/uniqueItems",
            f"uniqueItems: true {pair.changed('was added', 'was removed')}",
            witness=_twice(pair.writer, pair.context),
        )


def _twice(writer: dict[str, Any], context: str) -> Any:
    """Two equal items (the engine verifies them against the writer and falls back to its search)."""
    items = writer.get("items")
    if writer.get("prefixItems") or not isinstance(items, dict):
        return NOTHING
    from pytest_cdcompat.kinds.schema.generate.minimal import minimal_instance

    item = minimal_instance(items, context=context)
    return NOTHING if item is NOTHING else [item, item]
