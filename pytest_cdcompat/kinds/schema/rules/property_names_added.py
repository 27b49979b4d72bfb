"""The reader constrains property names (``propertyNames``) that the writer's names may not satisfy.

Adding ``propertyNames: {pattern: ^[a-z]+$}`` to a request map breaks old clients using other keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.core.regex import search as rx_search
from pytest_cdcompat.kinds.schema.pairing import SchemaPair, canonical

ADVICE = "Accept every key old writers use until they are migrated; constrain names last."


@rule(
    scope="schema",
    category="constraints",
    old_writes=("property-names-added", Severity.ERROR, "The reader now constrains property names.", ADVICE),
    new_writes=(
        "property-names-removed",
        Severity.ERROR,
        "New writers no longer constrain property names as old readers require.",
        ADVICE,
    ),
)
def property_names_added(pair: SchemaPair) -> Iterator[Hit]:
    r = pair.reader.get("propertyNames")
    if r is None or r is True or r == {}:
        return
    w = pair.writer.get("propertyNames")
    if w is not None and canonical(w) == canonical(r):
        return
    names = _closed_names(pair.writer)
    if names is not None and isinstance(r, dict) and all(_name_ok(r, n) is True for n in names):
        return  # a closed writer sends only names it lists, and the reader takes all of them
    message = f"propertyNames {pair.changed('was added or narrowed', 'was removed or widened')}"
    extra = pair.writer.get("additionalProperties")
    if isinstance(r, dict) and isinstance(extra, dict) and extra:
        # a map entry under a name the reader refuses; the engine fills in a value of the map's schema
        candidates = [n for n in NAMES if not isinstance(w, dict) or _name_ok(w, n) is True]
        name = next((n for n in candidates if _name_ok(r, n) is False), None)
        if name is not None:
            yield Hit("/propertyNames", message, instance=(name,))
            return
    yield Hit("/propertyNames", message)


NAMES = ("cdcompat-extra", "CDCOMPAT_EXTRA", "0", "-", " ", "x" * 300)


def _closed_names(writer: dict[str, Any]) -> set[str] | None:
    """Every name a closed writer may send (``None`` when it is open or has patternProperties)."""
    if writer.get("additionalProperties", True) is not False or writer.get("patternProperties"):
        return None
    return set(writer.get("properties") or ()) | set(writer.get("required") or ())


def _name_ok(names_schema: dict[str, Any], name: str) -> bool | None:
    """Whether ``propertyNames`` takes ``name``; ``None`` when it uses keywords this check does not read."""
    known = {"type", "pattern", "minLength", "maxLength", "enum", "x-cdc-loc", "x-cdc-ref"}
    if set(names_schema) - known:
        return None
    pattern = names_schema.get("pattern")
    try:
        if isinstance(pattern, str) and not rx_search(pattern, name):
            return False
    except re.error:
        return None
    if len(name) < names_schema.get("minLength", 0) or len(name) > names_schema.get("maxLength", len(name)):
        return False
    values = names_schema.get("enum")
    return not isinstance(values, list) or name in values
