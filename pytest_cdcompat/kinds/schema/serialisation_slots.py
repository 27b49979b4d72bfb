"""Which slots carry a serialisation, and how two serialisations of one slot are compared.

A parameter or header slot carries its ``Serialisation`` in ``Slot.extras["serialisation"]``; a form body (2.0
``formData``, a 3.x urlencoded or multipart body) carries one slot per field in ``Slot.extras["form_fields"]``, each
with the field's schema and serialisation, so the rules and the witness check see parameters and form fields alike
(``serialised_slot``). Two serialisations differ for a slot only where a value its writer's schema allows reads
differently (``differing_shapes``): an array, an object, a string written as JSON; a probe value per shape decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pytest_cdcompat.core.model import Flow, Slot
from pytest_cdcompat.kinds.schema.flows import match_media
from pytest_cdcompat.kinds.schema.serialisation import Serialisation, reads_same, shapes

__all__ = ["differing_shapes", "form_fields", "form_properties", "free_text", "probe", "serialised_slot"]


def form_properties(schema: Any) -> dict[str, Any]:
    """The fields a form body's (canonical) schema names, with their schemas: ``properties`` and those of its
    ``allOf`` members (a field named twice keeps the first schema)."""
    out: dict[str, Any] = {}
    if not isinstance(schema, dict):
        return out
    for name, sub in (schema.get("properties") or {}).items():
        out.setdefault(name, sub)
    for member in schema.get("allOf") or []:
        for name, sub in form_properties(member).items():
            out.setdefault(name, sub)
    return out


def form_fields(body: Slot) -> Mapping[str, Slot]:
    """The fields of a form body slot, each a slot of its own carrying its serialisation (the loader puts them in
    ``Slot.extras["form_fields"]``); empty for any other body."""
    fields = body.extras.get("form_fields")
    return fields if isinstance(fields, Mapping) else {}


def serialised_slot(flow: Flow, instance: tuple[str | int, ...]) -> Slot | None:
    """The slot a serialisation claim is about: a parameter (``(key,)``) or a form field (``("form", media, name)``,
    the body found under the reader's matching media type)."""
    if len(instance) == 3 and instance[0] == "form":
        media = match_media(str(instance[1]), flow.bodies)
        return None if media is None else form_fields(flow.bodies[media]).get(str(instance[2]))
    return flow.params.get(str(instance[0])) if instance else None


def differing_shapes(name: str, schema: Any, writer: Serialisation, reader: Serialisation) -> list[str]:
    """The shapes of value (``scalar``, ``array``, ``object``) the writer's schema allows whose text, written by
    ``writer``, the ``reader`` reads differently."""
    if writer == reader:
        return []
    return sorted(s for s in shapes(schema) if not reads_same(name, probe(s, schema), writer, reader)[0])


PROBES: dict[str, Any] = {"scalar": "a", "array": ["a", "b"], "object": {"a": "1", "b": "2"}}


def probe(shape: str, schema: Any) -> Any:
    """A value of ``shape`` to compare two wire forms with; an array of at most one item reads the same
    whether it is exploded or not, so its probe has one item; a scalar probe has the schema's type (a number reads
    the same as plain text and as JSON, a string does not)."""
    most = schema.get("maxItems") if isinstance(schema, dict) else None
    if shape == "array" and isinstance(most, int) and most <= 1:
        return ["a"]
    if shape == "scalar" and isinstance(schema, dict):
        types = schema.get("type")
        types = [types] if isinstance(types, str) else types
        if isinstance(types, list) and "string" not in types:  # a number or boolean is the same text as JSON
            return 1 if ("integer" in types or "number" in types) else ("boolean" in types) or None
    return PROBES[shape]


def free_text(schema: Any) -> bool:
    """Whether the writer may send a string with reserved characters in it (``&``, ``=``, ``#``)."""
    if not isinstance(schema, dict):
        return schema is True
    types = schema.get("type")
    types = [types] if isinstance(types, str) else types
    if isinstance(types, list) and "string" not in types:
        return False
    return not any(k in schema for k in ("enum", "const", "pattern", "format"))
