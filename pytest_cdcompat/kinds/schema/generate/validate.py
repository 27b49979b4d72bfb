"""Validation of instances against canonical schemas: the judge every generated value and counterexample faces.

Why a module of its own: the generator builds values *by construction*, but the proof that a counterexample is honest
(writer accepts, reader rejects) must come from an independent validator. We use ``jsonschema``'s 2020-12 validator,
which follows Python dicts lazily and therefore works on the cyclic graphs the loaders produce for recursive ``$ref``s.

- Validators are cached by ``id(schema)``; the cache keeps a reference to the schema so an id cannot be reused
  while its entry lives (a bounded LRU: an evicted entry drops both together).
- Formats are asserted (``FORMAT_CHECKER`` plus OpenAPI's ``int32``, ``int64``, ``float``, ``double``, ``byte`` and
  light ``uri``/``hostname`` checks); unknown formats pass, as the specification asks.
- ``x-cdc-*``, ``discriminator``, ``readOnly``... are unknown keywords or annotations to jsonschema: ignored.
- ``$dynamicRef`` is treated as ``true``, and a ``pattern`` Python's ``re`` cannot compile accepts everything, so a
  schema written for another regex dialect never turns into a traceback.
- ``accepts(schema, value, context)`` is the context-aware verdict: in a request a missing ``readOnly`` required
  property is fine (the client never sends it), in a response a missing ``writeOnly`` one is.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from typing import Any

import jsonschema
from jsonschema import FormatChecker, ValidationError, validators

from pytest_cdcompat.core.regex import search as rx_search

PathTuple = tuple[str | int, ...]
_CACHE_SIZE = 4096
_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)
_FLOAT32_MAX = 3.4028234663852886e38
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*$")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOSTNAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*\.?$")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _build_format_checker() -> FormatChecker:
    checker = FormatChecker()
    for name, (func, raises) in jsonschema.Draft202012Validator.FORMAT_CHECKER.checkers.items():
        checker.checkers[name] = (func, raises)

    def int_range(bounds: tuple[int, int]) -> Any:
        def check(value: object) -> bool:
            if not _is_number(value):
                return True
            return float(value).is_integer() and bounds[0] <= value <= bounds[1]  # type: ignore[arg-type, operator]

        return check

    checker.checkers["int32"] = (int_range(_INT32), ())
    checker.checkers["int64"] = (int_range(_INT64), ())

    checker.checkers["float"] = (_float32, ())
    checker.checkers["double"] = (lambda value: True, ())
    checker.checkers["byte"] = (_byte, (binascii.Error, ValueError))
    checker.checkers.setdefault("uri", (lambda v: not isinstance(v, str) or bool(_URI.match(v)), ()))
    checker.checkers.setdefault("hostname", (lambda v: not isinstance(v, str) or bool(_HOSTNAME.match(v)), ()))
    return checker


def _float32(value: object) -> bool:
    return not _is_number(value) or abs(value) <= _FLOAT32_MAX  # type: ignore[arg-type]


def _byte(value: object) -> bool:
    if isinstance(value, str):
        base64.b64decode(value, validate=True)
    return True


def _dynamic_ref(validator: Any, ref: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    return iter(())


def _pattern(validator: Any, patrn: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "string"):
        return
    try:
        found = rx_search(patrn, instance)
    except re.error:
        return
    if not found:
        yield ValidationError(f"{instance!r} does not match {patrn!r}")


def _pattern_properties(validator: Any, patterns: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """jsonschema's ``patternProperties`` with bounded matching (``regex.py``)."""
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for k, v in instance.items():
            if _safe_search(pattern, k):
                yield from validator.descend(v, subschema, path=k, schema_path=pattern)


def _additional_properties(validator: Any, aP: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """jsonschema's ``additionalProperties`` (same messages), matching ``patternProperties`` in bounded time."""
    if not validator.is_type(instance, "object"):
        return
    props = schema.get("properties", {})
    patterns = [str(p) for p in schema.get("patternProperties", {})]
    extras = {k for k in instance if k not in props and not any(_safe_search(p, k) for p in patterns)}
    if validator.is_type(aP, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], aP, path=extra)
    elif not aP and extras:
        if "patternProperties" in schema:
            verb = "does" if len(extras) == 1 else "do"
            joined = ", ".join(repr(e) for e in sorted(extras))
            shown = ", ".join(repr(p) for p in sorted(patterns))
            yield ValidationError(f"{joined} {verb} not match any of the regexes: {shown}")
        else:
            listed = sorted(extras, key=str)
            were = "was" if len(listed) == 1 else "were"
            names = ", ".join(repr(e) for e in listed)
            yield ValidationError(f"Additional properties are not allowed ({names} {were} unexpected)")


FORMAT_CHECKER = _build_format_checker()
_Validator = validators.extend(
    jsonschema.Draft202012Validator,
    {
        "$dynamicRef": _dynamic_ref,
        "pattern": _pattern,
        "patternProperties": _pattern_properties,
        "additionalProperties": _additional_properties,
    },
)
_cache: OrderedDict[int, tuple[Any, Any]] = OrderedDict()


def validator_for(schema: Any) -> jsonschema.Draft202012Validator:
    """The (cached) 2020-12 validator of ``schema``, asserting formats."""
    key = id(schema)
    hit = _cache.get(key)
    if hit is not None and hit[0] is schema:
        _cache.move_to_end(key)
        return hit[1]
    validator = _Validator(schema, format_checker=FORMAT_CHECKER)
    _cache[key] = (schema, validator)
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return validator


def is_valid(schema: Any, value: Any) -> bool:
    try:
        return bool(validator_for(schema).is_valid(value))
    except (RecursionError, re.error):
        return False


def _sort_key(item: tuple[PathTuple, str]) -> tuple[tuple[str, ...], str]:
    return tuple(str(p) for p in item[0]), item[1]


def errors(schema: Any, value: Any) -> list[tuple[PathTuple, str]]:
    """Every error of ``value`` against ``schema`` as ``(instance path, message)``, sorted."""
    out = [(tuple(e.absolute_path), e.message) for e in validator_for(schema).iter_errors(value)]
    return sorted(out, key=_sort_key)


def raw_errors(schema: Any, value: Any) -> list[ValidationError]:
    return list(validator_for(schema).iter_errors(value))


def _missing_keys(error: ValidationError) -> list[str]:
    if error.validator == "required" and isinstance(error.instance, dict):
        return [k for k in error.validator_value if k not in error.instance]
    if error.validator == "dependentRequired" and isinstance(error.instance, dict):
        return [k for deps in error.validator_value.values() for k in deps if k not in error.instance]
    return []


def _excused(error: ValidationError, context: str) -> bool:
    """A required-property error the context forgives (readOnly in a request, writeOnly in a response)."""
    flag = {"request": "readOnly", "response": "writeOnly"}.get(context)
    if flag is None or error.validator != "required" or not isinstance(error.schema, dict):
        return False
    props = error.schema.get("properties") or {}
    missing = _missing_keys(error)
    return bool(missing) and all(isinstance(props.get(k), dict) and props[k].get(flag) is True for k in missing)


def accepts(schema: Any, value: Any, context: str = "message") -> bool:
    """The context-aware verdict: valid, or invalid only for properties the context never carries."""
    if is_valid(schema, value):
        return True
    if context not in ("request", "response"):
        return False
    try:
        return all(_excused(e, context) for e in raw_errors(schema, value))
    except (RecursionError, re.error):
        return False


def context_errors(schema: Any, value: Any, context: str = "message") -> list[ValidationError]:
    """The errors the context does not forgive; none when the schema cannot be evaluated (a ``$ref`` loop)."""
    try:
        return [e for e in raw_errors(schema, value) if not _excused(e, context)]
    except (RecursionError, re.error):
        return []


def effective_paths(error: ValidationError) -> list[PathTuple]:
    """The instance paths an error is *about*: its own, a missing or extra property's, and its causes' (context)."""
    base = tuple(error.absolute_path)
    paths: list[PathTuple] = [base]
    paths.extend((*base, k) for k in _missing_keys(error))
    if error.validator in ("additionalProperties", "unevaluatedProperties") and isinstance(error.instance, dict):
        schema = error.schema if isinstance(error.schema, dict) else {}
        declared = schema.get("properties") or {}
        patterns = list((schema.get("patternProperties") or {}).keys())
        for key in error.instance:
            if key not in declared and not any(_safe_search(p, key) for p in patterns):
                paths.append((*base, key))
    for sub in error.context or ():
        paths.extend(effective_paths(sub))
    return paths


def _safe_search(pattern: str, text: str) -> bool:
    try:
        return rx_search(pattern, text)
    except re.error:
        return False


def errors_at(
    schema: Any, value: Any, path: Sequence[str | int], context: str = "message"
) -> list[tuple[PathTuple, str]]:
    """The errors about the instance at ``path`` or below it (see ``effective_paths``), sorted."""
    target = tuple(str(p) for p in path)
    out = []
    for error in context_errors(schema, value, context):
        if any(tuple(str(p) for p in q[: len(target)]) == target for q in effective_paths(error)):
            out.append((tuple(error.absolute_path), error.message))
    return sorted(out, key=_sort_key)


def passes_through(schema: Any, value: Any, target: Any, path: Sequence[str | int]) -> bool:
    """Whether ``value``'s part at instance ``path`` is governed by the schema node ``target`` (found by identity).

    A union branch governs a value only when the value matches it, so a value whose item took another ``oneOf``
    branch than the one holding ``target`` does not pass through ``target``, though it has the same instance path:
    a counterexample shown for a claim about one branch must be a value of that branch. The walk follows the
    keywords that apply a subschema to the instance or to one of its members (``allOf``; the ``anyOf``/``oneOf``
    branches the part matches; ``then``/``else`` as ``if`` decides; ``dependentSchemas`` of present names;
    ``properties``, ``patternProperties``, ``additionalProperties``, ``items``, ``prefixItems``...). When ``target``
    cannot be reached along ``path`` at all (a node the walk does not know how to reach), nothing is claimed and
    the answer is ``True``.
    """
    steps = list(path)
    above = _ancestors(schema, target)
    if id(target) not in above:
        return True
    if _through(schema, value, target, steps, above, checked=True):
        return True
    return not _through(schema, value, target, steps, above, checked=False)


_ANCESTORS: OrderedDict[tuple[int, int], tuple[Any, Any, frozenset[int]]] = OrderedDict()


def _ancestors(schema: Any, target: Any) -> frozenset[int]:
    """The ids of the schema nodes ``target`` is inside (itself included): the only ones worth walking through, so
    only the union branches that can lead to ``target`` are validated. Kept per schema and target (a claim's
    search tests many values against one pair)."""
    key = (id(schema), id(target))
    hit = _ANCESTORS.get(key)
    if hit is not None and hit[0] is schema and hit[1] is target:
        return hit[2]
    parents: dict[int, list[Any]] = {}
    seen = {id(schema)}
    work = [schema]
    while work:
        node = work.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        for child in children:
            if isinstance(child, (dict, list)):
                parents.setdefault(id(child), []).append(node)
                if id(child) not in seen:
                    seen.add(id(child))
                    work.append(child)
    found = {id(target)} if id(target) in seen else set()
    back = [target] if found else []
    while back:
        for parent in parents.get(id(back.pop()), ()):
            if id(parent) not in found:
                found.add(id(parent))
                back.append(parent)
    result = frozenset(found)
    _ANCESTORS[key] = (schema, target, result)
    if len(_ANCESTORS) > _CACHE_SIZE:
        _ANCESTORS.popitem(last=False)
    return result


def _through(
    schema: Any, value: Any, target: Any, path: list[str | int], above: frozenset[int], *, checked: bool
) -> bool:
    seen: set[tuple[int, int]] = set()
    work: list[tuple[Any, Any, int]] = [(schema, value, 0)]
    while work:
        node, inst, depth = work.pop()
        if not isinstance(node, dict) or (id(node), depth) in seen or id(node) not in above:
            continue
        seen.add((id(node), depth))
        if node is target and depth == len(path):
            return True

        def fits(sub: Any, inst: Any = inst) -> bool:
            return not checked or (id(sub) in above and _takes(sub, inst, 0))

        for sub in _as_list(node.get("allOf")):
            work.append((sub, inst, depth))
        for word in ("anyOf", "oneOf"):
            work.extend((sub, inst, depth) for sub in _as_list(node.get(word)) if fits(sub))
        if "if" in node:
            branch = node.get("then") if not checked or is_valid(node["if"], inst) else node.get("else")
            if not checked:
                work.extend((sub, inst, depth) for sub in (node.get("then"), node.get("else")) if sub is not None)
            elif branch is not None:
                work.append((branch, inst, depth))
        deps = node.get("dependentSchemas")
        if isinstance(deps, dict):
            present = inst if isinstance(inst, dict) else {}
            work.extend((sub, inst, depth) for name, sub in deps.items() if not checked or name in present)
        if depth == len(path):
            continue
        head = path[depth]
        child = _member(inst, head) if checked else None
        if checked and child is _ABSENT:
            continue
        work.extend((sub, child, depth + 1) for sub in _applied(node, head))
    return False


_ABSENT = object()
_TYPES: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
}


def _takes(branch: Any, inst: Any, depth: int) -> bool:
    """Whether ``inst`` meets the keywords that tell a union's branches apart: the branch's own ``type``,
    ``const``, ``enum``, ``required`` names, numeric and length bounds, the ``const``/``enum``/``type`` of its
    properties, and the same of its ``allOf`` members. The whole value's validity is checked apart (the writer
    accepts it); this decides which branch the value took without validating every nested level again, which on
    recursive schemas cost seconds per claim."""
    if branch is True or not isinstance(branch, dict):
        return branch is not False
    if depth > 8:
        return True
    if not _takes_scalar(branch, inst):
        return False
    number = isinstance(inst, (int, float)) and not isinstance(inst, bool)
    if number:
        for word, ok in (("minimum", inst.__ge__), ("maximum", inst.__le__), ("exclusiveMinimum", inst.__gt__),
                         ("exclusiveMaximum", inst.__lt__)):  # fmt: skip
            bound = branch.get(word)
            if isinstance(bound, (int, float)) and not isinstance(bound, bool) and not ok(bound):
                return False
    if isinstance(inst, str):
        if isinstance(branch.get("minLength"), int) and len(inst) < branch["minLength"]:
            return False
        if isinstance(branch.get("maxLength"), int) and len(inst) > branch["maxLength"]:
            return False
    if isinstance(inst, dict):
        required = branch.get("required")
        if isinstance(required, list) and any(isinstance(n, str) and n not in inst for n in required):
            return False
        props = branch.get("properties")
        for name, sub in props.items() if isinstance(props, dict) else ():
            if name in inst and isinstance(sub, dict) and not _takes_scalar(sub, inst[name]):
                return False
    return all(_takes(m, inst, depth + 1) for m in _as_list(branch.get("allOf")))


def _takes_scalar(schema: dict[str, Any], value: Any) -> bool:
    """A node's own ``type``, ``const`` and ``enum`` (a property's tag or kind), not its nested levels."""
    kinds = schema.get("type")
    if isinstance(kinds, str):
        kinds = [kinds]
    if isinstance(kinds, list) and not any(_TYPES.get(k, lambda v: True)(value) for k in kinds):
        return False
    if "const" in schema and not _same(schema["const"], value):
        return False
    return not isinstance(schema.get("enum"), list) or any(_same(e, value) for e in schema["enum"])


def _same(a: Any, b: Any) -> bool:
    """JSON equality: ``1`` and ``True`` differ, ``1`` and ``1.0`` do not."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


def _as_list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else []


def _member(inst: Any, head: str | int) -> Any:
    if isinstance(head, int) and isinstance(inst, list):
        return inst[head] if 0 <= head < len(inst) else _ABSENT
    if isinstance(inst, dict) and str(head) in inst:
        return inst[str(head)]
    return _ABSENT


def _applied(node: dict[str, Any], head: str | int) -> list[Any]:
    """The subschemas ``node`` applies to its instance's member ``head`` (a property name or an item index)."""
    out: list[Any] = []
    if isinstance(head, int):
        prefix = _as_list(node.get("prefixItems"))
        items = node.get("items")
        if head < len(prefix):
            out.append(prefix[head])
        elif isinstance(items, list):  # draft 4's tuple form
            out.append(items[head] if head < len(items) else node.get("additionalItems"))
        elif items is not None:
            out.append(items)
        else:
            out.append(node.get("unevaluatedItems"))
        return [s for s in out if s is not None]
    declared = node.get("properties")
    props: dict[str, Any] = declared if isinstance(declared, dict) else {}
    matched = False
    if head in props:
        out.append(props[head])
        matched = True
    patterns = node.get("patternProperties")
    if isinstance(patterns, dict):
        for pattern, sub in patterns.items():
            if _safe_search(pattern, head):
                out.append(sub)
                matched = True
    if not matched:
        out.extend(s for s in (node.get("additionalProperties"), node.get("unevaluatedProperties")) if s is not None)
    return out
