"""A value the writer may send matches two branches of the reader's ``oneOf``, which rejects it.

``oneOf`` accepts a value valid under exactly one branch. Two branches that overlap (``string`` and ``string,
maxLength 5``) reject every value in the overlap, so removing one of them *widens* what the union accepts: new
writers may then send ``"ab"``, which matched both old branches and which old readers reject. Adding a branch that
overlaps another, or loosening one until it does, is the mirror: values old writers send now match twice.

The witness is a value the writer accepts that is valid under two reader branches at once (the smallest instance
of the writer's schema intersected with both branches), so the break is proved like any other.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations
from typing import Any

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.pairing import (
    SchemaPair,
    accepts_type,
    as_dict,
    canonical,
    own_or_member_types,
    types_of,
)

_MAX_BRANCHES = 16  # pairs of branches tried: 120 at most


@rule(
    scope="schema",
    category="structure",
    old_writes=(
        "oneof-overlap-added",
        Severity.ERROR,
        "Two branches of the reader's oneOf now overlap: a value old writers send matches both and is rejected.",
        "Keep the branches exclusive (a const tag, a discriminator or disjoint bounds), or use anyOf if a value may "
        "match several; change readers only once no writer sends values in the overlap.",
    ),
    new_writes=(
        "oneof-overlap-removed",
        Severity.ERROR,
        "A oneOf lost one of two overlapping branches, so it accepts more: new writers may send a value that matched "
        "both old branches, which old readers reject.",
        "Deploy every reader with the new oneOf first (consumers first), then let writers send values that used to "
        "match two branches; or keep the old branches until then.",
    ),
)
def oneof_overlap(pair: SchemaPair) -> Iterator[Hit]:
    branches = pair.reader.get("oneOf")
    if not isinstance(branches, list) or not 2 <= len(branches) <= _MAX_BRANCHES:
        return
    if pair.same(pair.writer.get("oneOf"), branches):
        return
    from pytest_cdcompat.kinds.schema.generate.validate import accepts, is_valid

    for i, j in combinations(range(len(branches)), 2):
        bi, bj = as_dict(branches[i]), as_dict(branches[j])
        if bi is None or bj is None or _disjoint_types(bi, bj):
            continue
        value = _in_both(pair.writer, branches[i], branches[j], pair.context)
        if value is _NO or not accepts(pair.writer, value, pair.context):
            continue
        if not (is_valid(branches[i], value) and is_valid(branches[j], value)):
            continue
        yield Hit(
            f"/oneOf/{j}",
            f"oneOf branches #{i} and #{j} {pair.changed('now overlap', 'overlapped before')}: "
            f"a value valid under both is rejected by the {pair.changed('new', 'old')} reader",
            witness=value,
        )
        return


_NO = object()


def _disjoint_types(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """No JSON type is admitted by both (a string branch and an object branch never overlap): no value can match
    both, so no search for one (the intersection's minimal value would be looked for by drawing, in vain)."""
    ta, tb = own_or_member_types(a), own_or_member_types(b)
    if ta is not None and tb is not None:
        if not any(accepts_type(tb, t) for t in ta) and not any(accepts_type(ta, t) for t in tb):
            return True
    return _disjoint_tags(a, b)


def _disjoint_tags(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Both require a property whose values they list, and no value is on both lists (``kind: event0`` and ``kind:
    event1``): the usual tagged union, whose branches never overlap."""
    if "object" not in (types_of(a) or {"object"}) or "object" not in (types_of(b) or {"object"}):
        return False
    pa, pb = a.get("properties") or {}, b.get("properties") or {}
    for name in set(a.get("required") or ()) & set(b.get("required") or ()):
        va, vb = _listed(pa.get(name)), _listed(pb.get(name))
        if va is not None and vb is not None and not va & vb:
            return True
    return False


def _listed(schema: Any) -> set[str] | None:
    """The canonical texts of the values a property schema lists (``enum``), if it lists them."""
    if not isinstance(schema, dict) or not isinstance(schema.get("enum"), list):
        return None
    return {canonical(v) for v in schema["enum"]}


def _in_both(writer: Any, a: Any, b: Any, context: str) -> Any:
    from pytest_cdcompat.catalogue import NOTHING
    from pytest_cdcompat.kinds.schema.generate.minimal import minimal_instance

    value = minimal_instance({"allOf": [writer, a, b]}, context=context)
    return _NO if value is NOTHING else value
