"""A conservative local check that a reader accepts everything a writer sends, so no search is needed there.

The counterexample search at a change site (``schema_engine.search``) draws values from the writer's schema and
keeps one the reader rejects. When the reader's node is implied by the writer's by plain keyword comparison, no
such value exists and the search (hypothesis, about 0.1-1 s a site) cannot succeed. ``implied`` answers ``True``
only when it can tell, keyword by keyword, under the generator's semantics:

- the reader is ``true``, has no assertion at all, or has the writer's structural hash;
- every reader keyword is the writer's (same hash), or a bound at most as tight (``maxLength`` 500 against the
  writer's 100), a ``type`` and an ``enum`` that hold the writer's, a ``required`` list within the writer's whose
  names the context excuses alike (``readOnly`` in a request);
- ``properties``, when the reader has no ``additionalProperties``, ``patternProperties`` or
  ``unevaluatedProperties``: a property both declare is checked the same way (a few levels deep), a property only
  the writer declares is one the open reader accepts, and a property only the reader declares is one the writer
  never sends (tolerant semantics: a writer emits declared properties only, and this writer has no map, no
  in-place applicator and no pattern that could declare it).

Keywords whose meaning depends on a sibling (``additionalProperties`` on ``properties``, ``items`` on
``prefixItems``, ``unevaluated*`` on every applicator, ``then`` on ``if``, ``minContains`` on ``contains``) count
as equal only when the siblings are equal too. Anything else answers ``False``, and the search runs as before: the
check may only skip searches that cannot find anything, never one that could.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pytest_cdcompat.kinds.schema.canonical import dumps

__all__ = ["implied"]

_IGNORED = frozenset({"x-cdc-loc", "x-cdc-ref", "readOnly", "writeOnly", "deprecated", "default", "discriminator"})
_UPPER = frozenset({"maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum"})
_LOWER = frozenset({"minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum"})
_APPLICATORS = ("allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "$dynamicRef", "$ref")
_OBJECT = ("properties", "patternProperties", "additionalProperties", "unevaluatedProperties")
_ARRAY = ("prefixItems", "items", "contains", "minContains", "maxContains", "unevaluatedItems")
_GROUPS: dict[str, tuple[str, ...]] = {
    "additionalProperties": ("properties", "patternProperties"),
    "unevaluatedProperties": (*_OBJECT, *_APPLICATORS),
    "unevaluatedItems": (*_ARRAY, *_APPLICATORS),
    "items": ("prefixItems",),
    "then": ("if",),
    "else": ("if",),
    "contains": ("minContains", "maxContains"),
    "minContains": ("contains",),
    "maxContains": ("contains",),
}
_FLAG = {"request": "readOnly", "response": "writeOnly"}
_DEPTH = 6


def implied(
    writer: Any, reader: Any, hasher: Callable[[Any], Any], context: str, strict: bool, depth: int = _DEPTH
) -> bool:
    """``True`` only if every value the writer may send (under the generator's semantics) the reader accepts."""
    if reader is True or (isinstance(reader, dict) and all(k in _IGNORED for k in reader)):
        return True
    if writer is False:
        return True
    if not isinstance(writer, dict) or not isinstance(reader, dict):
        return False
    if hasher(writer) == hasher(reader):
        return True
    if depth <= 0:
        return False

    def same(key: str) -> bool:
        return key in writer and hasher(writer[key]) == hasher(reader[key])

    open_reader = not any(k in reader for k in ("additionalProperties", "patternProperties", "unevaluatedProperties"))
    for key, want in reader.items():
        if key in _IGNORED:
            continue
        if key not in writer:
            return False
        have = writer[key]
        if key in _UPPER or key in _LOWER:
            if not (_is_number(have) and _is_number(want)):
                return False
            if (have > want) if key in _UPPER else (have < want):
                return False
        elif key == "type":
            if not (isinstance(have, list) and isinstance(want, list)):
                return False
            if not all(t in want or (t == "integer" and "number" in want) for t in have):
                return False
        elif key == "enum":
            if not (isinstance(have, list) and isinstance(want, list)):
                return False
            allowed = {dumps(v) for v in want}
            if not all(dumps(v) in allowed for v in have):
                return False
        elif key == "required":
            if not _required_implied(writer, reader, context):
                return False
        elif key == "properties" and open_reader:
            if not _properties_implied(writer, reader, hasher, context, strict, depth):
                return False
        elif not same(key):
            return False
        for mate in _GROUPS.get(key, ()):
            if (mate in writer or mate in reader) and not (mate in reader and same(mate)):
                return False
    return True


def _required_implied(writer: dict[str, Any], reader: dict[str, Any], context: str) -> bool:
    have, want = writer.get("required"), reader.get("required")
    if not (isinstance(have, list) and isinstance(want, list)) or not set(want) <= set(have):
        return False
    flag = _FLAG.get(context)
    if flag is None:
        return True
    wprops, rprops = writer.get("properties") or {}, reader.get("properties") or {}
    for name in want:  # a name the writer may leave out in this context, the reader must excuse too
        if _flagged(wprops.get(name), flag) and not _flagged(rprops.get(name), flag):
            return False
    return True


def _flagged(schema: Any, flag: str) -> bool:
    return isinstance(schema, dict) and schema.get(flag) is True


def _properties_implied(
    writer: dict[str, Any], reader: dict[str, Any], hasher: Callable[[Any], Any], context: str, strict: bool, depth: int
) -> bool:
    have, want = writer.get("properties"), reader.get("properties")
    if not (isinstance(have, dict) and isinstance(want, dict)):
        return False
    # the writer sends no name it does not declare: tolerant semantics, and nothing that could declare more names
    closed_writer = (
        not strict
        and not any(k in writer for k in _APPLICATORS)
        and not any(k in writer for k in ("patternProperties", "unevaluatedProperties", "dependentRequired"))
        and not _declared_map(writer.get("additionalProperties"))
    )
    required = writer.get("required") or []
    for name, sub in want.items():
        if name in have:
            if not implied(have[name], sub, hasher, context, strict, depth - 1):
                return False
        elif not (implied(True, sub, hasher, context, strict, depth - 1) or (closed_writer and name not in required)):
            return False
    # names only the writer declares: the open reader accepts them (no additionalProperties and the like)
    return True


def _declared_map(extra: Any) -> bool:
    return isinstance(extra, dict) and any(not k.startswith("x-cdc-") for k in extra)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
