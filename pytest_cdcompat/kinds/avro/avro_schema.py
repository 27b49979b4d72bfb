"""Turn an Avro schema (parsed JSON) into a tree of ``Node``s that rules and the datum generator can walk.

Why not walk fastavro's parsed schema: fastavro keeps named types as strings resolved through a side table and drops
the place each definition came from. Findings must point into the user's file, and the resolution walk must follow
named references (including recursive ones), so we build our own graph: every named reference is the *same* ``Node``
object as its definition (recursive types become cyclic graphs), and every node and field remembers the JSON pointer
of its definition. fastavro stays the judge of validity (the loader runs ``parse_schema`` too) and of decoding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pytest_cdcompat.core.errors import ContractLoadError

PRIMITIVES = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string"})
NAMED = frozenset({"record", "error", "enum", "fixed"})

# Writer type -> reader types it may be read as (the Avro specification's promotions).
PROMOTIONS: Mapping[str, frozenset[str]] = {
    "int": frozenset({"long", "float", "double"}),
    "long": frozenset({"float", "double"}),
    "float": frozenset({"double"}),
    "string": frozenset({"bytes"}),
    "bytes": frozenset({"string"}),
}


@dataclass(eq=False)
class Field:
    name: str
    type: Node
    ptr: str
    aliases: tuple[str, ...] = ()
    has_default: bool = False
    default: Any = None


@dataclass(eq=False)
class Node:
    kind: str  # a primitive, "record", "enum", "fixed", "array", "map" or "union"
    ptr: str  # JSON pointer of the definition
    name: str | None = None  # full name of a named type
    aliases: tuple[str, ...] = ()  # full names
    written_aliases: tuple[str, ...] = ()  # as the schema spells them (fastavro matches these too)
    fields: list[Field] = field(default_factory=list)
    symbols: tuple[str, ...] = ()
    enum_default: str | None = None
    size: int = 0
    items: Node | None = None  # array items / map values
    branches: list[Node] = field(default_factory=list)
    logical: tuple[Any, ...] | None = None  # (logicalType, precision, scale) when declared

    @property
    def short_name(self) -> str:
        return (self.name or self.kind).rsplit(".", 1)[-1]

    def label(self) -> str:
        if self.kind == "union":
            return "[" + ", ".join(b.label() for b in self.branches) + "]"
        if self.name:
            return f"{self.kind} {self.short_name}"
        if self.kind == "array" and self.items is not None:
            return f"array<{self.items.label()}>"
        if self.kind == "map" and self.items is not None:
            return f"map<{self.items.label()}>"
        if self.logical:
            return f"{self.kind} ({self.logical[0]})"
        return self.kind

    def field_named(self, name: str) -> Field | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.named: dict[str, Node] = {}

    def fail(self, message: str, ptr: str) -> ContractLoadError:
        return ContractLoadError(message, path=self.path, pointer=ptr)

    def full(self, name: str, namespace: str | None) -> str:
        if "." in name or not namespace:
            return name
        return f"{namespace}.{name}"

    def build(self, raw: Any, ptr: str, namespace: str | None) -> Node:
        if isinstance(raw, str):
            return self.reference(raw, ptr, namespace)
        if isinstance(raw, list):
            node = Node("union", ptr)
            node.branches = [self.build(b, f"{ptr}/{i}", namespace) for i, b in enumerate(raw)]
            return node
        if not isinstance(raw, dict):
            raise self.fail(f"a schema must be a type name, an object or a union list, not {raw!r}", ptr)
        kind = raw.get("type")
        if kind is None:
            raise self.fail("schema object has no 'type'", ptr)
        if not isinstance(kind, str) or (kind not in PRIMITIVES and kind not in NAMED | {"array", "map"}):
            # {"type": {...}} or {"type": "SomeNamedType"}: a wrapper around another schema
            return self.build(kind, f"{ptr}/type", namespace)
        logical = None
        if isinstance(raw.get("logicalType"), str):
            logical = (raw["logicalType"], raw.get("precision"), raw.get("scale"))
        if kind in PRIMITIVES:
            return Node(kind, ptr, logical=logical)
        if kind in ("array", "map"):
            key = "items" if kind == "array" else "values"
            if key not in raw:
                raise self.fail(f"{kind} schema has no '{key}'", ptr)
            node = Node(kind, ptr, logical=logical)
            node.items = self.build(raw[key], f"{ptr}/{key}", namespace)
            return node
        return self.named_type(raw, kind, ptr, namespace, logical)

    def named_type(self, raw: dict[str, Any], kind: str, ptr: str, namespace: str | None, logical: Any) -> Node:
        name = raw.get("name")
        if not isinstance(name, str) or not name:
            raise self.fail(f"{kind} schema has no 'name'", ptr)
        ns = raw.get("namespace") if isinstance(raw.get("namespace"), str) else None
        full = self.full(name, ns if ns is not None else namespace)
        inner_ns = full.rsplit(".", 1)[0] if "." in full else None
        written = tuple(a for a in raw.get("aliases", []) if isinstance(a, str))
        aliases = tuple(self.full(a, inner_ns) for a in written)
        node = Node(
            "record" if kind == "error" else kind,
            ptr,
            name=full,
            aliases=aliases,
            written_aliases=written,
            logical=logical,
        )
        self.named[full] = node
        if kind == "enum":
            node.symbols = tuple(s for s in raw.get("symbols", []) if isinstance(s, str))
            node.enum_default = raw.get("default") if isinstance(raw.get("default"), str) else None
        elif kind == "fixed":
            size = raw.get("size")
            if not isinstance(size, int) or size < 0:
                raise self.fail("fixed schema needs a non-negative integer 'size'", ptr)
            node.size = size
        else:
            fields = raw.get("fields")
            if not isinstance(fields, list):
                raise self.fail("record schema needs a 'fields' list", ptr)
            for i, f in enumerate(fields):
                fptr = f"{ptr}/fields/{i}"
                if not isinstance(f, dict) or not isinstance(f.get("name"), str) or "type" not in f:
                    raise self.fail("a record field needs a 'name' and a 'type'", fptr)
                node.fields.append(
                    Field(
                        name=f["name"],
                        type=self.build(f["type"], f"{fptr}/type", inner_ns),
                        ptr=fptr,
                        aliases=tuple(a for a in f.get("aliases", []) if isinstance(a, str)),
                        has_default="default" in f,
                        default=f.get("default"),
                    )
                )
        return node

    def reference(self, name: str, ptr: str, namespace: str | None) -> Node:
        if name in PRIMITIVES:
            return Node(name, ptr)
        for candidate in (self.full(name, namespace), name):
            if candidate in self.named:
                return self.named[candidate]
        raise self.fail(f"unknown type name {name!r} (not a primitive and not defined before this point)", ptr)


def build(raw: Any, path: str) -> tuple[Node, dict[str, Node]]:
    """The node graph of a whole schema document, and its named types by full name."""
    b = _Builder(path)
    return b.build(raw, "", None), b.named


def names_match(writer: Node, reader: Node) -> bool:
    """Named types match by unqualified name (as fastavro does) or through the reader's aliases: an alias, as written
    or as qualified by the reader's namespace, that is the writer's full or short name. A qualified alias in another
    namespace (``b.Order`` for a writer ``a.Order``) does not match: fastavro refuses to resolve it."""
    if writer.short_name == reader.short_name:
        return True
    wanted = {writer.name, writer.short_name}
    return any(a in wanted for a in (*reader.aliases, *reader.written_aliases))


def matches(writer: Node, reader: Node) -> bool:
    """Whether a (non-union) writer node resolves against a (non-union) reader node at this level."""
    if writer.kind == reader.kind:
        if writer.kind in ("record", "enum"):
            return names_match(writer, reader)
        if writer.kind == "fixed":
            return names_match(writer, reader) and writer.size == reader.size
        return True
    return reader.kind in PROMOTIONS.get(writer.kind, frozenset())


def strip_logical(raw: Any) -> Any:
    """The schema without logical-type annotations (defaults are data and are kept as they are)."""
    if isinstance(raw, list):
        return [strip_logical(x) for x in raw]
    if isinstance(raw, dict):
        return {k: (v if k == "default" else strip_logical(v)) for k, v in raw.items() if k != "logicalType"}
    return raw
