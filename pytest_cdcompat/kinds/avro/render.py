"""Show an Avro datum in Avro's JSON encoding, walking our own schema graph rather than an encoder.

Why not fastavro's ``json_writer``: its JSON encoder is a parser over the schema that fails on legal shapes (a record
with no fields ends in ``Internal Parser Exception``), and a counterexample that cannot be shown must never crash the
report. The encoding is the specification's: ``null``, booleans, numbers and strings as themselves, ``bytes`` and
``fixed`` as strings of code points 0-255, a record as an object of its fields in order, an enum as its symbol, and a
union value as ``null`` or ``{"branch type": value}`` (named branches by full name), as ``fastavro.json_reader``
reads it back. The union branch of an untagged datum is chosen as fastavro's writer chooses it: the branch named by
tuple notation, else the first branch the datum is valid for (among records, the one declaring most of its keys;
``double`` before ``float``).
"""

from __future__ import annotations

from typing import Any

from pytest_cdcompat.kinds.avro.avro_schema import Node

__all__ = ["to_json"]

_INT32 = 2**31
_INT64 = 2**63


def to_json(datum: Any, node: Node) -> Any:
    """Avro's JSON encoding of ``datum`` written with the schema rooted at ``node``."""
    k = node.kind
    if k == "union":
        branch, value = _branch(datum, node)
        if branch.kind == "null":
            return None
        return {branch.name or branch.kind: to_json(value, branch)}
    if k in ("bytes", "fixed") and isinstance(datum, (bytes, bytearray)):
        return bytes(datum).decode("iso-8859-1")
    if k == "record" and isinstance(datum, dict):
        return {f.name: to_json(datum.get(f.name, f.default), f.type) for f in node.fields}
    if k == "array" and node.items is not None and isinstance(datum, list):
        return [to_json(v, node.items) for v in datum]
    if k == "map" and node.items is not None and isinstance(datum, dict):
        return {str(key): to_json(v, node.items) for key, v in datum.items()}
    return datum


def _branch(datum: Any, union: Node) -> tuple[Node, Any]:
    if isinstance(datum, tuple) and len(datum) == 2:
        name, value = datum
        for b in union.branches:
            if (b.name or b.kind) == name:
                return b, value
    valid = [b for b in union.branches if valid_for(datum, b)]
    if not valid:
        return union.branches[0], datum
    records = [b for b in valid if b.kind == "record"]
    if records and isinstance(datum, dict):
        return max(records, key=lambda b: sum(1 for f in b.fields if f.name in datum)), datum
    if valid[0].kind == "float":
        return next((b for b in valid if b.kind == "double"), valid[0]), datum
    return valid[0], datum


def valid_for(datum: Any, node: Node, depth: int = 0) -> bool:
    """Whether ``datum`` is a value of ``node`` (the writer's validation, enough to pick a union branch)."""
    if depth > 64:
        return True
    k = node.kind
    if k == "union":
        return any(valid_for(datum, b, depth + 1) for b in node.branches)
    if k == "null":
        return datum is None
    if k == "boolean":
        return isinstance(datum, bool)
    if k in ("int", "long"):
        bound = _INT32 if k == "int" else _INT64
        return isinstance(datum, int) and not isinstance(datum, bool) and -bound <= datum < bound
    if k in ("float", "double"):
        return isinstance(datum, (int, float)) and not isinstance(datum, bool)
    if k == "string":
        return isinstance(datum, str)
    if k == "bytes":
        return isinstance(datum, (bytes, bytearray))
    if k == "fixed":
        return isinstance(datum, (bytes, bytearray)) and len(datum) == node.size
    if k == "enum":
        return datum in node.symbols
    if k == "array" and node.items is not None:
        return isinstance(datum, list) and all(valid_for(v, node.items, depth + 1) for v in datum)
    if k == "map" and node.items is not None:
        return isinstance(datum, dict) and all(valid_for(v, node.items, depth + 1) for v in datum.values())
    if k == "record":
        return isinstance(datum, dict) and all(
            valid_for(datum.get(f.name, f.default), f.type, depth + 1) for f in node.fields
        )
    return False
