"""A ``oneOf``/``anyOf`` variant the writer may send has no matching variant on the reader.

Removing a variant from a request union breaks old clients sending it; adding a variant to a response or event union
breaks old readers. Variants are matched by identity (the component they came from, a const or a tag property),
then by type; a variant the reader may still accept some other way is only reported when a value proves it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.pairing import (
    SchemaPair,
    accepts_type,
    as_dict,
    branch_identity,
    match_branch,
    types_of,
)


@rule(
    scope="schema",
    category="structure",
    old_writes=(
        "variant-removed",
        Severity.ERROR,
        "A oneOf/anyOf variant old writers send is no longer accepted.",
        "Keep accepting the variant until no writer sends it; remove it last.",
    ),
    new_writes=(
        "variant-added",
        Severity.ERROR,
        "New writers may send a oneOf/anyOf variant old readers do not know.",
        "Teach every reader the new variant first (consumers first), then start sending it.",
    ),
)
def branch_not_accepted(pair: SchemaPair) -> Iterator[Hit]:
    rkw = "oneOf" if "oneOf" in pair.reader else ("anyOf" if "anyOf" in pair.reader else None)
    if rkw is None:
        return
    rbranches = pair.reader[rkw]
    wkw = "oneOf" if "oneOf" in pair.writer else ("anyOf" if "anyOf" in pair.writer else None)
    wbranches = pair.writer[wkw] if wkw else [pair.writer]
    for i, wb in enumerate(wbranches):
        if as_dict(wb) is None:
            continue
        if any(pair.same(wb, rb) for rb in rbranches):
            continue
        if match_branch(wb, rbranches) is not None:
            continue
        if not branch_identity(wb) and _overlaps(wb, rbranches) > 1:
            continue  # no identity and several candidates: only a value can tell (the generator's search)
        name = wb.get("x-cdc-ref") if isinstance(wb, dict) else None
        label = f"variant {name!r}" if name else (f"variant #{i}" if wkw else "the value")
        where = f"/{wkw}/{i}" if wkw else f"/{rkw}"
        from pytest_cdcompat.kinds.schema.generate.minimal import minimal_instance

        # a small value of the variant itself (the engine falls back to its search if another variant takes it)
        yield Hit(
            where,
            f"{label} {pair.changed('is no longer accepted', 'was added')} ({rkw})",
            witness=minimal_instance(wb, context=pair.context),
            node=wb if wkw else None,
        )


def _overlaps(branch: dict[str, Any], rbranches: list[Any]) -> int:
    """How many reader branches admit a type the writer's branch may send."""
    wt = types_of(branch)
    count = 0
    for rb in rbranches:
        rd = as_dict(rb)
        if rd is None:
            continue
        rt = types_of(rd)
        if wt is None or rt is None or any(accepts_type(rt, t) for t in wt):
            count += 1
    return count
