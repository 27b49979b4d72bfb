"""Composite strategies for arrays and objects, and the any-JSON strategy for ``true`` schemas.

Why a module of its own: ``st.composite`` inspects the decorated function's source when it is applied, which cost
seconds on large specs when it was applied once per schema node. Here each composite is decorated once, at import,
and takes a frozen spec of already-built child strategies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from pytest_cdcompat.kinds.schema.generate.encode import canonical_json
from pytest_cdcompat.kinds.schema.generate.scalars import CHARS

Strategy = st.SearchStrategy[Any]


def any_json() -> Strategy:
    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(CHARS, max_size=8)
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(CHARS, max_size=6), inner, max_size=3),
        max_leaves=6,
    )


@dataclass(frozen=True)
class ArraySpec:
    ready: list[Strategy]  # prefixItems strategies that can be drawn
    items: Strategy | None  # the rest; None: nothing may follow the prefix
    lo: int
    hi: int | None
    rest_lo: int
    rest_hi: int
    hit: Strategy | None  # values matching ``contains``, inserted ``need`` times
    need: int
    unique: bool


@st.composite
def arrays(draw: Any, spec: ArraySpec) -> list[Any]:
    ready = spec.ready
    count = draw(st.integers(min(spec.lo, len(ready)), len(ready) if spec.hi is None else min(spec.hi, len(ready))))
    out = [draw(s) for s in ready[:count]]
    if count < len(ready) or spec.items is None:
        return out
    rest: list[Any] = draw(
        st.lists(
            spec.items, min_size=spec.rest_lo, max_size=spec.rest_hi, unique_by=canonical_json if spec.unique else None
        )
    )
    if spec.hit is not None:
        for _ in range(spec.need):
            rest.insert(draw(st.integers(0, len(rest))), draw(spec.hit))
    return out + rest


@dataclass(frozen=True)
class ObjectSpec:
    fields: dict[str, Strategy]  # required
    optional: dict[str, Strategy]
    order: list[str]  # declaration order of the emitted names
    deps: dict[str, list[str]]  # dependentRequired
    extras: Strategy | None  # (name, value) pairs beyond ``properties``
    lo: int
    hi: int | None
    rarity: dict[str, int]


_COINS: dict[int, Strategy] = {}


def _coin(rarity: int) -> Strategy:
    if rarity not in _COINS:
        top = 2**rarity - 1
        _COINS[rarity] = st.booleans() if rarity == 1 else st.integers(0, top).map(lambda x: x == top)
    return _COINS[rarity]


@st.composite
def objects(draw: Any, spec: ObjectSpec) -> dict[str, Any]:
    fields, optional, deps = spec.fields, spec.optional, spec.deps
    drawn: dict[str, Any] = {}
    # each optional value is drawn right after its coin, so the shrinker deletes a property as one span;
    # the top of the coin's range means "present", so shrinking (towards 0) removes optional properties
    for n in spec.order:
        if n in fields:
            drawn[n] = draw(fields[n])
        elif draw(_coin(spec.rarity[n])):
            drawn[n] = draw(optional[n])
    for n in optional:  # minProperties: take more declared properties, in order
        if len(drawn) >= spec.lo:
            break
        if n not in drawn:
            drawn[n] = draw(optional[n])
    changed = True
    while changed:  # dependentRequired closure
        changed = False
        for n in list(drawn):
            for d in deps.get(n, []):
                if d not in drawn and d in optional:
                    drawn[d] = draw(optional[d])
                    changed = True
    out = {n: drawn[n] for n in spec.order if n in drawn}
    if spec.extras is not None:
        room = 3 if spec.hi is None else max(0, spec.hi - len(out))
        want = min(max(0, spec.lo - len(out)), room)
        for k, v in draw(
            st.lists(spec.extras, min_size=want, max_size=max(want, min(room, 2)), unique_by=lambda kv: kv[0])
        ):
            if k not in out:
                out[k] = v
    return out
