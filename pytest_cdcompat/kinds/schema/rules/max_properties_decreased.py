"""The reader's ``maxProperties`` rejects objects the writer may send.

Lowering maxProperties breaks old writers of larger objects; raising it lets new writers send objects old readers
reject.
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
        "max-properties-decreased",
        Severity.ERROR,
        "The reader's maxProperties rejects objects old writers send.",
        "Keep the old maxProperties on the reader until every writer respects the new one; tighten it last.",
    ),
    new_writes=(
        "max-properties-increased",
        Severity.ERROR,
        "New writers may send objects that old readers' maxProperties rejects.",
        "Relax maxProperties on every reader first (consumers first), then let writers use the wider range.",
    ),
)
def max_properties_decreased(pair: SchemaPair) -> Iterator[Hit]:
    found = bounds.count_hits(types_of(pair.writer), pair.writer, pair.reader, "maxProperties")
    if found is None:
        return
    was, now = pair.old.get("maxProperties"), pair.new.get("maxProperties")
    yield Hit(
        "/maxProperties",
        f"maxProperties changed from {'none' if was is None else was} to {'none' if now is None else now}",
        witness=_crowded(pair.writer, found[1], pair.context),
    )


def _crowded(writer: dict[str, Any], limit: int | None, context: str) -> Any:
    """An object of the writer with ``limit + 1`` properties: its minimal instance, then declared optional
    properties, then map entries. A random search rarely draws that many entries, so the rule builds the witness.
    """
    from pytest_cdcompat.kinds.schema.generate.minimal import minimal_instance

    base = minimal_instance(writer, context=context)
    if limit is None or not isinstance(base, dict):
        return NOTHING
    out = dict(base)
    props = writer.get("properties") or {}
    extra = writer.get("additionalProperties")
    names = [n for n in props if n not in out]
    names += [f"cdcompat-{i}" for i in range(limit + 1)] if isinstance(extra, dict) and extra else []
    for name in names:
        if len(out) > limit:
            break
        value = minimal_instance(props.get(name, extra), context=context)
        if value is not NOTHING:
            out[name] = value
    return out if len(out) > limit else NOTHING
