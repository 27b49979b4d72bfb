"""What a writer may send under a property name it does not declare.

A writer object *declares* the names in its ``properties``. Beyond them it may send names matching its
``patternProperties`` and, when it declares a map (a non-empty ``additionalProperties`` or
``unevaluatedProperties`` schema), any other name with the map's values. Under ``--strict`` (set semantics, as
schema registries check JSON Schema) an open object may also send any name with any value. The pairing walk uses
this to meet every name the *reader* declares (``properties``, ``patternProperties``, ``dependentSchemas``,
``dependentRequired``) with what the writer may send under it, and the dependency rules to build their witnesses.
"""

from __future__ import annotations

import re
from typing import Any

from pytest_cdcompat.core.regex import search as rx_search

__all__ = ["extra_schema", "sends", "trigger_witness"]


def _is_map(schema: Any) -> bool:
    return isinstance(schema, dict) and any(not str(k).startswith("x-cdc-") for k in schema)


def extra_schema(writer: dict[str, Any], name: str, strict: bool) -> Any:
    """The writer's schema for ``name`` when it may send that name without declaring it; ``None`` otherwise."""
    if name in (writer.get("properties") or {}):
        return None
    types = writer.get("type")
    if types is not None and "object" not in (types if isinstance(types, list) else [types]):
        return None
    if "const" in writer or "enum" in writer:
        return None
    for pattern, sub in (writer.get("patternProperties") or {}).items():
        try:
            if rx_search(pattern, name):
                return sub if sub is not False else None
        except re.error:
            continue
    add = writer.get("additionalProperties", True)
    if add is False:
        return None
    if _is_map(add):
        return add
    unevaluated = writer.get("unevaluatedProperties", True)
    if unevaluated is False:
        return None
    if _is_map(unevaluated):
        return unevaluated
    max_props = writer.get("maxProperties")
    if isinstance(max_props, int) and max_props <= len(writer.get("required") or ()):
        return None
    return True if strict else None


def sends(pair: Any, name: str) -> bool:
    """Whether the writer may send property ``name`` at all (declared, or as an extra)."""
    declared = (pair.writer.get("properties") or {}).get(name)
    if declared is not None:
        return declared is not False
    return name in (pair.writer.get("required") or ()) or extra_schema(pair.writer, name, pair.strict) is not None


def trigger_witness(pair: Any, trigger: str) -> dict[str, Any]:
    """``Hit`` fields placing a value of the trigger property into the writer's object (whose other properties the
    engine fills minimally), when the writer may send ``trigger``; ``{}`` when it never does."""
    from pytest_cdcompat.catalogue import NOTHING
    from pytest_cdcompat.kinds.schema.generate.minimal import minimal_instance

    declared = (pair.writer.get("properties") or {}).get(trigger)
    schema = declared if declared is not None else extra_schema(pair.writer, trigger, pair.strict)
    if schema is None or schema is False:
        return {}
    value = minimal_instance(schema, context=pair.context)
    if value is NOTHING:
        return {}
    return {"witness": value, "instance": (trigger,)}
