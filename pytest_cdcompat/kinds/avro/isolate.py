"""Build a reader schema that differs from the writer's in one place only, to show *why* a datum fails.

A steered datum that fails against the real reader proves a break, but when a pair of schemas differs in several
places fastavro reports whichever difference it meets first, which may belong to another finding. So the engine
also decodes against an *isolated* reader: the writer's schema with just the rule's pair replaced by the reader's
side (a record keeps the writer's field types and takes the reader's field list; a union loses the unmatched
branch). A counterexample must fail against both, and it shows the isolated error. When a name clash makes the
isolated schema impossible, the real reader alone decides.
"""

from __future__ import annotations

from typing import Any

from pytest_cdcompat.kinds.avro.avro_pairing import AvroPair
from pytest_cdcompat.kinds.avro.avro_schema import Field, Node


class _Clash(Exception):
    pass


def _shallow(pair: AvroPair) -> tuple[Node, Node]:
    w, r = pair.writer, pair.reader
    if pair.mismatch == "changed" and pair.w_branch and pair.w_union is not None:
        u = pair.w_union
        return u, Node("union", u.ptr, branches=[b for b in u.branches if b is not w])
    if pair.matched and w.kind == "record":
        fields = []
        for rf in r.fields:
            wf = w.field_named(rf.name) or next((w.field_named(a) for a in rf.aliases if w.field_named(a)), None)
            ftype = wf.type if wf is not None else rf.type
            fields.append(Field(rf.name, ftype, rf.ptr, rf.aliases, rf.has_default, rf.default))
        return w, Node("record", r.ptr, name=r.name, aliases=r.aliases, fields=fields)
    return w, r


def _raw(node: Node, subst: dict[int, Node], defined: dict[str, Node]) -> Any:
    node = subst.get(id(node), node)
    k = node.kind
    if k == "union":
        return [_raw(b, subst, defined) for b in node.branches]
    if k in ("array", "map") and node.items is not None:
        return {"type": k, ("items" if k == "array" else "values"): _raw(node.items, subst, defined)}
    if node.name is None:
        return k
    if node.name in defined:
        if defined[node.name] is not node:
            raise _Clash(node.name)
        return node.name
    defined[node.name] = node
    out: dict[str, Any] = {"type": k, "name": node.name}
    if node.aliases:
        out["aliases"] = list(node.aliases)
    if k == "enum":
        out["symbols"] = list(node.symbols)
        if node.enum_default is not None:
            out["default"] = node.enum_default
    elif k == "fixed":
        out["size"] = node.size
    else:
        fields = []
        for f in node.fields:
            spec: dict[str, Any] = {"name": f.name, "type": _raw(f.type, subst, defined)}
            if f.aliases:
                spec["aliases"] = list(f.aliases)
            if f.has_default:
                spec["default"] = f.default
            fields.append(spec)
        out["fields"] = fields
    return out


def isolated_reader(writer_root: Node, pair: AvroPair) -> Any | None:
    """fastavro's parsed reader schema differing from the writer only at ``pair``, or None if it cannot be built."""
    from fastavro import parse_schema

    old, new = _shallow(pair)
    try:
        return parse_schema(_raw(writer_root, {id(old): new}, {}))
    except _Clash:
        return None
    except Exception:  # a hybrid fastavro refuses (e.g. a default invalid for the writer's type): no isolation
        return None


def canonical(node: Node) -> str:
    """A text equal for two subtrees exactly when fastavro resolves them identically (doc and order aside)."""
    import json

    return json.dumps(_raw(node, {}, {}), sort_keys=True)


def frozen_fields(found: list[AvroPair]) -> frozenset[tuple[int, str]]:
    """Writer record fields no reader can fail on: ignored by the reader, or read with an identical schema."""
    out: set[tuple[int, str]] = set()
    for p in found:
        if not p.matched or p.writer.kind != "record":
            continue
        for wf in p.writer.fields:
            rf = p.reader.field_named(wf.name) or next((f for f in p.reader.fields if wf.name in f.aliases), None)
            if rf is None or canonical(wf.type) == canonical(rf.type):
                out.add((id(p.writer), wf.name))
    return frozenset(out)
