"""Canonical schema -> hypothesis strategy, producing valid values *by construction*.

Why by construction: a counterexample search draws from the *writer's* schema, and a strategy that filters random
JSON would spend every example on rejections. So each node is normalised (``merge.flatten``: ``allOf`` merged),
``anyOf``/``oneOf``/``if`` are distributed over their branches, a type is chosen, and the value is built within the
node's bounds. Where construction is only approximate (two patterns, ``not``, ``contains``, ``dependentSchemas``...)
the node filters itself with the validator, and the root always does, as a safety net.

Semantics (see docs/generator.md):
- tolerant (default): objects emit declared properties only (``properties``; ``patternProperties`` and an explicit
  ``additionalProperties`` schema declare a map); ``strict=True`` may add extra properties wherever the schema
  leaves its content model open.
- context ``request`` never emits ``readOnly`` properties, ``response`` never emits ``writeOnly`` ones.
- recursion: descending into a node from which a cycle is reachable costs one unit of budget; at zero such a child
  is empty, so optional properties are omitted, arrays stay empty, and other ``anyOf`` branches are taken. When a
  required property is recursive all the way down, the strategy is empty (``st.nothing()``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

import pytest_cdcompat.proving.driver  # noqa: F401  (hypothesis' storage folder, before any strategy)
from pytest_cdcompat.kinds.schema.generate.containers import ArraySpec, ObjectSpec, any_json, arrays, objects
from pytest_cdcompat.kinds.schema.generate.merge import (
    FILTER,
    FLAG,
    ORIGIN,
    Recursion,
    flagged,
    flatten,
    merge,
    pattern_schema,
    pin_discriminator,
    search,
    types_of,
)
from pytest_cdcompat.kinds.schema.generate.scalars import CHARS as _CHARS
from pytest_cdcompat.kinds.schema.generate.scalars import integers as _integers
from pytest_cdcompat.kinds.schema.generate.scalars import numbers as _numbers
from pytest_cdcompat.kinds.schema.generate.scalars import strings as _strings
from pytest_cdcompat.kinds.schema.generate.validate import accepts, is_valid

Strategy = SearchStrategy[Any]
BUDGET = 3
_INEXACT = frozenset(
    {
        FILTER,
        "oneOf",
        "not",
        "if",
        "contains",
        "uniqueItems",
        "dependentSchemas",
        "dependentRequired",
        "propertyNames",
        "unevaluatedProperties",
        "unevaluatedItems",
        "minProperties",
        "maxProperties",
        "multipleOf",
        "patternProperties",
        "maxContains",
    }
)
_NOT_TYPES = "x-cdc-gen-not-types"


FILTER_STATS = {"checked": 0, "rejected": 0}  # value-level filters (safety net, oneOf, else); for tests and tuning


def _counted(pred: Callable[[Any], bool]) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        ok = pred(value)
        FILTER_STATS["checked"] += 1
        FILTER_STATS["rejected"] += not ok
        return ok

    return check


_HINTED_NAMES: ContextVar[tuple[str, ...]] = ContextVar("cdcompat_hinted_names", default=())
_MAX_HINTS = 64


@contextmanager
def hinted_names(names: Iterable[str]) -> Iterator[None]:
    """Within the block, objects that may carry undeclared properties (an open object under ``--strict``, a map)
    also draw their extra names from ``names``: the names a reader declares, so a reader's ``properties``,
    ``patternProperties`` or ``dependentSchemas`` entry meets the values a writer may send under that name."""
    token = _HINTED_NAMES.set(tuple(sorted(set(names)))[:_MAX_HINTS])
    try:
        yield
    finally:
        _HINTED_NAMES.reset(token)


def declared_names(schema: Any, limit: int = 2000) -> set[str]:
    """Property names ``schema`` gives a meaning to anywhere (``properties``, ``required``, ``dependentSchemas``,
    ``dependentRequired``, a sample name for each ``patternProperties`` pattern), walking at most ``limit`` nodes
    of the (possibly cyclic) canonical graph."""
    from pytest_cdcompat.core.regex import sample_key

    out: set[str] = set()
    seen: set[int] = set()
    stack = [schema]
    while stack and len(seen) < limit:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        for kw in ("properties", "dependentSchemas", "dependentRequired"):
            sub = node.get(kw)
            if isinstance(sub, dict):
                out.update(k for k in sub if isinstance(k, str) and not k.startswith("x-cdc-"))
        for kw in ("required",):
            out.update(n for n in node.get(kw) or () if isinstance(n, str))
        for needed in (node.get("dependentRequired") or {}).values():
            if isinstance(needed, list):
                out.update(n for n in needed if isinstance(n, str))
        for pattern in node.get("patternProperties") or {}:
            key = sample_key(pattern) if isinstance(pattern, str) else None
            if key is not None:
                out.add(key)
        stack.extend(v for k, v in node.items() if isinstance(v, (dict, list)) and k != "enum" and k != "const")
    return out


def strategy_for(schema: Any, *, context: str = "message", strict: bool = False) -> Strategy:
    """A strategy of values valid for ``schema`` (``st.nothing()`` when none can be built)."""
    built = _Builder(schema, context, strict).build(schema, BUDGET)
    if built is None:
        return st.nothing()
    return built.filter(_counted(lambda v: accepts(schema, v, context)))


class _Builder:
    def __init__(self, root: Any, context: str, strict: bool) -> None:
        self.recursion = Recursion(root)
        self.context = context
        self.strict = strict
        self.memo: dict[tuple[int, int], Strategy | None] = {}
        self.keep: list[Any] = []

    # -- descent -------------------------------------------------------------------------------------------------
    def child(self, schema: Any, budget: int) -> Strategy | None:
        """A structural descent (property, item...): recursive children cost budget."""
        if self.recursion.reaches_cycle(schema):
            if budget <= 0:
                return None
            budget -= 1
        return self.build(schema, budget)

    def build(self, schema: Any, budget: int, chain: frozenset[int] = frozenset()) -> Strategy | None:
        if schema is True or (isinstance(schema, dict) and not schema):
            return any_json()
        if not isinstance(schema, dict):
            return None
        # a node from which no cycle is reachable builds the same strategy at any budget
        key = (id(schema), budget if self.recursion.reaches_cycle(schema) else -1)
        memoise = not chain and self.recursion.known(schema)
        if memoise and key in self.memo:
            return self.memo[key]
        flat = flatten(schema)
        result = None if flat is False else self._node(flat, schema, budget, chain | {id(schema)})  # type: ignore[arg-type]
        if result is not None and (("allOf" in schema) or _inexact(flat)):  # type: ignore[arg-type]
            result = result.filter(_counted(self._checker(schema, flat)))  # type: ignore[arg-type]
        if memoise:
            self.memo[key] = result
            self.keep.append(schema)
        return result

    def _checker(self, origin: Any, flat: dict[str, Any]) -> Callable[[Any], bool]:
        filters = list(flat.get(FILTER, ()))
        ctx = self.context
        return lambda v: accepts(origin, v, ctx) and all(accepts(f, v, ctx) for f in filters)

    def _branch(self, schema: Any, budget: int, chain: frozenset[int]) -> Strategy | None:
        """A combinator descent (anyOf branch, if/then): free, but a combinator cycle yields nothing."""
        if isinstance(schema, dict) and id(schema) in chain:
            return None
        return self.build(schema, budget, chain)

    # -- one flat node -------------------------------------------------------------------------------------------
    def _node(self, flat: dict[str, Any], origin: Any, budget: int, chain: frozenset[int]) -> Strategy | None:
        for comb in ("anyOf", "oneOf"):
            if comb in flat:
                return self._distribute(flat, comb, budget, chain)
        if "if" in flat:
            return self._conditional(flat, budget, chain)
        flat = self._discriminated(flat, origin)
        if flat.get("x-cdc-gen-redirect"):
            opts = [s for s in (self._branch(t, budget, chain) for t in flat["x-cdc-gen-redirect"]) if s is not None]
            return st.one_of(opts) if opts else None
        negated = flat.get("not")
        types = types_of(flat)
        banned = list(flat.get(_NOT_TYPES, ()))
        if isinstance(negated, dict) and set(negated) <= {"type"} and "type" in negated:
            banned += types_of(negated)
        elif negated is True:
            return None
        types = [t for t in types if t not in banned and not (t == "integer" and "number" in banned)]
        if "integer" in banned:
            flat = {**flat, _NOT_TYPES: banned}
        if "const" in flat or "enum" in flat:
            return self._enumerated(flat, origin)
        opts = []
        for t in types:
            s = self._typed(t, flat, budget)
            if s is not None:
                opts.append(s)
        return st.one_of(opts) if opts else None

    def _distribute(self, flat: dict[str, Any], comb: str, budget: int, chain: frozenset[int]) -> Strategy | None:
        base = {k: v for k, v in flat.items() if k != comb}
        disc = flat.get("discriminator")
        opts = []
        # oneOf: a branch that is only a type excludes that type from its siblings (fewer filtered values)
        type_only = (
            [
                types_of(f)
                if isinstance(f, dict) and f and all(k == "type" or k.startswith("x-cdc-") for k in f)
                else []
                for f in map(flatten, flat[comb])
            ]
            if comb == "oneOf"
            else []
        )
        for i, branch in enumerate(flat[comb]):
            fb = flatten(branch)
            merged = fb if fb is False else merge(base, fb)  # type: ignore[arg-type]
            if merged is False:
                continue
            banned = sorted({t for j, ts in enumerate(type_only) if j != i for t in ts})
            if banned:
                merged = {**merged, _NOT_TYPES: banned}  # type: ignore[dict-item]
            if isinstance(disc, dict):
                merged = pin_discriminator(merged, disc, branch)  # type: ignore[arg-type]
            if merged is False:
                continue
            merged = {**merged, ORIGIN: branch}  # type: ignore[dict-item]
            if isinstance(branch, dict) and id(branch) in chain:
                continue
            self.keep.append(merged)
            s = self._branch(merged, budget, chain | {id(branch)})
            if s is not None:
                opts.append(s)
        if not opts:
            return None
        out = st.one_of(opts)
        if comb == "oneOf":
            branches, ctx = flat[comb], self.context
            out = out.filter(_counted(lambda v: sum(accepts(b, v, ctx) for b in branches) == 1))
        return out

    def _conditional(self, flat: dict[str, Any], budget: int, chain: frozenset[int]) -> Strategy | None:
        base = {k: v for k, v in flat.items() if k not in ("if", "then", "else")}
        cond = flat["if"]
        opts = []
        yes = merge(base, flatten(cond)) if flatten(cond) is not False else False  # type: ignore[arg-type]
        if yes is not False and "then" in flat:
            then = flatten(flat["then"])
            yes = merge(yes, then) if then is not False else False  # type: ignore[arg-type]
        if yes is not False:
            self.keep.append(yes)
            s = self._branch(yes, budget, chain)
            if s is not None:
                opts.append(s)
        no: Any = base
        if "else" in flat:
            other = flatten(flat["else"])
            no = merge(base, other) if other is not False else False  # type: ignore[arg-type]
        if no is not False:
            self.keep.append(no)
            s = self._branch(no, budget, chain)
            if s is not None:
                ctx = self.context
                opts.append(s.filter(_counted(lambda v: not accepts(cond, v, ctx))))
        return st.one_of(opts) if opts else None

    def _discriminated(self, flat: dict[str, Any], origin: Any) -> dict[str, Any]:
        """Inheritance-style discriminator: a mapping target pins its key; the base generates its targets."""
        disc = flat.get("discriminator")
        if not isinstance(disc, dict) or not isinstance(disc.get("mapping"), dict):
            return flat
        targets = [v for v in disc["mapping"].values() if isinstance(v, dict)]
        identity = flat.get(ORIGIN, origin)  # a branch merged with its parent is still that branch
        if any(t is identity for t in targets):
            pinned = pin_discriminator(flat, disc, identity)
            return pinned if isinstance(pinned, dict) else flat
        if targets and ORIGIN not in flat and self.recursion.known(origin):
            return {**flat, "x-cdc-gen-redirect": list({id(t): t for t in targets}.values())}
        return flat

    def _enumerated(self, flat: dict[str, Any], origin: Any) -> Strategy | None:
        candidates = [flat["const"]] if "const" in flat else list(flat["enum"])
        rest = {k: v for k, v in flat.items() if k not in ("enum", "const")}
        filters = list(flat.get(FILTER, ()))
        ok = [v for v in candidates if is_valid(rest, v) and all(is_valid(f, v) for f in filters)]
        if "enum" in flat and "const" in flat:
            ok = [v for v in ok if is_valid({"enum": flat["enum"]}, v)]
        return st.sampled_from(ok) if ok else None

    # -- types ---------------------------------------------------------------------------------------------------
    def _typed(self, t: str, flat: dict[str, Any], budget: int) -> Strategy | None:
        if t == "null":
            return st.none()
        if t == "boolean":
            return st.booleans()
        if t == "integer":
            return _integers(flat)
        if t == "number":
            return _numbers(flat, integral="integer" not in flat.get(_NOT_TYPES, ()))
        if t == "string":
            return _strings(flat)
        if t == "array":
            return self._array(flat, budget)
        return self._object(flat, budget)

    def _array(self, flat: dict[str, Any], budget: int) -> Strategy | None:
        recursive = self.recursion.reaches_cycle(flat)
        prefix = [self.child(s, budget) for s in flat.get("prefixItems", [])]
        items_schema = flat.get("items", flat.get("unevaluatedItems", True))
        items = self.child(items_schema, budget)
        lo, hi = flat.get("minItems", 0), flat.get("maxItems")
        cut = next((i for i, s in enumerate(prefix) if s is None), None)
        if cut is not None:
            prefix, hi = prefix[:cut], cut if hi is None else min(hi, cut)
        if items is None:
            hi = len(prefix) if hi is None else min(hi, len(prefix))
        if hi is not None and lo > hi:
            return None
        ready: list[Strategy] = [s for s in prefix if s is not None]
        rest_lo = max(0, lo - len(ready))
        rest_hi = (hi - len(ready)) if hi is not None else rest_lo + (2 if recursive else 4)
        rest_hi = max(rest_hi, rest_lo)
        contains, need = flat.get("contains"), flat.get("minContains", 1)
        hit: Strategy | None = None
        if contains is not None and need > 0 and items is not None:
            fi, fc = flatten(items_schema), flatten(contains)
            both = merge(fi, fc) if fi is not False and fc is not False else False  # type: ignore[arg-type]
            if both is not False:
                self.keep.append(both)
                hit = self.child(both, budget)
            if hit is None:
                return None
            rest_lo, rest_hi = max(0, rest_lo - need), max(0, rest_hi - need)
        unique = bool(flat.get("uniqueItems"))

        return arrays(ArraySpec(ready, items, lo, hi, rest_lo, rest_hi, hit, need, unique))

    def _object(self, flat: dict[str, Any], budget: int) -> Strategy | None:
        props: dict[str, Any] = dict(flat.get("properties") or {})
        required = list(flat.get("required") or [])
        patterns: dict[str, Any] = dict(flat.get("patternProperties") or {})
        extra = flat.get("additionalProperties", flat.get("unevaluatedProperties"))
        negated = flat.get("not")
        forbidden = (
            set(negated["required"])
            if isinstance(negated, dict) and set(negated) == {"required"} and len(negated["required"]) == 1
            else set()
        )
        flag = FLAG.get(self.context)
        hidden = {n for n, s in props.items() if flag and flagged(s, flag)}
        if "propertyNames" in flat:
            forbidden |= {n for n in [*props, *required] if not is_valid(flat["propertyNames"], n)}
        fields: dict[str, Strategy] = {}
        for name in required:
            if name in hidden:
                continue
            if name in forbidden:
                return None
            sub = props[name] if name in props else pattern_schema(patterns, name, extra)
            s = self.child(sub, budget)
            if s is None:
                return None
            fields[name] = s
        optional: dict[str, Strategy] = {}
        rarity: dict[str, int] = {}  # an optional property is drawn with probability 2**-rarity
        for name, sub in props.items():
            if name in fields or name in hidden or name in forbidden or name in required:
                continue
            s = self.child(sub, budget)
            if s is not None:
                optional[name] = s
                # recursive properties get rarer with depth, or a wide recursive graph explodes in size
                rarity[name] = 1 + (BUDGET - budget if self.recursion.reaches_cycle(sub) else 0)
        deps = flat.get("dependentRequired") or {}
        optional = {n: s for n, s in optional.items() if all(d in fields or d in optional for d in deps.get(n, []))}
        extras = self._extras(props, patterns, extra, budget)
        lo, hi = flat.get("minProperties", 0), flat.get("maxProperties")
        order = [n for n in props if n in fields or n in optional] + [n for n in fields if n not in props]

        return objects(ObjectSpec(fields, optional, order, deps, extras, lo, hi, rarity))

    def _extras(self, props: dict[str, Any], patterns: dict[str, Any], extra: Any, budget: int) -> Strategy | None:
        """Entries beyond ``properties``: a declared map (tolerant), or any open content model (strict)."""
        opts: list[Strategy] = []
        for pattern, sub in patterns.items():
            value = self.child(sub, budget)
            try:
                re.compile(pattern)
            except re.error:
                continue
            if value is not None:
                names = st.from_regex(pattern, alphabet=_CHARS).filter(lambda k: k not in props)
                opts.append(st.tuples(names, value))
        declared_map = isinstance(extra, dict) and any(not k.startswith("x-cdc-") for k in extra)
        if extra is not False and (declared_map or self.strict):
            value = any_json() if extra in (None, True) else self.child(extra, budget)
            if value is not None:
                free: Strategy = st.text(_CHARS, min_size=1, max_size=8)
                hinted = [n for n in _HINTED_NAMES.get() if n not in props]
                if hinted:  # names the reader gives a meaning to (random text would never hit them)
                    free = st.one_of(st.sampled_from(hinted), free)
                names = free.filter(lambda k: k not in props and not any(search(p, k) for p in patterns))
                opts.append(st.tuples(names, value))
        return st.one_of(opts) if opts else None


# -- helpers ---------------------------------------------------------------------------------------------------------
def _inexact(flat: dict[str, Any]) -> bool:
    if any(k in flat for k in _INEXACT):
        return True
    if ("pattern" in flat or "format" in flat) and ("minLength" in flat or "maxLength" in flat):
        return True
    if "pattern" in flat and "format" in flat:
        return True
    required = flat.get("required") or []
    return any(r not in (flat.get("properties") or {}) for r in required)
