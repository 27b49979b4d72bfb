"""A property the writer may omit is required by the reader.

Making an optional request property required breaks old clients that omit it; making a response or event property
optional lets the new writer omit what old readers require.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.schema.pairing import SchemaPair, escape


@rule(
    scope="schema",
    category="requiredness",
    old_writes=(
        "property-became-required",
        Severity.ERROR,
        "The reader requires a property old writers may omit.",
        "Give the property a default on the reader (keep it optional) until every writer sends it; require it last.",
    ),
    new_writes=(
        "property-became-optional",
        Severity.ERROR,
        "New writers may omit a property old readers require.",
        "Keep sending the property (with a neutral value) until every reader treats it as optional (consumers first).",
    ),
)
def property_became_required(pair: SchemaPair) -> Iterator[Hit]:
    wprops = declared(pair.writer)
    wreq = always_sent(pair.writer)
    for name in sorted(set(pair.reader.get("required") or ()) - wreq):
        if name in wprops and wprops[name] is not False:
            yield Hit(
                f"/properties/{escape(name)}",
                f"property {name!r} became {pair.changed('required', 'optional')}",
                missing=True,
                instance=(name,),
            )


def _members(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The schema and its ``allOf`` members (recursively): every one of them holds for each value."""
    out, todo, seen = [], [schema], set()
    while todo:
        node = todo.pop()
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        out.append(node)
        todo.extend(node.get("allOf") or ())
    return out


def _variants(node: dict[str, Any]) -> list[dict[str, Any]]:
    for kw in ("oneOf", "anyOf"):
        branches = node.get(kw)
        if isinstance(branches, list) and branches:
            return [b for b in branches if isinstance(b, dict)]
    return []


def declared(writer: dict[str, Any]) -> dict[str, Any]:
    """The properties the writer declares, its ``allOf`` members' (an extracted base schema) and its variants'
    (``oneOf``/``anyOf``) included."""
    out: dict[str, Any] = {}
    for node in reversed(_members(writer)):
        for variant in _variants(node):
            for name, sub in (variant.get("properties") or {}).items():
                out.setdefault(name, sub)
        out.update(node.get("properties") or {})
    return out


def always_sent(writer: dict[str, Any], _seen: frozenset[int] = frozenset()) -> set[str]:
    """The names every value of the writer carries: ``required`` of the schema and its ``allOf`` members, closed
    under ``dependentRequired`` (a property tied to one that is always sent is always sent too)."""
    members = _members(writer)
    names = {n for node in members for n in node.get("required") or ()}
    for node in members:  # what every variant sends is sent whichever is chosen
        variants = [v for v in _variants(node) if id(v) not in _seen]  # a variant that is the union itself
        if variants:
            names |= set.intersection(*(always_sent(v, _seen | {id(node)}) for v in variants))
    deps: dict[str, set[str]] = {}
    for node in members:
        for trigger, needed in (node.get("dependentRequired") or {}).items():
            if isinstance(needed, list):
                deps.setdefault(trigger, set()).update(needed)
    while implied := set().union(*(n for t, n in deps.items() if t in names)) - names:
        names |= implied
    return names
