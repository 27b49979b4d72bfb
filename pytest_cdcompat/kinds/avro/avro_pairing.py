"""Walk a writer schema and a reader schema together, as Avro's schema resolution does, and list the node pairs.

This is buf's "pairing adapter" for Avro: rules never resolve anything themselves; they see one ``AvroPair`` at a
time (a writer node and the reader node the specification resolves it against) and only decide whether that pair
is a break. The walk follows the specification's "Schema Resolution" section: unions are resolved branch by branch
(each writer branch against the first matching reader branch), records field by field (by name or reader alias),
arrays and maps through their items and values. A pair that does not match is not descended into and carries a
``mismatch`` classification, so exactly one rule explains it.

Each pair also records ``steer``: the choices (field, array item, map value, union branch) that lead from the root
of the writer schema to the writer node. The datum generator uses it to build messages that really reach the node,
which is how every verdict gets a counterexample.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pytest_cdcompat.kinds.avro.avro_schema import PROMOTIONS, Node, matches, names_match

Step = tuple[str, ...]  # ("field", name) | ("items",) | ("values",) | ("branch", index) | ("symbol", s)


@dataclass(frozen=True)
class AvroPair:
    writer: Node
    reader: Node
    steer: tuple[Step, ...]
    path: str  # where in a message: "OrderCreated.lines[].sku"
    location: str  # JSON pointer of this place in the NEW document when it exists there
    w_branch: bool = False  # the writer node is one branch of a writer union
    mismatch: str | None = None  # None (resolved), "renamed", "fixed-size", "narrowed" or "changed"
    w_union: Node | None = None  # the writer union ``writer`` is a branch of

    @property
    def matched(self) -> bool:
        return self.mismatch is None


def classify(writer: Node, reader: Node) -> str | None:
    if matches(writer, reader):
        return None
    if writer.kind == reader.kind and writer.kind in ("record", "enum", "fixed"):
        return "renamed" if not names_match(writer, reader) else "fixed-size"
    if writer.kind in PROMOTIONS.get(reader.kind, frozenset()):
        return "narrowed"
    return "changed"


def _near(writer: Node, reader_union: Node) -> Node | None:
    """The reader branch a mismatch is best explained against: same named kind, or a reversed promotion."""
    for b in reader_union.branches:
        if classify(writer, b) in ("renamed", "fixed-size", "narrowed"):
            return b
    return None


class _Walk:
    def __init__(self, new_is_writer: bool) -> None:
        self.new_is_writer = new_is_writer
        self.seen: set[tuple[int, int]] = set()
        self.out: list[AvroPair] = []

    def loc(self, writer: Node, reader: Node) -> str:
        return writer.ptr if self.new_is_writer else reader.ptr

    def walk(
        self, w: Node, r: Node, steer: tuple[Step, ...], path: str, w_branch: bool, w_union: Node | None = None
    ) -> None:
        if w.kind == "union":
            for i, b in enumerate(w.branches):
                self.walk(b, r, (*steer, ("branch", str(i))), path, True, w)
            return
        if r.kind == "union":
            target = next((b for b in r.branches if matches(w, b)), None) or _near(w, r)
            if target is None:
                self.out.append(AvroPair(w, r, steer, path, self.loc(w, r), w_branch, "changed", w_union))
                return
            r = target
        mismatch = classify(w, r)
        if w.kind == "record" and mismatch is None:
            key = (id(w), id(r))
            if key in self.seen:  # a recursive or shared record: its pair was listed (and walked) already
                return
            self.seen.add(key)
        self.out.append(AvroPair(w, r, steer, path, self.loc(w, r), w_branch, mismatch, w_union))
        if mismatch is not None:
            return
        if w.kind == "record":
            for rf in r.fields:
                wf = w.field_named(rf.name) or next((w.field_named(a) for a in rf.aliases if w.field_named(a)), None)
                if wf is not None:
                    self.walk(wf.type, rf.type, (*steer, ("field", wf.name)), f"{path}.{rf.name}", False)
        elif w.kind in ("array", "map") and w.items is not None and r.items is not None:
            step = ("items",) if w.kind == "array" else ("values",)
            suffix = "[]" if w.kind == "array" else "{}"
            self.walk(w.items, r.items, (*steer, step), f"{path}{suffix}", False)


def pairs(writer: Node, reader: Node, *, new_is_writer: bool) -> Iterator[AvroPair]:
    """Every node pair schema resolution reaches, parents before children."""
    w = _Walk(new_is_writer)
    w.walk(writer, reader, (), writer.short_name if writer.name else "message", False)
    yield from w.out
