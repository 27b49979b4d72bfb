"""Schema normalisation for generation: flatten ``allOf`` by merging, infer types, and find recursion.

Why: building values *by construction* needs one flat description per node (hypothesis-jsonschema's ``merged()``
idea). ``flatten`` folds every ``allOf`` branch into its parent with ``merge``, an intersection of the common
keywords (types, bounds, lengths, properties, required, items, enums...). What cannot be merged exactly (two
patterns, two ``anyOf``s, ``not``, ``contains``...) is kept under the private key ``x-cdc-gen-filter``: a list of
schemas the built strategy must still satisfy, checked by filtering. ``False`` means "no value at all".

Schemas are cyclic object graphs, so nothing here walks a graph without a visited set, and merging is *shallow*:
a conflict between two property schemas becomes a fresh ``{"allOf": [a, b]}`` node merged only when generation
reaches it. ``Recursion`` finds, once per root, every node from which a cycle is reachable: descending into such a
node costs generation budget, which is how recursive schemas terminate.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

from pytest_cdcompat.core.regex import search as rx_search
from pytest_cdcompat.kinds.schema.generate.encode import canonical_json
from pytest_cdcompat.kinds.schema.generate.validate import is_valid

FILTER = "x-cdc-gen-filter"
ORIGIN = "x-cdc-gen-origin"  # the anyOf/oneOf branch a merged node was made from
TYPES = ("array", "boolean", "integer", "null", "number", "object", "string")
_TYPE_HINTS = {
    "object": (
        "properties",
        "required",
        "additionalProperties",
        "patternProperties",
        "propertyNames",
        "minProperties",
        "maxProperties",
        "dependentRequired",
        "dependentSchemas",
        "unevaluatedProperties",
    ),
    "array": (
        "items",
        "prefixItems",
        "minItems",
        "maxItems",
        "uniqueItems",
        "contains",
        "minContains",
        "maxContains",
        "unevaluatedItems",
    ),
    "string": ("minLength", "maxLength", "pattern", "format"),
    "number": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
}
_MAX_KEYS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties", "maxContains")
_MIN_KEYS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties", "minContains")
_SCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas")
_SCHEMA_ONE = (
    "additionalProperties",
    "items",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "not",
    "if",
    "then",
    "else",
)
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems", FILTER)
_FLAGS = ("uniqueItems", "readOnly", "writeOnly", "deprecated")
# the flag that hides a property in a context: read-only ones are not sent in requests, write-only not in responses
FLAG = {"request": "readOnly", "response": "writeOnly"}


def json_eq(a: Any, b: Any) -> bool:
    return a is b or canonical_json(a) == canonical_json(b)


def children(schema: Any) -> Iterator[Any]:
    """The direct subschemas of ``schema`` (discriminator mapping targets included)."""
    if not isinstance(schema, dict):
        return
    for key in _SCHEMA_MAPS:
        sub = schema.get(key)
        if isinstance(sub, dict):
            yield from sub.values()
    for key in _SCHEMA_ONE:
        if key in schema:
            yield schema[key]
    for key in _SCHEMA_LISTS:
        sub = schema.get(key)
        if isinstance(sub, list):
            yield from sub
    disc = schema.get("discriminator")
    if isinstance(disc, dict) and isinstance(disc.get("mapping"), dict):
        yield from (v for v in disc["mapping"].values() if isinstance(v, (dict, bool)))


class Recursion:
    """Which nodes of a schema graph can reach a cycle (Tarjan's SCCs, iteratively: graphs may be deep)."""

    def __init__(self, root: Any) -> None:
        self._reaches: dict[int, bool] = {}
        self._keep: list[Any] = []  # holds the nodes so their ids stay unique while we live
        self._analyse(root)

    def _analyse(self, root: Any) -> None:
        if not isinstance(root, dict):
            return
        index: dict[int, int] = {}
        low: dict[int, int] = {}
        on_stack: set[int] = set()
        stack: list[Any] = []
        nodes: dict[int, Any] = {}
        counter = 0
        work: list[tuple[Any, Iterator[Any]]] = []

        def push(node: Any) -> None:
            nonlocal counter
            i = id(node)
            nodes[i] = node
            index[i] = low[i] = counter
            counter += 1
            stack.append(node)
            on_stack.add(i)
            work.append((node, (c for c in children(node) if isinstance(c, dict))))

        push(root)
        while work:
            node, it = work[-1]
            advanced = False
            for child in it:
                c = id(child)
                if c not in index:
                    push(child)
                    advanced = True
                    break
                if c in on_stack:
                    low[id(node)] = min(low[id(node)], index[c])
            if advanced:
                continue
            work.pop()
            i = id(node)
            if work:
                parent = id(work[-1][0])
                low[parent] = min(low[parent], low[i])
            if low[i] == index[i]:
                scc: list[Any] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(id(member))
                    scc.append(member)
                    if member is node:
                        break
                ids = {id(m) for m in scc}
                cyclic = len(scc) > 1 or any(c is node for c in children(node))
                # SCCs complete in reverse topological order: every successor outside is already decided.
                reaches = cyclic or any(
                    self._reaches.get(id(c), False) for m in scc for c in children(m) if id(c) not in ids
                )
                for m in scc:
                    self._reaches[id(m)] = reaches
        self._keep.extend(nodes.values())

    def known(self, schema: Any) -> bool:
        """Is ``schema`` a node of the analysed graph (not a fresh node made by merging)?"""
        return id(schema) in self._reaches

    def reaches_cycle(self, schema: Any, _seen: frozenset[int] = frozenset()) -> bool:
        if not isinstance(schema, dict):
            return False
        known = self._reaches.get(id(schema))
        if known is not None:
            return known
        if id(schema) in _seen:
            return True
        # a fresh node made by merging: a finite tree over analysed nodes
        seen = _seen | {id(schema)}
        return any(self.reaches_cycle(c, seen) for c in children(schema))


def types_of(schema: dict[str, Any]) -> list[str]:
    """The types a flat schema admits: its ``type`` list, else those its keywords hint at, else all."""
    declared = schema.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return [t for t in TYPES if t in declared]
    hinted = [t for t, keys in _TYPE_HINTS.items() if any(k in schema for k in keys)]
    if "number" in hinted:
        hinted.append("integer")
    return [t for t in TYPES if t in hinted] or list(TYPES)


def flatten(schema: Any, _seen: tuple[int, ...] = ()) -> dict[str, Any] | bool:
    """``schema`` with every ``allOf`` merged in; ``False`` when provably empty. Returns a fresh dict or ``False``."""
    if schema is True:
        return {}
    if schema is False or not isinstance(schema, dict):
        return False if schema is False else {}
    seen = (*_seen, id(schema))
    out: dict[str, Any] | bool = _counts({k: v for k, v in schema.items() if k != "allOf"})
    negated = schema.get("not")
    if isinstance(negated, dict) and set(negated) == {"not"}:  # not(not(x)) is x
        del out["not"]  # type: ignore[union-attr]
        inner = flatten(negated["not"], seen)
        out = False if inner is False else merge(out, inner)  # type: ignore[arg-type]
    for branch in schema.get("allOf", ()):
        if isinstance(branch, dict) and id(branch) in seen:
            continue  # allOf cycle: the branch adds nothing new
        flat = flatten(branch, seen)
        if flat is False or out is False:
            return False
        out = merge(out, flat)  # type: ignore[arg-type]
    return out if isinstance(out, dict) and not _contradicts(out) else False


def _contradicts(flat: dict[str, Any]) -> bool:
    """Bounds that leave nothing (``minProperties: 2, maxProperties: 1``), or ``not: {}``."""
    for lo, hi in (("minLength", "maxLength"), ("minItems", "maxItems"), ("minProperties", "maxProperties")):
        if isinstance(flat.get(lo), int) and isinstance(flat.get(hi), int) and flat[lo] > flat[hi]:
            types = types_of(flat)
            kind = {"minLength": "string", "minItems": "array", "minProperties": "object"}[lo]
            if types == [kind]:
                return True
    return "not" in flat and always(flat["not"])


def always(schema: Any, depth: int = 0) -> bool:
    """Does ``schema`` obviously accept everything (``true``, ``{}``, ``anyOf`` with such a branch)?"""
    if schema is True:
        return True
    if not isinstance(schema, dict) or depth > 8:
        return False
    keys = [k for k in schema if not k.startswith("x-cdc-") and k not in _ANNOTATIONS]
    if not keys:
        return True
    if keys == ["anyOf"]:
        return any(always(b, depth + 1) for b in schema["anyOf"])
    if keys == ["oneOf"]:
        return len(schema["oneOf"]) == 1 and always(schema["oneOf"][0], depth + 1)
    if keys == ["allOf"]:
        return all(always(b, depth + 1) for b in schema["allOf"])
    if set(keys) <= {"if", "then", "else"}:
        return always(schema.get("then", True), depth + 1) and always(schema.get("else", True), depth + 1)
    if keys == ["not"] and isinstance(schema["not"], dict) and list(schema["not"]) == ["not"]:
        return always(schema["not"]["not"], depth + 1)
    return False


_ANNOTATIONS = frozenset({"readOnly", "writeOnly", "deprecated", "default", "discriminator"})


_COUNTS = (
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "minContains",
    "maxContains",
)


def _counts(flat: dict[str, Any]) -> dict[str, Any]:
    """Counts written as floats (``5.0``) become ints: the strategies' sizes must be integers."""
    for key in _COUNTS:
        value = flat.get(key)
        if isinstance(value, float) and math.isfinite(value):
            flat[key] = math.ceil(value) if key.startswith("min") else math.floor(value)
    return flat


def _union(a: list[Any], b: list[Any]) -> list[Any]:
    return list(a) + [x for x in b if x not in a]


def _both(a: Any, b: Any) -> Any:
    if a is b or b is True:
        return a
    if a is True:
        return b
    if a is False or b is False:
        return False
    return {"allOf": [a, b]}


def _cross_additional(out: dict[str, Any], other: dict[str, Any]) -> None:
    """Properties ``out`` declares that ``other`` does not are governed by ``other``'s additionalProperties."""
    extra = other.get("additionalProperties")
    if extra is None or extra is True:
        return
    theirs = other.get("properties") or {}
    patterns = list((other.get("patternProperties") or {}).keys())
    props = dict(out.get("properties") or {})
    for name, sub in props.items():
        if name in theirs:
            continue
        try:
            if any(rx_search(p, name) for p in patterns):
                continue
        except re.error:
            continue
        props[name] = _both(sub, extra)
    if props:
        out["properties"] = props


def merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any] | bool:
    """The intersection of two flat schemas (as one flat schema), or ``False`` when it is provably empty."""
    a, b = dict(a), dict(b)
    _cross_additional(a, b)
    _cross_additional(b, a)
    out = dict(a)
    filters: list[Any] = list(a.get(FILTER, []))
    if "prefixItems" in a or "prefixItems" in b:
        # position by position: one side's ``items`` also governs the positions the other side's prefix names
        pa, pb = a.get("prefixItems", []), b.pop("prefixItems", [])
        out["prefixItems"] = [
            _both(pa[i] if i < len(pa) else a.get("items", True), pb[i] if i < len(pb) else b.get("items", True))
            for i in range(max(len(pa), len(pb)))
        ]
    if "if" in b:
        cond: dict[str, Any] = {k: b.pop(k) for k in ("if", "then", "else") if k in b}
        if "if" in out:
            filters.append(cond)
        else:
            out.update(cond)
    for key, vb in b.items():
        if key == FILTER:
            filters.extend(vb)
            continue
        if key not in out:
            out[key] = vb
            continue
        va = out[key]
        if va is vb:
            continue
        if key == "type":
            ta, tb = _as_list(va), _as_list(vb)
            both = [
                t
                for t in TYPES
                if (t in ta or (t == "integer" and "number" in ta)) and (t in tb or (t == "integer" and "number" in tb))
            ]
            if not both:
                return False
            out[key] = both
        elif key == "enum":
            out[key] = [x for x in va if any(json_eq(x, y) for y in vb)]
            if not out[key]:
                return False
        elif key == "const":
            if not json_eq(va, vb):
                return False
        elif key in _MIN_KEYS:
            out[key] = max(va, vb)
        elif key in _MAX_KEYS:
            out[key] = min(va, vb)
        elif key == "multipleOf" and isinstance(va, int) and isinstance(vb, int):
            out[key] = va * vb // math.gcd(va, vb)
        elif key == "required":
            out[key] = _union(va, vb)
        elif key in ("properties", "patternProperties", "dependentSchemas"):
            merged = dict(va)
            for name, sub in vb.items():
                merged[name] = _both(merged[name], sub) if name in merged else sub
            out[key] = merged
        elif key == "dependentRequired":
            merged = {k: list(v) for k, v in va.items()}
            for name, deps in vb.items():
                merged[name] = _union(merged.get(name, []), deps)
            out[key] = merged
        elif key in ("additionalProperties", "items"):
            out[key] = _both(va, vb)
        elif key in _FLAGS:
            out[key] = bool(va) or bool(vb)
        elif key.startswith("x-cdc-") or key in ("default", "discriminator", "examples"):
            continue
        else:
            filters.append({key: vb})
    if filters:
        out[FILTER] = filters
    return out


def _as_list(t: Any) -> list[str]:
    return [t] if isinstance(t, str) else list(t)


# -- keyword helpers shared by strategies.py and minimal.py ----------------------------------------------------------
def search(pattern: str, text: str) -> bool:
    try:
        return rx_search(pattern, text)
    except re.error:
        return False


def flagged(schema: Any, flag: str) -> bool:
    flat = flatten(schema)
    return isinstance(flat, dict) and flat.get(flag) is True


def pattern_schema(patterns: dict[str, Any], name: str, extra: Any) -> Any:
    for pattern, sub in patterns.items():
        if search(pattern, name):
            return sub
    return True if extra is None else extra


def pin_discriminator(flat: dict[str, Any], disc: dict[str, Any], branch: Any) -> dict[str, Any] | bool:
    name = disc.get("propertyName")
    if not isinstance(name, str) or not isinstance(branch, dict):
        return flat
    mapping: dict[str, Any] = disc["mapping"] if isinstance(disc.get("mapping"), dict) else {}
    keys = [k for k, v in mapping.items() if v is branch]
    if not keys and isinstance(branch.get("x-cdc-ref"), str):
        keys = [branch["x-cdc-ref"].rsplit("/", 1)[-1]]
    prop = (flat.get("properties") or {}).get(name, True)
    keys = [k for k in keys if is_valid(prop, k)]
    if not keys:
        return flat
    return merge(flat, {"properties": {name: {"enum": keys}}, "required": [name]})
