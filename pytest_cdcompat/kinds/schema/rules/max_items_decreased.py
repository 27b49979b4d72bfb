"""The reader's ``maxItems`` rejects arrays the writer may send.

Lowering maxItems on a request breaks old clients sending more items; raising it on a response or event lets new
writers send arrays old readers reject.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pytest_cdcompat.catalogue import NOTHING, Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema import bounds
from pytest_cdcompat.kinds.schema.pairing import SchemaPair, types_of


@rule(
    scope="schema",
    category="constraints",
    old_writes=(
        "max-items-decreased",
        Severity.ERROR,
        "The reader's maxItems rejects arrays old writers send.",
        "Keep the old maxItems on the reader until every writer respects the new one; tighten it last.",
    ),
    new_writes=(
        "max-items-increased",
        Severity.ERROR,
        "New writers may send arrays that old readers' maxItems rejects.",
        "Relax maxItems on every reader first (consumers first), then let writers use the wider range.",
    ),
)
def max_items_decreased(pair: SchemaPair) -> Iterator[Hit]:
    writer = pair.writer
    prefix = writer.get("prefixItems")
    if writer.get("items") is False and isinstance(prefix, list):
        # a closed tuple holds at most its positions
        cap = len(prefix) if bounds.count(writer, "maxItems") is None else min(len(prefix), writer["maxItems"])
        writer = {**writer, "maxItems": cap}
    found = bounds.count_hits(types_of(writer), writer, pair.reader, "maxItems")
    if found is None:
        return
    was, now = pair.old.get("maxItems"), pair.new.get("maxItems")
    yield Hit(
        "/maxItems",
        f"maxItems changed from {'none' if was is None else was} to {'none' if now is None else now}",
        witness=_repeated(writer, found[1], pair.context),
    )


def _repeated(writer: dict[str, Any], limit: int | None, context: str) -> Any:
    """``limit + 1`` items for a writer with one item schema: its minimal item repeated (the engine verifies it,
    e.g. against uniqueItems, and falls back to its search)."""
    items = writer.get("items")
    if limit is None or writer.get("prefixItems") or not isinstance(items, dict) or writer.get("uniqueItems"):
        return NOTHING
    from pytest_cdcompat.kinds.schema.generate.minimal import minimal_instance

    item = minimal_instance(items, context=context)
    return NOTHING if item is NOTHING else [item] * (limit + 1)
