"""Structural hashes of canonical schemas (cycle-safe), and a finite rendering of cyclic ones.

A canonical schema is a graph: ``$ref`` targets are shared objects and recursive schemas are cycles. Comparing two
contracts skips flows whose schemas are identical, so we need a digest of what a schema *means* that ignores where
its nodes came from (``x-cdc-loc``, ``x-cdc-ref``), treats a shared node like inline copies, and terminates on
cycles without recursion (a chain of thousands of schemas must not hit Python's recursion limit). Messages and
reports need the opposite service: a finite JSON tree of a cyclic schema (``render``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pytest_cdcompat.kinds.schema.canonical import LOC, REF, dumps

__all__ = ["Hasher", "render", "structural_hash"]


def render(schema: Any, *, tags: bool = False) -> Any:
    """A finite, JSON-serialisable tree of a (possibly cyclic, shared) canonical schema, for messages and reports.

    A node met a second time is written ``{"$ref": "<its x-cdc-loc>"}`` (or its ``x-cdc-ref`` name), so a recursive
    schema renders once; ``x-cdc-*`` keys are dropped unless ``tags``. Keys come out sorted.
    """
    seen: set[int] = set()
    holder: list[Any] = [None]
    work: list[tuple[Any, Any, Any]] = [(schema, holder, 0)]
    while work:
        node, parent, key = work.pop()
        if not isinstance(node, (dict, list)):
            parent[key] = node
        elif id(node) in seen:
            where = node.get(LOC) or node.get(REF) if isinstance(node, dict) else None
            parent[key] = {"$ref": where or "(seen above)"}
        elif isinstance(node, dict):
            seen.add(id(node))
            out: dict[str, Any] = {}
            parent[key] = out
            keys = sorted(k for k in node if tags or not k.startswith("x-cdc-"))
            for k in keys:
                out[k] = None  # keep the sorted order whatever the fill order
            work.extend((node[k], out, k) for k in reversed(keys))
        else:
            seen.add(id(node))
            items: list[Any] = [None] * len(node)
            parent[key] = items
            work.extend((node[i], items, i) for i in reversed(range(len(node))))
    return holder[0]


def structural_hash(schema: Any, hasher: Hasher | None = None) -> str:
    """A digest of what ``schema`` means, ignoring ``x-cdc-loc``/``x-cdc-ref``: equal for equal canonical schemas.

    Pass one ``Hasher`` for many schemas of the same contract: nodes they share are hashed once.
    """
    return (hasher or Hasher()).hash(schema)


class Hasher:
    """Cycle-safe structural hashing.

    Acyclic nodes get a Merkle hash (so a shared ``$ref`` target and two inline copies hash alike). Nodes on cycles
    are hashed per strongly connected component (see ``_hash_component``): the component is serialised breadth first
    in key order, writing a back-reference number for a member seen before, while nodes outside the component
    contribute their own hash. Equal hashes therefore mean equal unfolded schemas; equivalent schemas whose cycles
    are drawn differently may hash apart, which only costs a comparison that could have been skipped.
    """

    def __init__(self) -> None:
        self.done: dict[int, str] = {}
        self.component: dict[int, int] = {}  # node id -> component number, for nodes on a cycle
        self.quotients: dict[int, dict[int, str]] = {}  # component -> stable class label of each member
        self.keep: list[Any] = []

    def hash(self, schema: Any) -> str:
        if not isinstance(schema, (dict, list)):
            return _digest(_label(schema))
        key = id(schema)
        digest = self.done.get(key)
        if digest is not None:
            return digest  # the common case: a node hashed before, no resolving
        if key not in self.component:
            self._tarjan(schema)
        return self._resolve(schema)

    def _resolve(self, node: Any) -> str:
        """The hash of ``node``, hashing the cyclic components it depends on first, with a work list (components
        form a DAG, so this ends; no recursion, so a long chain of recursive schemas is fine)."""
        stack = [node]
        while stack:
            top = stack[-1]
            if id(top) in self.done:
                stack.pop()
                continue
            members, outside = self._explore(top)
            needed = [dep for dep in outside if id(dep) not in self.done]
            if needed:
                stack.extend(needed)
                continue
            self._hash_component(top, members)
            stack.pop()
        return self.done[id(node)]

    def _explore(self, start: Any) -> tuple[list[Any], list[Any]]:
        """The members of ``start``'s component, and the nodes outside it that they point to."""
        component = self.component[id(start)]
        seen = {id(start)}
        members = [start]
        outside: list[Any] = []
        i = 0
        while i < len(members):
            for kid in _children(members[i]):
                if id(kid) in seen:
                    continue
                seen.add(id(kid))
                (members if self.component.get(id(kid)) == component else outside).append(kid)
            i += 1
        return members, outside

    def _hash_component(self, entry: Any, members: list[Any]) -> None:
        """Refine member labels by their neighbours' (Weisfeiler-Lehman rounds; with keyed children this is
        Moore's minimisation, so the stable classes are exactly the equivalent members). As soon as one member is
        alone in its class, serialise the component from it and hash every member at once (the component's digest
        plus the member's number). Otherwise, at the stable partition, serialise the quotient (one node per class)
        from the entry's class, which hashes that whole class. Both choices depend only on structure, so equal
        components hash alike."""
        component = self.component[id(entry)]
        quotient = self.quotients.get(component)
        if quotient is None:
            labels: dict[int, str] = {id(m): "*" for m in members}
            classes = 0
            for _ in range(len(members) + 1):
                labels = self._refine(members, labels)
                counts: dict[str, int] = {}
                for label in labels.values():
                    counts[label] = counts.get(label, 0) + 1
                alone = [label for label, count in counts.items() if count == 1]
                if alone:
                    first = min(alone)
                    start = next(m for m in members if labels[id(m)] == first)
                    digest, numbers = self._serialise(start, labels, False)
                    for member in members:
                        self.done[id(member)] = _digest(f"{digest}#{numbers[id(member)]}")
                    return
                if len(counts) == classes:
                    break
                classes = len(counts)
            quotient = self.quotients[component] = labels
        digest, _ = self._serialise(entry, quotient, True)
        for member in members:
            if quotient[id(member)] == quotient[id(entry)]:
                self.done[id(member)] = digest

    def _refine(self, members: list[Any], labels: dict[int, str]) -> dict[int, str]:
        def name(node: Any) -> str:
            return labels[id(node)] if id(node) in labels else self.done[id(node)]

        return {id(m): _digest(self._shape(m, name)) for m in members}

    def _tarjan(self, root: Any) -> None:
        index: dict[int, int] = {}
        low: dict[int, int] = {}
        on_stack: set[int] = set()
        stack: list[Any] = []
        counter = 0
        work: list[tuple[Any, list[Any], int]] = [(root, _children(root), 0)]
        index[id(root)] = low[id(root)] = counter
        counter += 1
        stack.append(root)
        on_stack.add(id(root))
        while work:
            node, kids, i = work[-1]
            if i < len(kids):
                work[-1] = (node, kids, i + 1)
                kid = kids[i]
                k = id(kid)
                if k in self.done or k in self.component:
                    continue
                if k not in index:
                    index[k] = low[k] = counter
                    counter += 1
                    stack.append(kid)
                    on_stack.add(k)
                    work.append((kid, _children(kid), 0))
                elif k in on_stack:
                    low[id(node)] = min(low[id(node)], index[k])
                continue
            work.pop()
            n = id(node)
            if work:
                parent = id(work[-1][0])
                low[parent] = min(low[parent], low[n])
            if low[n] != index[n]:
                continue
            members = []
            while True:
                member = stack.pop()
                on_stack.discard(id(member))
                members.append(member)
                if member is node:
                    break
            self.keep.extend(members)
            if len(members) == 1 and not any(kid is node for kid in kids):
                self.done[n] = _digest(self._shape(node, None))
            else:
                for member in members:
                    self.component[id(member)] = n

    def _shape(self, node: Any, visit: Any) -> str:
        """One node's text, with each child as its hash, or as ``visit(child)`` for children on the same cycle."""
        parts: list[str] = []
        if isinstance(node, dict):
            keys = sorted(k for k in node if k not in (LOC, REF))
            if not keys:
                return _label(True)
            for k in keys:
                parts.append(_key(k) + self._child(node[k], visit))
            return "{" + ",".join(parts) + "}"
        return "[" + ",".join(self._child(v, visit) for v in node) + "]"

    def _child(self, value: Any, visit: Any) -> str:
        if not isinstance(value, (dict, list)):
            return _label(value)
        if visit is not None:
            return str(visit(value))
        return self.done[id(value)] if id(value) in self.done else self._resolve(value)

    def _serialise(self, start: Any, labels: dict[int, str], by_class: bool) -> tuple[str, dict[Any, int]]:
        """Serialise ``start``'s component breadth first from ``start`` (every node outside it is already hashed),
        numbering members (or, ``by_class``, their classes) on first sight: the digest and the numbers."""
        numbers: dict[Any, int] = {}
        order: list[Any] = []

        def visit(node: Any) -> str:
            if id(node) not in labels:
                return self.done[id(node)]
            key = labels[id(node)] if by_class else id(node)
            if key not in numbers:
                numbers[key] = len(order)
                order.append(node)
            return f"@{numbers[key]}"

        visit(start)
        out: list[str] = []
        i = 0
        while i < len(order):
            out.append(self._shape(order[i], visit))
            i += 1
        return _digest("|".join(out)), numbers


def _children(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k not in (LOC, REF) and isinstance(v, (dict, list))]
    if isinstance(node, list):
        return [v for v in node if isinstance(v, (dict, list))]
    return []


_TEXTS: dict[str, str] = {}  # JSON text of keys and string values: schemas repeat a few thousand of them
_TEXTS_MAX = 1 << 18


def _key(k: str) -> str:
    text = _TEXTS.get(k)
    if text is None:
        text = json.dumps(k) + ":"
        if len(_TEXTS) < _TEXTS_MAX:
            _TEXTS[k] = text
    return text


_LABELS: dict[str, str] = {}


def _label(value: Any) -> str:
    if value is True:
        return "T"
    if value is False:
        return "F"
    if type(value) is str:
        text = _LABELS.get(value)
        if text is None:
            text = dumps(value)
            if len(_LABELS) < _TEXTS_MAX:
                _LABELS[value] = text
        return text
    return dumps(value)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
