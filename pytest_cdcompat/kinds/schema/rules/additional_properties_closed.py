"""The writer may send properties it does not list (a map, or any object in strict mode); the reader is closed.

``additionalProperties: {type: string}`` (a map) replaced by ``false`` on a request breaks old clients sending map
entries. Under ``--strict`` (set semantics, as Confluent checks JSON Schema) an open writer object may send any
property, so closing the reader breaks it even when no map was declared.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pytest_cdcompat.catalogue import NOTHING, Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.core.regex import search as rx_search
from pytest_cdcompat.kinds.schema.pairing import SchemaPair, types_of

NAMES = ("cdcompat-extra", "CDCOMPAT_EXTRA", "0", "-", " ")


def _matches(pattern: str, name: str) -> bool:
    try:
        return rx_search(pattern, name)
    except re.error:
        return True  # a pattern Python cannot read: assume it takes the name rather than invent a break


@rule(
    scope="schema",
    category="structure",
    old_writes=(
        "additional-properties-disallowed",
        Severity.ERROR,
        "The reader no longer accepts properties beyond those it lists; old writers may send them.",
        "Keep the reader open until every writer sends only the listed properties; close it last.",
    ),
    new_writes=(
        "additional-properties-allowed",
        Severity.ERROR,
        "New writers may send unlisted properties that old, closed readers reject.",
        "Open every reader first (consumers first); only then let writers send extra properties.",
    ),
)
def additional_properties_closed(pair: SchemaPair) -> Iterator[Hit]:
    wt = types_of(pair.writer)
    if wt is not None and "object" not in wt:
        return
    radd = pair.reader.get("additionalProperties", True)
    if radd is not False and pair.reader.get("unevaluatedProperties", True) is not False:
        return
    wadd = pair.writer.get("additionalProperties", True)
    writer_map = isinstance(wadd, dict) and bool(wadd)
    writer_open = wadd is not False and pair.writer.get("unevaluatedProperties", True) is not False
    where = "/additionalProperties" if "additionalProperties" in pair.reader else "/unevaluatedProperties"
    # names the reader's patternProperties do not take (they would validate them instead of rejecting them)
    patterns = list(pair.reader.get("patternProperties") or ())
    declared = pair.reader.get("properties") or {}
    if writer_map or (pair.strict and writer_open):
        name = next((n for n in NAMES if not any(_matches(p, n) for p in patterns)), None)
        if name is not None:
            yield Hit(
                where,
                pair.changed("additionalProperties: false was added", "additionalProperties: false was removed"),
                instance=(name,),
                # a map's entry: the engine takes a minimal value of the writer's additionalProperties schema
                witness=NOTHING if writer_map else "x",
            )
    for pattern, sub in sorted((pair.writer.get("patternProperties") or {}).items()):
        if pattern in patterns or sub is False:
            continue
        name = next(
            (n for n in _samples(pattern) if n not in declared and not any(_matches(p, n) for p in patterns)), None
        )
        if name is None:
            continue  # no name found: the generator's search decides
        from pytest_cdcompat.kinds.schema.generate.minimal import minimal_instance

        yield Hit(
            where,
            f"properties matching {pattern!r} {pair.changed('are no longer accepted', 'are now sent')} "
            "and the reader allows no unknown properties",
            instance=(name,),
            witness=minimal_instance(sub, context=pair.context),
        )


def _samples(pattern: str) -> list[str]:
    """A few names matching a patternProperties regex, built from its literal prefix (``^x-`` gives ``x-a``)."""
    body = pattern[1:] if pattern.startswith("^") else pattern
    prefix = ""
    for ch in body:
        if ch in ".[]()*+?{}|\\$^":
            break
        prefix += ch
    return [n for n in dict.fromkeys((prefix + "a", prefix, "a", "x", "0")) if n and _matches(pattern, n)]
