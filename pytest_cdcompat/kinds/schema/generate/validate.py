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
    if _through(schema, value, target, steps, checked=True):
        return True
    return not _through(schema, value, target, steps, checked=False)


def _through(schema: Any, value: Any, target: Any, path: list[str | int], *, checked: bool) -> bool:
    seen: set[tuple[int, int]] = set()
    work: list[tuple[Any, Any, int]] = [(schema, value, 0)]
    while work:
        node, inst, depth = work.pop()
        if not isinstance(node, dict) or (id(node), depth) in seen:
            continue
        seen.add((id(node), depth))
        if node is target and depth == len(path):
            return True

        def fits(sub: Any, inst: Any = inst) -> bool:
            return not checked or is_valid(sub, inst)

        for sub in _as_list(node.get("allOf")):
            work.append((sub, inst, depth))
        for word in ("anyOf", "oneOf"):
            work.extend((sub, inst, depth) for sub in _as_list(node.get(word)) if fits(sub))
        if "if" in node:
            branch = node.get("then") if fits(node["if"]) else node.get("else")
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
