"""A value's JSON type the writer may send is no longer (or not yet) accepted by the reader.

Breaks the reader of the version that lost the type: ``type: [string, integer]`` -> ``type: string`` breaks old
writers of integers (requests, or messages read by new consumers); ``integer`` -> ``number`` in a response breaks old
clients that parse integers. ``null`` is the nullability rule's business.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pytest_cdcompat.catalogue import NOTHING, Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.pairing import JSON_TYPES, SchemaPair, accepts_type, types_of

SAMPLES = {"string": "", "integer": 0, "number": 0.5, "boolean": False, "array": [], "object": {}}
ADVICE = (
    "Accept both types while old and new versions run side by side (a type list or oneOf), move every writer to "
    "the new type, then drop the old one; or add a new field with the new type and deprecate the old field."
)


@rule(
    scope="schema",
    category="type",
    old_writes=("type-narrowed", Severity.ERROR, "The reader no longer accepts a type old writers send.", ADVICE),
    new_writes=("type-widened", Severity.ERROR, "New writers send a type old readers do not accept.", ADVICE),
    ids=[("type-changed", Severity.ERROR, "The type changed to one the other version does not accept.", ADVICE)],
)
def type_not_accepted(pair: SchemaPair) -> Iterator[Hit]:
    rtypes = types_of(pair.reader)
    if rtypes is None or "type" not in pair.reader:
        return  # no types, or types implied by enum/const values: the value rules name the values
    wtypes = _writer_types(pair.writer)
    candidates = set(SAMPLES) if wtypes is None else wtypes - {"null"}
    lost = sorted(t for t in candidates if not accepts_type(rtypes, t))
    if not lost:
        return
    kept = sorted(t for t in candidates if accepts_type(rtypes, t))
    old_t = sorted(types_of(pair.old) or {"any"})
    new_t = sorted(types_of(pair.new) or {"any"})
    # integer -> number keeps every old value: a widening, not a change of type
    covers = wtypes is not None and all(accepts_type(wtypes, t) for t in rtypes - {"null"})
    rule_id = "type-changed" if not kept and wtypes is not None and not covers else None
    witness = SAMPLES.get(lost[0], NOTHING)
    if lost[0] == "number" and "integer" in rtypes:
        witness = 0.5
    who = pair.changed(
        "sent by old writers is rejected by new readers", "sent by new writers is rejected by old readers"
    )
    article = "an" if lost[0][0] in "aeiou" else "a"
    where = "/type" if "type" in pair.new or "enum" not in pair.new else "/enum"
    yield Hit(
        where,
        f"type changed from {'/'.join(old_t)} to {'/'.join(new_t)}: {article} {lost[0]} value {who}",
        witness=witness,
        rule_id=rule_id,
    )


def _writer_types(writer: dict[str, Any], seen: frozenset[int] = frozenset()) -> set[str] | None:
    """The types the writer may send: its own ``type``, else what its ``allOf`` members and variants admit."""
    own = types_of(writer)
    if own is not None:
        return own
    sets = [
        t
        for m in writer.get("allOf") or ()
        if isinstance(m, dict) and id(m) not in seen and (t := _writer_types(m, seen | {id(writer)})) is not None
    ]
    for kw in ("oneOf", "anyOf"):  # a union sends what its variants send
        variants = [
            _writer_types(b, seen | {id(writer)}) if isinstance(b, dict) and id(b) not in seen else None
            for b in writer.get(kw) or ()
        ]
        known = [v for v in variants if v is not None]
        if variants and len(known) == len(variants):
            sets.append(set().union(*known))
    if not sets:
        return None
    return {t for t in JSON_TYPES if all(accepts_type(s, t) for s in sets)}
