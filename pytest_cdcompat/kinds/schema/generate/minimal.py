"""Small deterministic instances: ``minimal_instance`` and ``embed`` (a witness placed at an instance path).

Why not Hypothesis here: rules know *where* a change bites (``/properties/status`` lost the value ``"done"``), and the
engine wants a whole document that shows it: the witness at its place, everything around it as small as possible,
and the same output every time. So values are built directly: required properties only, minimal lengths, the first
enum value, the bound nearest zero; each candidate is checked with the validator and the next is tried on failure.
Only when no hand-made candidate is valid (a ``pattern``, a ``uniqueItems`` clash...) do we ask Hypothesis
(``find`` with ``derandomize=True``: deterministic and shrunk) for the node.

``embed`` follows ``properties``/``patternProperties``/``additionalProperties``, ``items``/``prefixItems`` and the
``anyOf``/``oneOf``/``allOf``/``if`` branches that can host the path, preferring a result the schema accepts.
Recursion is cut by allowing a node at most twice on the current path.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

from pytest_cdcompat.catalogue.base import NOTHING
from pytest_cdcompat.kinds.schema.generate.merge import (
    FILTER,
    FLAG,
    ORIGIN,
    flagged,
    flatten,
    merge,
    pattern_schema,
    pin_discriminator,
    search,
    types_of,
)
from pytest_cdcompat.kinds.schema.generate.validate import accepts
from pytest_cdcompat.kinds.schema.generate.values import STRING_EXAMPLES, int_bounds

_ORDER = ("object", "array", "string", "integer", "number", "boolean", "null")


def minimal_instance(schema: Any, *, context: str = "message") -> Any:
    """A small deterministic instance valid for ``schema``, or ``NOTHING`` when none can be found."""
    return _Minimal(context).value(schema, ())


def embed(
    schema: Any,
    path: Sequence[str | int],
    witness: Any = NOTHING,
    *,
    missing: bool = False,
    context: str = "message",
    toward: Any = None,
) -> Any:
    """An instance of ``schema`` holding ``witness`` at ``path`` (or with that place absent when ``missing``).

    Siblings are filled minimally; the result aims to be valid for ``schema`` apart from the witness itself.
    ``NOTHING`` when no instance can host the path. With ``toward`` (a schema node inside ``schema``: the node a
    rule's claim is about), a union's branches from which that node is reached are tried first, so the witness
    lands in the branch the claim is about rather than in the first branch that has the path.
    """
    # first without checking each union level's value (a check per level validates the same subtree again at every
    # level: quadratic in the depth of recursive unions); the result is kept only when the whole schema accepts it,
    # else the value is built again checking every level, as before
    quick = _Minimal(context, toward, lazy=True)
    value = quick.embed(schema, list(path), witness, missing, ())
    if value is NOTHING or not quick.lazy_choices or accepts(schema, value, context):
        return value
    return _Minimal(context, toward).embed(schema, list(path), witness, missing, ())


_FOUND: dict[tuple[str, str], Any] = {}  # exact text of a tree schema and context -> its value (a pure function)
_FOUND_MAX = 4096
_TREE_MAX = 2000  # nodes; larger schemas are not memoised (their text would cost more than it saves)


def _find(schema: Any, context: str) -> Any:
    """A derandomised hypothesis value of ``schema``. The draw depends only on what the schema says, so a schema
    met again (a ``pattern`` property of a component reached from a thousand operations, the same merged ``oneOf``
    branches) is drawn once: the memo is keyed by the schema's exact JSON text (``x-cdc-loc`` aside, which no
    strategy reads), and only for trees (a shared or recursive node has no exact text, so it is not memoised)."""
    key = _tree_text(schema)
    if key is not None:
        hit = _FOUND.get((key, context), _MISSING)
        if hit is not _MISSING:
            return hit
    found = _draw(schema, context)
    if key is not None and len(_FOUND) < _FOUND_MAX:
        _FOUND[(key, context)] = found
    return found


_MISSING: Any = object()


def _draw(schema: Any, context: str) -> Any:
    # the strategies (and hypothesis) are imported only when the constructive candidates all fail
    from pytest_cdcompat.kinds.schema.generate.strategies import strategy_for
    from pytest_cdcompat.proving.driver import NONE, find_first

    strategy = strategy_for(schema, context=context)
    if strategy.is_empty:
        return NOTHING
    found = find_first(strategy)
    return NOTHING if found is NONE else found


def _tree_text(schema: Any) -> str | None:
    """The exact JSON text of ``schema`` without ``x-cdc-loc`` keys, or ``None`` when a node is met twice (shared or
    recursive) or the tree is larger than ``_TREE_MAX`` nodes."""
    import json

    seen: set[int] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            values: Any = [v for k, v in node.items() if k != "x-cdc-loc"]
        elif isinstance(node, list):
            values = node
        else:
            continue
        if id(node) in seen or len(seen) >= _TREE_MAX:
            return None
        seen.add(id(node))
        stack.extend(v for v in values if isinstance(v, (dict, list)))

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k != "x-cdc-loc"}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    try:
        return json.dumps(strip(schema), sort_keys=False, separators=(",", ":"), default=repr)
    except (TypeError, ValueError, RecursionError):
        return None


class _Minimal:
    def __init__(self, context: str, toward: Any = None, lazy: bool = False) -> None:
        self.context = context
        self.keep: list[Any] = []
        self.toward = toward
        self.reaching: dict[int, bool] = {}
        self.lazy = lazy  # embed: take a union's first branch that hosts the path, unchecked
        self.lazy_choices = 0  # how many union levels were passed that way

    def reaches(self, node: Any) -> bool:
        """Whether ``self.toward`` is ``node`` or inside it (an iterative walk; the answer is kept per node)."""
        if self.toward is None:
            return False
        key = id(node)
        known = self.reaching.get(key)
        if known is None:
            seen: set[int] = set()
            work = [node]
            known = False
            while work:
                item = work.pop()
                if item is self.toward:
                    known = True
                    break
                if id(item) in seen:
                    continue
                seen.add(id(item))
                if isinstance(item, dict):
                    work.extend(v for v in item.values() if isinstance(v, (dict, list)))
                elif isinstance(item, list):
                    work.extend(v for v in item if isinstance(v, (dict, list)))
            self.reaching[key] = known
        return known

    def ok(self, schema: Any, flat: dict[str, Any], value: Any) -> bool:
        ctx = self.context
        return accepts(schema, value, ctx) and all(accepts(f, value, ctx) for f in flat.get(FILTER, ()))

    # -- minimal values ------------------------------------------------------------------------------------------
    def value(self, schema: Any, stack: tuple[int, ...]) -> Any:
        if schema is True:
            return None
        if not isinstance(schema, dict):
            return NOTHING
        if stack.count(id(schema)) >= 2:
            return NOTHING
        flat = flatten(schema)
        if flat is False:
            return NOTHING
        stack = (*stack, id(schema))
        for candidate in self._candidates(flat, schema, stack):  # type: ignore[arg-type]
            if candidate is not NOTHING and self.ok(schema, flat, candidate):  # type: ignore[arg-type]
                return candidate
        if len(stack) > 1 and stack.count(id(schema)) > 1:
            return NOTHING  # inside a recursion: let the caller choose another way out
        return _find(schema, self.context)

    def _merged(self, base: dict[str, Any], *parts: Any) -> Any:
        out: Any = base
        for part in parts:
            flat = flatten(part)
            if flat is False or out is False:
                return False
            out = merge(out, flat)  # type: ignore[arg-type]
        self.keep.append(out)
        return out

    def _branches(self, flat: dict[str, Any], origin: Any) -> Iterator[tuple[Any, Any]]:
        """(branch node, merged schema) pairs for a node with ``anyOf``/``oneOf``/``if``/a discriminator base."""
        for comb in ("anyOf", "oneOf"):
            if comb in flat:
                base = {k: v for k, v in flat.items() if k != comb}
                disc = flat.get("discriminator")
                for branch in flat[comb]:
                    merged = self._merged(base, branch)
                    if merged is not False and isinstance(disc, dict):
                        merged = pin_discriminator(merged, disc, branch)
                    if merged is not False:
                        merged = {**merged, ORIGIN: branch}
                        self.keep.append(merged)
                        yield branch, merged
                return
        if "if" in flat:
            base = {k: v for k, v in flat.items() if k not in ("if", "then", "else")}
            yes = self._merged(base, flat["if"], flat.get("then", True))
            if yes is not False:
                yield flat["if"], yes
            no = self._merged(base, flat.get("else", True))
            if no is not False:
                yield flat.get("else", True), no
            return
        disc = flat.get("discriminator")
        if isinstance(disc, dict) and isinstance(disc.get("mapping"), dict) and ORIGIN not in flat:
            targets = [t for t in disc["mapping"].values() if isinstance(t, dict)]
            if not any(t is origin for t in targets):
                for t in targets:
                    yield t, t

    def _candidates(self, flat: dict[str, Any], origin: Any, stack: tuple[int, ...]) -> Iterator[Any]:
        branches = list(self._branches(flat, origin))
        if branches:
            for branch, merged in branches:
                if isinstance(branch, dict) and stack.count(id(branch)) >= 2:
                    continue
                yield self.value(merged, (*stack, id(branch)) if isinstance(branch, dict) else stack)
            return
        disc = flat.get("discriminator")
        if isinstance(disc, dict):
            pinned = pin_discriminator(flat, disc, flat.get(ORIGIN, origin))
            flat = pinned if isinstance(pinned, dict) else flat
        if "const" in flat:
            yield flat["const"]
            return
        if "enum" in flat:
            yield from flat["enum"]
            return
        types = types_of(flat)
        if "type" not in flat and len(types) == len(_ORDER):
            yield None
        for t in _ORDER:
            if t in types:
                yield self._typed(t, flat, stack)

    def _typed(self, t: str, flat: dict[str, Any], stack: tuple[int, ...]) -> Any:
        if t == "null":
            return None
        if t == "boolean":
            return False
        if t in ("integer", "number"):
            return _number(t, flat)
        if t == "string":
            return _string(flat)
        if t == "array":
            return self._array(flat, stack)
        return self._object(flat, None, stack)

    def _array(self, flat: dict[str, Any], stack: tuple[int, ...]) -> Any:
        out = []
        for i in range(flat.get("minItems", 0)):
            v = self.value(_item_schema(flat, i), stack)
            if v is NOTHING:
                return NOTHING
            out.append(v)
        contains, need = flat.get("contains"), flat.get("minContains", 1)
        if contains is not None and need > 0 and not any(accepts(contains, v, self.context) for v in out):
            items = flatten(flat.get("items", True))
            both = self._merged(items, contains) if isinstance(items, dict) else False
            v = self.value(both, stack) if both is not False else NOTHING
            if v is NOTHING:
                return NOTHING
            out.extend([v] * need)
        return out

    def _object(self, flat: dict[str, Any], skip: str | None, stack: tuple[int, ...]) -> Any:
        props: dict[str, Any] = flat.get("properties") or {}
        required = list(flat.get("required") or [])
        patterns = flat.get("patternProperties") or {}
        extra = flat.get("additionalProperties")
        flag = FLAG.get(self.context)
        required_names = set(required)  # a set: objects of 20,000 properties stay linear
        wanted = [n for n in props if n in required_names] + [n for n in required if n not in props]
        deps = flat.get("dependentRequired") or {}
        for name in list(wanted):
            wanted.extend(d for d in deps.get(name, []) if d not in wanted)
        lo = flat.get("minProperties", 0)
        for name in props:
            if len(wanted) >= lo:
                break
            if name not in wanted and not (flag and flagged(props[name], flag)):
                wanted.append(name)
        out: dict[str, Any] = {}
        for name in wanted:
            if name == skip or (flag and name in props and flagged(props[name], flag)):
                continue
            sub = props[name] if name in props else pattern_schema(patterns, name, extra)
            v = self.value(sub, stack)
            if v is NOTHING:
                return NOTHING
            out[name] = v
        return out

    # -- embedding -----------------------------------------------------------------------------------------------
    def embed(self, schema: Any, path: list[Any], witness: Any, missing: bool, stack: tuple[int, ...]) -> Any:
        if not path:
            if missing:
                return NOTHING
            return witness if witness is not NOTHING else self.value(schema, ())
        if schema is False:
            return NOTHING
        flat = flatten(schema)
        if flat is False:
            return NOTHING
        # ``stack`` here is the chain of combinator branches since the last property or item: the path bounds the
        # structural depth, so only a cycle of combinators could loop
        branches = list(self._branches(flat, schema))  # type: ignore[arg-type]
        if branches:
            fallback = NOTHING

            def order(bm: tuple[Any, Any]) -> tuple[bool, bool]:
                return not self.reaches(bm[0]), not _declares(flatten(bm[1]), path[0])

            for branch, merged in sorted(branches, key=order):
                if not _hosts(flatten(merged), path[0]):
                    continue
                if isinstance(branch, dict) and id(branch) in stack:
                    continue  # a cycle of combinators
                inner = (*stack, id(branch)) if isinstance(branch, dict) else stack
                v = self.embed(merged, path, witness, missing, inner)
                if v is NOTHING:
                    continue
                if self.lazy:
                    self.lazy_choices += 1
                    return v
                if accepts(schema, v, self.context):
                    return v
                if fallback is NOTHING:
                    fallback = v
            return fallback
        disc = flat.get("discriminator")  # type: ignore[union-attr]
        if isinstance(disc, dict):
            pinned = pin_discriminator(flat, disc, flat.get(ORIGIN, schema))  # type: ignore[arg-type, union-attr]
            flat = pinned if isinstance(pinned, dict) else flat
        head, rest = path[0], path[1:]
        types = types_of(flat)  # type: ignore[arg-type]
        as_index = isinstance(head, int) or (isinstance(head, str) and head.isdigit() and "object" not in types)
        if as_index and "array" in types:
            return self._embed_item(flat, int(head), rest, witness, missing, stack)  # type: ignore[arg-type]
        if "object" not in types or isinstance(head, int):
            return NOTHING
        return self._embed_property(flat, str(head), rest, witness, missing, stack)  # type: ignore[arg-type]

    def _embed_property(
        self, flat: dict[str, Any], name: str, rest: list[Any], witness: Any, missing: bool, stack: tuple[int, ...]
    ) -> Any:
        props = flat.get("properties") or {}
        sub = (
            props[name]
            if name in props
            else pattern_schema(flat.get("patternProperties") or {}, name, flat.get("additionalProperties"))
        )
        base = self._object(flat, name, ())
        if base is NOTHING:
            base = {}
        if missing and not rest:
            return base
        inner = self.embed(True if sub is False else sub, rest, witness, missing, ())
        if inner is NOTHING:
            return NOTHING
        base[name] = inner
        for dep in (flat.get("dependentRequired") or {}).get(name, []):
            if dep not in base:
                v = self.value(props.get(dep, True), ())
                if v is not NOTHING:
                    base[dep] = v
        order = {k: i for i, k in enumerate(props)}
        return {k: base[k] for k in sorted(base, key=lambda k: (order.get(k, len(order)), k))}

    def _embed_item(
        self, flat: dict[str, Any], index: int, rest: list[Any], witness: Any, missing: bool, stack: tuple[int, ...]
    ) -> Any:
        out = []
        for i in range(index):
            v = self.value(_item_schema(flat, i), ())
            if v is NOTHING:
                return NOTHING
            out.append(v)
        if missing and not rest:
            return out
        inner = self.embed(_item_schema(flat, index), rest, witness, missing, ())
        if inner is NOTHING:
            return NOTHING
        out.append(inner)
        for i in range(len(out), flat.get("minItems", 0)):
            v = self.value(_item_schema(flat, i), ())
            if v is NOTHING:
                break
            out.append(v)
        return out


def _item_schema(flat: dict[str, Any], i: int) -> Any:
    prefix = flat.get("prefixItems") or []
    if i < len(prefix):
        return prefix[i]
    return flat.get("items", True)


def _declares(flat: Any, head: Any) -> bool:
    if not isinstance(flat, dict):
        return False
    if isinstance(head, int):
        return "items" in flat or "prefixItems" in flat
    return head in (flat.get("properties") or {}) or any(search(p, head) for p in flat.get("patternProperties") or {})


def _hosts(flat: Any, head: Any) -> bool:
    """Can an instance of ``flat`` have something at ``head``?"""
    if flat is True:
        return True
    if not isinstance(flat, dict):
        return False
    if any(k in flat for k in ("anyOf", "oneOf", "if")):
        return True
    types = types_of(flat)
    if isinstance(head, int) or (isinstance(head, str) and head.isdigit() and "object" not in types):
        return "array" in types and _item_schema(flat, int(head)) is not False
    if "object" not in types:
        return False
    return _declares(flat, head) or flat.get("additionalProperties", True) is not False


def _number(t: str, flat: dict[str, Any]) -> Any:
    lo, hi = int_bounds(flat)
    step = flat.get("multipleOf")
    m = int(step) if isinstance(step, (int, float)) and float(step).is_integer() and step > 0 else None
    if m is not None or t == "integer" or step is None:
        unit = m or 1
        if (lo is None or lo <= 0) and (hi is None or hi >= 0):
            return 0
        k = math.ceil(lo / unit) if lo is not None and lo > 0 else math.floor(hi / unit)  # type: ignore[operator]
        candidate = k * unit
        if (lo is None or candidate >= lo) and (hi is None or candidate <= hi):
            return candidate
        if t == "integer":
            return NOTHING
    low = flat.get("exclusiveMinimum", flat.get("minimum"))
    high = flat.get("exclusiveMaximum", flat.get("maximum"))
    if isinstance(step, (int, float)) and step > 0:
        k = math.ceil(low / step) if low is not None else (math.floor(high / step) if high is not None else 0)
        return k * step if (low is None or k * step != low or "exclusiveMinimum" not in flat) else (k + 1) * step
    if low is not None and high is not None:
        return (low + high) / 2
    if low is not None:
        return low if "exclusiveMinimum" not in flat else low + 1
    if high is None:
        return NOTHING
    return high if "exclusiveMaximum" not in flat else high - 1


def _string(flat: dict[str, Any]) -> Any:
    if "pattern" in flat:
        return NOTHING  # built by Hypothesis (find) in value()
    lo = flat.get("minLength", 0)
    example = STRING_EXAMPLES.get(flat.get("format", ""))
    if example is not None and len(example) >= lo:
        return example
    return "a" * lo
