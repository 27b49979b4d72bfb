"""Recursion that never descends into the value: legal where it has a meaning, one clear error where it has none.

A canonical schema is an object graph in which ``$ref`` is the referenced object itself, so recursion is a cycle.
A cycle through ``properties``, ``items`` and the like is *guarded*: each turn validates a smaller part of the value
and ends (a tree, a linked list). A cycle only through keywords that apply to the *same* value (``allOf``,
``anyOf``, ``oneOf``, ``not``, ``if``/``then``/``else``, ``dependentSchemas``) is *unguarded*: a validator that
follows it never returns (jsonschema recurses until Python's limit), and so would every generator and rule.

- ``{"anyOf": [{"$ref": "#"}, {"type": "string"}]}`` is legal and means its least fixed point: the value is a
  string. A cycle made only of ``anyOf`` members is resolved that way, in place: the members that lead back into
  the cycle are replaced by what the whole cycle offers besides itself.
- ``{"not": {"$ref": "#"}}`` (a value is valid exactly when it is not), ``allOf`` cycles (``A = allOf[B]``,
  ``B = allOf[A]``: every subset is a fixed point) and ``oneOf``/``if`` cycles have no single meaning: loading
  stops with a ``ContractLoadError`` naming the file, the place and the cycle.

The walk visits each node once (Tarjan's strongly connected components over same-value edges, iteratively), so it
costs one pass over the graph.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pytest_cdcompat.core.errors import ContractLoadError
from pytest_cdcompat.core.model import Contract

__all__ = ["UnguardedRecursion", "check_contract", "resolve"]

LOC = "x-cdc-loc"
_LISTS = ("allOf", "anyOf", "oneOf")
_SINGLE = ("not", "if", "then", "else")
_MAPS = ("dependentSchemas",)


class UnguardedRecursion(ContractLoadError):
    """A schema refers to itself without descending into the value, where that has no meaning."""


def check_contract(contract: Contract) -> None:
    """Resolve or refuse unguarded recursion in every schema slot of ``contract`` (in place)."""
    seen: set[int] = set()
    finished: set[int] = set()
    for channel in contract.channels.values():
        for flow in channel.flows.values():
            for slot in (*flow.params.values(), *flow.bodies.values()):
                if isinstance(slot.schema, dict) and id(slot.schema) not in seen:
                    resolve(slot.schema, contract.source, seen, finished)


def _same_value_edges(node: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for kw in _LISTS:
        members = node.get(kw)
        if isinstance(members, list):
            for m in members:
                if isinstance(m, dict):
                    yield kw, m
    for kw in _SINGLE:
        sub = node.get(kw)
        if isinstance(sub, dict):
            yield kw, sub
    for kw in _MAPS:
        subs = node.get(kw)
        if isinstance(subs, dict):
            for key, sub in subs.items():
                if isinstance(sub, dict) and not str(key).startswith("x-cdc-"):
                    yield kw, sub


def _all_children(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    stack: list[Any] = [v for k, v in node.items() if k not in ("enum", "const", "default", "examples")]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            yield v
        elif isinstance(v, list):
            stack.extend(v)


def resolve(root: dict[str, Any], label: str, seen: set[int] | None = None, finished: set[int] | None = None) -> None:
    """Find the unguarded cycles reachable from ``root``; resolve ``anyOf``-only ones, refuse the others.

    ``seen`` and ``finished`` carry over between calls on schemas of one contract (``check_contract``): a node
    seen before is not collected again, and a node whose component an earlier call closed is not entered again
    (everything it reaches was explored then, so no new cycle runs through it). A shared component is thus
    checked once, not once per slot that reaches it."""
    seen = set() if seen is None else seen
    finished = set() if finished is None else finished
    nodes: list[dict[str, Any]] = []
    stack = [root]
    while stack:  # every node reachable through any keyword, once
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        nodes.append(node)
        stack.extend(c for c in _all_children(node) if id(c) not in seen)
    for component in _cycles(nodes, finished):
        _handle(component, label)


def _cycles(nodes: list[dict[str, Any]], finished: set[int]) -> Iterator[list[dict[str, Any]]]:
    """Strongly connected components of the same-value graph that contain a cycle (iterative Tarjan); nodes in
    ``finished`` (components closed by an earlier call) are skipped, and every closed component is added to it."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[dict[str, Any]] = []
    counter = 0
    for start in nodes:
        if id(start) in index or id(start) in finished:
            continue
        work: list[tuple[dict[str, Any], Iterator[tuple[str, Any]]]] = [(start, _same_value_edges(start))]
        index[id(start)] = low[id(start)] = counter
        counter += 1
        stack.append(start)
        on_stack.add(id(start))
        while work:
            node, edges = work[-1]
            advanced = False
            for _, child in edges:
                if id(child) in finished:
                    continue
                if id(child) not in index:
                    index[id(child)] = low[id(child)] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(id(child))
                    work.append((child, _same_value_edges(child)))
                    advanced = True
                    break
                if id(child) in on_stack:
                    low[id(node)] = min(low[id(node)], index[id(child)])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[id(parent)] = min(low[id(parent)], low[id(node)])
            if low[id(node)] == index[id(node)]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(id(top))
                    component.append(top)
                    if top is node:
                        break
                members = {id(n) for n in component}
                finished.update(members)
                if len(component) > 1 or any(id(c) in members for _, c in _same_value_edges(node)):
                    yield component


def _handle(component: list[dict[str, Any]], label: str) -> None:
    members = {id(n) for n in component}
    inner = [(n, kw, c) for n in component for kw, c in _same_value_edges(n) if id(c) in members]
    keywords = sorted({kw for _, kw, _ in inner})
    first = min(component, key=lambda n: str(n.get(LOC, "")))
    where = str(first.get(LOC, "")) or "/"
    path = " -> ".join(dict.fromkeys(str(n.get(LOC) or "/") for n in sorted(component, key=lambda n: str(n.get(LOC)))))
    if keywords == ["anyOf"] and _resolvable(component, members):
        _least_fixed_point(component, members)
        return
    raise UnguardedRecursion(
        f"the schema refers to itself through {', '.join(keywords)} without descending into the value "
        f"({path}): {_why(keywords)}; a validator would loop forever on it",
        path=label,
        pointer=where,
    )


def _why(keywords: list[str]) -> str:
    if "not" in keywords:
        return "'not' of itself has no meaning (a value would be valid exactly when it is not)"
    if "allOf" in keywords:
        return "an allOf of itself has no single meaning (every subset of its constraints is a solution)"
    if "oneOf" in keywords:
        return "a oneOf of itself has no meaning (a value matching it matches twice, and so does not)"
    return "it has no single meaning"


def _resolvable(component: list[dict[str, Any]], members: set[int]) -> bool:
    """One node (its own keywords intersect the union), or several that hold nothing but their ``anyOf``."""
    if len(component) == 1:
        return True
    return all(all(k == "anyOf" or k.startswith("x-cdc-") for k in n) for n in component)


def _least_fixed_point(component: list[dict[str, Any]], members: set[int]) -> None:
    """Each node's anyOf becomes the members that leave the cycle, gathered over the whole cycle. A node that
    refers only to itself keeps its members in place (so locations keep their indexes), the self-references
    replaced by ``false``."""
    if len(component) == 1:
        (node,) = component
        node["anyOf"] = [False if isinstance(m, dict) and id(m) in members else m for m in node["anyOf"]]
        left = [m for m in node["anyOf"] if m is not False]
        if len(left) == 1 and isinstance(left[0], dict) and all(k == "anyOf" or k.startswith("x-cdc-") for k in node):
            # anyOf [itself, S] is S: take S's keywords (and its location), so rules see S itself
            del node["anyOf"]
            node.update(left[0])
        return
    outside: list[Any] = []
    ids: set[int] = set()
    for n in sorted(component, key=lambda n: str(n.get(LOC, ""))):
        for m in n.get("anyOf") or []:
            if (not isinstance(m, dict) or id(m) not in members) and id(m) not in ids:
                ids.add(id(m))
                outside.append(m)
    for n in component:
        n["anyOf"] = list(outside) if outside else [False]
