"""Generate Avro datums for a writer schema and prove breaks by really encoding and decoding them with fastavro.

Why real encoding: a rule is only an opinion about the specification; fastavro's ``schemaless_reader(writer, reader)``
is an implementation of it that users run in production. Every error finding must come with a datum the writer
encodes and the reader cannot decode, so the rules and the implementation are checked against each other.

Datums are built by construction from the writer's ``Node`` graph (never by filtering), steered along a path of
choices (a field, an array item, a map value, a union branch, an enum symbol) so the generated message really
contains the place a rule points at. Logical types are stripped before encoding: they change how values are shown,
not whether they decode, and plain values keep counterexamples JSON-encodable. Search is seeded, uses no database
and is bounded by ``settings.examples``, so reports are byte-identical run to run.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from pytest_cdcompat.kinds.avro.avro_pairing import Step
from pytest_cdcompat.kinds.avro.avro_schema import Node, strip_logical
from pytest_cdcompat.proving.driver import NONE, find_smallest

__all__ = ["Found", "decode_error", "search", "simplest", "strategy", "strip_logical"]

DEPTH_LIMIT = 5  # beyond this depth arrays and maps are empty and unions prefer non-recursive branches
_INT32 = 2**31
_INT64 = 2**63
_LEAVES = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string", "enum", "fixed"})


class _Strategies:
    def __init__(self, frozen: frozenset[tuple[int, str]] = frozenset()) -> None:
        self.cache: dict[tuple[int, int], st.SearchStrategy[Any]] = {}
        self.frozen = frozen

    def of(self, node: Node, steer: tuple[Step, ...] = (), depth: int = 0) -> st.SearchStrategy[Any]:
        if not steer:
            key = (id(node), min(depth, DEPTH_LIMIT + 1))
            if key not in self.cache:
                self.cache[key] = self.build(node, (), depth)
            return self.cache[key]
        return self.build(node, steer, depth)

    def build(self, node: Node, steer: tuple[Step, ...], depth: int) -> st.SearchStrategy[Any]:
        head, rest = (steer[0], steer[1:]) if steer else (None, ())
        k = node.kind
        if k == "union":
            if head and head[0] == "branch":
                # tuple notation makes fastavro encode this very branch even when an earlier one accepts the value
                branch = node.branches[int(head[1])]
                name = branch.name or branch.kind
                return self.of(branch, rest, depth).map(lambda v: (name, v))
            branches = node.branches
            if depth >= DEPTH_LIMIT:
                branches = [b for b in branches if b.kind in _LEAVES] or branches
            return st.one_of([self.of(b, (), depth) for b in branches])
        if k == "record":
            if depth > 4 * DEPTH_LIMIT + 20:
                raise RecursionError(f"record {node.name} nests itself without a way out")
            if head is None:
                fixed = {f.name: simplest(f.type, depth + 1) for f in node.fields if (id(node), f.name) in self.frozen}
                free = {f.name: self.of(f.type, (), depth + 1) for f in node.fields if f.name not in fixed}
                if not fixed:
                    return st.fixed_dictionaries(free)
                return st.fixed_dictionaries(free).map(lambda d: {**fixed, **d})
            # steering through this record: fields off the path keep their simplest value, so the search (and
            # hypothesis' shrinking) only varies the part of the message the finding is about
            base = {f.name: simplest(f.type, depth + 1) for f in node.fields if ("field", f.name) != head}
            name = head[1] if head[0] == "field" else ""
            target = node.field_named(name)
            if target is None:
                return st.just(base)
            return self.of(target.type, rest, depth + 1).map(lambda v: {**base, name: v})
        if k in ("array", "map") and node.items is not None:
            if head in (("items",), ("values",)):
                first = self.of(node.items, rest, depth + 1)
                more = st.lists(self.of(node.items, (), depth + 1), max_size=2)
                if k == "array":
                    return st.tuples(first, more).map(lambda t: [t[0], *t[1]])
                return st.tuples(first, more).map(lambda t: {"k": t[0], **{f"k{i}": v for i, v in enumerate(t[1])}})
            size = 0 if depth >= DEPTH_LIMIT else 3
            if size == 0:  # an empty collection is the way out of a record nested in itself through an array
                return st.just([] if k == "array" else {})
            item = self.of(node.items, (), depth + 1)
            if item.is_empty:  # items of an empty union: only the empty collection exists
                return st.just([] if k == "array" else {})
            if k == "array":
                return st.lists(item, max_size=size)
            return st.dictionaries(st.text(max_size=4), item, max_size=size)
        if k == "enum":
            if head and head[0] == "symbol":
                return st.just(head[1])
            return st.sampled_from(node.symbols) if node.symbols else st.nothing()
        if k == "fixed":
            return st.binary(min_size=node.size, max_size=node.size)
        if k == "bytes" and head == ("invalid-utf8",):
            return st.binary(max_size=3).map(lambda b: b"\xff" + b)
        return _PRIMITIVES[k]


_PRIMITIVES: dict[str, st.SearchStrategy[Any]] = {
    "null": st.none(),
    "boolean": st.booleans(),
    "int": st.integers(-_INT32, _INT32 - 1),
    "long": st.integers(-_INT64, _INT64 - 1),
    "float": st.floats(width=32, allow_nan=False, allow_infinity=False),
    "double": st.floats(allow_nan=False, allow_infinity=False),
    "bytes": st.binary(max_size=6),
    "string": st.text(max_size=6),
}


def simplest(node: Node, depth: int = 0) -> Any:
    """The smallest datum of a schema: zeros, empty strings and collections, the first (non-recursive) branch."""
    k = node.kind
    if k == "union":
        leaves = [b for b in node.branches if b.kind in _LEAVES] or node.branches
        return simplest(leaves[0], depth)
    if k == "record":
        if depth > 4 * DEPTH_LIMIT + 20:
            raise RecursionError(f"record {node.name} nests itself without a way out")
        return {f.name: simplest(f.type, depth + 1) for f in node.fields}
    return _SIMPLEST.get(k, b"\0" * node.size if k == "fixed" else (node.symbols[0] if node.symbols else None))


_SIMPLEST: dict[str, Any] = {
    "null": None, "boolean": False, "int": 0, "long": 0, "float": 0.0, "double": 0.0, "bytes": b"", "string": "",
    "array": [], "map": {},
}  # fmt: skip


def strategy(
    node: Node, steer: tuple[Step, ...] = (), frozen: frozenset[tuple[int, str]] = frozenset()
) -> st.SearchStrategy[Any]:
    """Datums valid for the schema rooted at ``node``, all passing through the place ``steer`` leads to.

    ``frozen`` names record fields ``(id(record node), field name)`` that cannot make a difference (the reader
    ignores them, or reads them with an identical schema); they keep their simplest value, which keeps searches
    over wide records fast without losing any failure."""
    return _Strategies(frozen).of(node, steer)


def decode_error(datum: Any, writer_schema: Any, reader_schema: Any) -> str | None:
    """Encode ``datum`` with the writer schema, decode it with the reader's; the failure, or None when it reads."""
    from fastavro import schemaless_reader, schemaless_writer

    buf = io.BytesIO()
    schemaless_writer(buf, writer_schema, datum)
    buf.seek(0)
    try:
        schemaless_reader(buf, writer_schema, reader_schema)
    except Exception as e:  # any exception is the reader failing on valid data
        text = f"{type(e).__name__}: {e}"
        return text if len(text) <= 240 else text[:237] + "..."
    left = len(buf.read())
    return f"{left} byte(s) left unread" if left else None


@dataclass(frozen=True)
class Found:
    """A search result: ``value`` is the datum found, which may itself be ``None`` (Avro's ``null``)."""

    value: Any


def search(strat: st.SearchStrategy[Any], fails: Callable[[Any], bool], examples: int, seed: int) -> Found | None:
    """The smallest datum ``fails`` accepts within ``examples`` tries, or None when none was found (a found
    ``null`` datum is ``Found(None)``, so a change from or to ``null`` can be demonstrated)."""
    if examples <= 0:
        return None
    found = find_smallest(strat, fails, examples=examples, seed=seed)
    return None if found is NONE else Found(found)
