"""Index a compiled ``.proto`` and pair the writer's and the reader's messages, fields and RPC methods.

This is buf's pairing adapter for our Protobuf rules: a rule sees one pair (writer and reader side of a message,
of a field matched *by number*, or of an RPC method) and never looks anything up itself. Messages are matched by
their name relative to the package (the binary encoding does not carry the package, so moving a message to another
package does not change its wire format), and then by where they are used: the message types two paired fields
declare are paired too, wherever they are defined (an imported file included), so a change inside an imported type
is found even when its full name stays the same. RPC methods by ``/package.Service/Method``, which is what gRPC
sends.

Descriptors are the protobuf runtime's (``google.protobuf.descriptor``), loaded into a private ``DescriptorPool``
per version, so the same objects later build the message classes used for real round trips.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# Types whose encodings share a wire type and read each other's bytes (buf's WIRE groups, plus enum with varints).
WIRE_GROUPS = (
    frozenset({"int32", "int64", "uint32", "uint64", "bool", "enum"}),
    frozenset({"sint32", "sint64"}),
    frozenset({"fixed32", "sfixed32"}),
    frozenset({"fixed64", "sfixed64"}),
    frozenset({"string", "bytes"}),
)

# writer type -> reader types that read every writer value unchanged
SAFE_WIDENING = {
    "int32": frozenset({"int64"}),
    "uint32": frozenset({"int64", "uint64"}),
    "bool": frozenset({"int32", "int64", "uint32", "uint64"}),
    "enum": frozenset({"int32", "int64"}),
    "sint32": frozenset({"sint64"}),
}

_TYPE_NAMES = {
    1: "double", 2: "float", 3: "int64", 4: "uint64", 5: "int32", 6: "fixed64", 7: "fixed32", 8: "bool",
    9: "string", 10: "group", 11: "message", 12: "bytes", 13: "uint32", 14: "enum", 15: "sfixed32",
    16: "sfixed64", 17: "sint32", 18: "sint64",
}  # fmt: skip


def type_name(f: Any) -> str:
    """``int32``, ``string``, ``enum``, ``message`` ... (``map`` for map fields)."""
    if is_map(f):
        return "map"
    return _TYPE_NAMES[f.type]


def is_map(f: Any) -> bool:
    return bool(f.message_type is not None and f.message_type.GetOptions().map_entry)


def shown_type(f: Any) -> str:
    t = type_name(f)
    if t == "map":
        k, v = f.message_type.fields_by_name["key"], f.message_type.fields_by_name["value"]
        return f"map<{shown_type(k)}, {shown_type(v)}>"
    if t == "message":
        t = f.message_type.full_name
    elif t == "enum":
        t = f.enum_type.full_name
    return f"repeated {t}" if f.is_repeated else t


def oneof_of(f: Any) -> str | None:
    """The real (not proto3-optional synthetic) oneof a field belongs to."""
    o = f.containing_oneof
    if o is None or (len(o.fields) == 1 and o.name == f"_{f.name}"):
        return None
    return str(o.name)


@dataclass
class ProtoIndex:
    """One compiled version: its pool, its own messages (relative key -> descriptor) and methods."""

    pool: Any
    package: str
    syntax: str = "proto2"
    messages: dict[str, Any] = field(default_factory=dict)
    protos: dict[str, Any] = field(default_factory=dict)  # full name -> DescriptorProto (reserved ranges, names)
    methods: dict[str, Any] = field(default_factory=dict)  # "/pkg.Service/Method" -> MethodDescriptor


def index(fds_bytes: bytes, main: str) -> ProtoIndex:
    from google.protobuf import descriptor_pb2, descriptor_pool

    fds = descriptor_pb2.FileDescriptorSet.FromString(fds_bytes)
    pool = descriptor_pool.DescriptorPool()
    for f in fds.file:
        pool.Add(f)
    main_file = next(f for f in fds.file if f.name == main)
    out = ProtoIndex(pool=pool, package=main_file.package, syntax=main_file.syntax or "proto2")
    prefix = f"{main_file.package}." if main_file.package else ""

    def walk(protos: Any, scope: str) -> None:
        for p in protos:
            full = f"{scope}{p.name}"
            if p.options.map_entry:
                continue
            out.protos[full] = p
            out.messages[full[len(prefix) :]] = pool.FindMessageTypeByName(full)
            walk(p.nested_type, f"{full}.")

    walk(main_file.message_type, prefix)
    for other in fds.file:  # imported files: their types are compared wherever a field of ours reaches them
        if other is not main_file:
            _protos(other.message_type, f"{other.package}." if other.package else "", out.protos)
    for s in main_file.service:
        sd = pool.FindServiceByName(f"{prefix}{s.name}")
        for m in sd.methods:
            out.methods[f"/{sd.full_name}/{m.name}"] = m
    return out


def _protos(protos: Any, scope: str, out: dict[str, Any]) -> None:
    for p in protos:
        if not p.options.map_entry:
            out[f"{scope}{p.name}"] = p
            _protos(p.nested_type, f"{scope}{p.name}.", out)


@dataclass(frozen=True)
class MessagePair:
    key: str
    writer: Any  # Descriptor | None
    reader: Any
    writer_proto: Any = None  # DescriptorProto | None
    reader_proto: Any = None
    location: str = ""  # "/messages/<full name>" in the new version when it has the message
    new_is_writer: bool = False  # which version writes (rules declared for one orientation only need it)


@dataclass(frozen=True)
class FieldPair:
    message: MessagePair
    writer: Any  # FieldDescriptor
    reader: Any
    location: str = ""  # "/messages/<full name>/fields/<field name>"
    parent: Any = None  # for the key or value of a map field: the map field (whose number steers the generator)

    @property
    def path(self) -> str:
        if self.parent is not None:
            return f"{self.message.key}.{self.parent.name}.{self.reader.name}"
        return f"{self.message.key}.{self.reader.name}"

    @property
    def number(self) -> int:
        """The top-level field number a generated message must set to exercise this pair."""
        return int((self.parent or self.writer).number)


@dataclass(frozen=True)
class MethodPair:
    key: str
    flow: str  # "request" (the client writes) or "response" (the server writes)
    writer: Any  # MethodDescriptor | None
    reader: Any
    location: str = ""  # "/services/<package.Service>/methods/<Method>"


def message_pairs(w: ProtoIndex, r: ProtoIndex, new_is_writer: bool) -> Iterator[MessagePair]:
    """The messages of the main files paired by name relative to the package, then every pair of message types
    their fields reach (by field number, through maps and RPC types too), wherever those types are defined: a type
    imported from another file is compared by its structure, not trusted by its name."""
    seen: set[tuple[str, str]] = set()
    todo: list[tuple[str, Any, Any]] = []
    for key in sorted(set(w.messages) | set(r.messages)):
        todo.append((key, w.messages.get(key), r.messages.get(key)))
    for key in sorted(w.methods.keys() & r.methods.keys()):
        wm, rm = w.methods[key], r.methods[key]
        todo += [("", wm.input_type, rm.input_type), ("", wm.output_type, rm.output_type)]
    while todo:
        key, wd, rd = todo.pop(0)
        if wd is not None and rd is not None:
            if (wd.full_name, rd.full_name) in seen:
                continue
            seen.add((wd.full_name, rd.full_name))
            todo += [(_relative(r, x.full_name), x, y) for x, y in _reached(wd, rd)]
        new = wd if new_is_writer else rd
        shown = new if new is not None else (rd if new_is_writer else wd)
        key = key or _relative(r, shown.full_name)
        yield MessagePair(
            key,
            wd,
            rd,
            w.protos.get(wd.full_name) if wd else None,
            r.protos.get(rd.full_name) if rd else None,
            f"/messages/{shown.full_name}",
            new_is_writer,
        )


def _relative(idx: ProtoIndex, full: str) -> str:
    prefix = f"{idx.package}." if idx.package else ""
    return full[len(prefix) :] if prefix and full.startswith(prefix) else full


def _reached(wd: Any, rd: Any) -> Iterator[tuple[Any, Any]]:
    """Message types of the same name both sides declare at the same field number (map values included)."""
    for number, wf in sorted(wd.fields_by_number.items()):
        rf = rd.fields_by_number.get(number)
        if rf is None or wf.message_type is None or rf.message_type is None:
            continue
        if is_map(wf) and is_map(rf):
            wf, rf = wf.message_type.fields_by_name["value"], rf.message_type.fields_by_name["value"]
            if wf.message_type is None or rf.message_type is None:
                continue
        if not is_map(wf) and not is_map(rf) and wf.message_type.name == rf.message_type.name:
            yield wf.message_type, rf.message_type  # another type name is proto-field-message-type-changed


def field_pairs(mp: MessagePair, new_is_writer: bool) -> Iterator[FieldPair]:
    if mp.writer is None or mp.reader is None:
        return
    for number, wf in sorted(mp.writer.fields_by_number.items()):
        rf = mp.reader.fields_by_number.get(number)
        if rf is not None:
            loc = f"{mp.location}/fields/{(wf if new_is_writer else rf).name}"
            yield FieldPair(mp, wf, rf, loc)
            if is_map(wf) and is_map(rf):
                # a map's key and value types are judged like fields (the entry is a message on the wire)
                for part in ("key", "value"):
                    wpart, rpart = wf.message_type.fields_by_name[part], rf.message_type.fields_by_name[part]
                    yield FieldPair(mp, wpart, rpart, f"{loc}/{part}", parent=wf)


def method_pairs(w: ProtoIndex, r: ProtoIndex, flow: str) -> Iterator[MethodPair]:
    for key in sorted(set(w.methods) | set(r.methods)):
        service, _, method = key.strip("/").partition("/")
        yield MethodPair(key, flow, w.methods.get(key), r.methods.get(key), f"/services/{service}/methods/{method}")


def _signature(f: Any) -> tuple[Any, ...]:
    return (f.name, f.json_name, type_name(f), f.is_repeated, f.is_required, oneof_of(f), f.has_presence)


def differing_numbers(writer: Any, reader: Any) -> frozenset[int]:
    """Writer field numbers whose reading may differ: declared differently by the reader, or of a message or enum
    type (whose own changes are judged in their channel). Fields the reader lacks are kept as unknown fields."""
    out = set()
    for number, wf in writer.fields_by_number.items():
        rf = reader.fields_by_number.get(number)
        if rf is None:
            continue
        if _signature(wf) != _signature(rf) or type_name(wf) in ("message", "group", "enum", "map"):
            out.add(number)
    return frozenset(out)
