"""The elements of a contract (operations, parameters, properties, enum values, messages, fields, columns) with
their deprecation and sunset marks, keyed by their location: what the changelog lists and the sunset check reads.

Below ``api`` in the layers, so ``compare()`` can apply sunset dates and the changelog can call ``compare()``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from pytest_cdcompat.core.model import Contract, Schema

__all__ = [
    "CHANNEL",
    "NUMBER",
    "WHOLE_DOCUMENT",
    "Element",
    "avro_pointer_keys",
    "covers",
    "drop_proto_renames",
    "element_depth",
    "element_map",
]

WHOLE_DOCUMENT = "whole document"  # the group of a finding that belongs to no operation or message
NUMBER = "\0number"  # element-map keys carrying a Protobuf field's number (not elements themselves)
CHANNEL = "\0channel:"  # the prefix an element key uses for its operation, so renamed path variables match
MAX_DEPTH = 12
# A schema element is listed once per path that reaches it, so a document whose components expand into each other
# (Stripe's expandable objects) has exponentially many paths in the depth: beyond this many schema elements in one
# version, both versions are listed to a smaller depth (``element_depth``).
ELEMENT_BUDGET = 200_000


@dataclass(frozen=True, slots=True)
class Element:
    what: str  # operation, status code, parameter, media type, property, enum value, message, column, field, rpc
    name: str
    group: str  # the operation or message it belongs to, as reports title it
    deprecated: bool = False
    sunset: str | None = None
    # what the element is in the contract's model (its operation, flow, parameter or media type and the path inside
    # the schema), whatever the document's spelling: a 2.0 response schema and its 3.0 ``content`` entry are one
    # element. Empty where the location is the identity.
    ident: str = ""


# -- element maps ------------------------------------------------------------------------------------------------


def _ptr(base: str, key: str | int) -> str:
    return f"{base}/{str(key).replace('~', '~0').replace('/', '~1')}"


class _OverBudget(Exception):
    pass


def _count_schema(schema: Schema, depth: int, limit: int, seen: frozenset[int], budget: list[int]) -> None:
    """Count what ``_schema_elements`` would list to depth ``limit``, stopping once ``budget`` is spent."""
    if not isinstance(schema, dict) or depth > limit or id(schema) in seen:
        return
    seen = seen | {id(schema)}
    enum = schema.get("enum")
    props = schema.get("properties")
    budget[0] -= (len(enum) if isinstance(enum, list) else 0) + (len(props) if isinstance(props, dict) else 0)
    if budget[0] < 0:
        raise _OverBudget
    if isinstance(props, dict):
        for sub in props.values():
            _count_schema(sub, depth + 1, limit, seen, budget)
    if isinstance(schema.get("items"), dict):
        _count_schema(schema["items"], depth + 1, limit, seen, budget)
    for key in ("allOf", "anyOf", "oneOf"):
        if isinstance(schema.get(key), list):
            for b in schema[key]:
                _count_schema(b, depth, limit, seen, budget)


def _within_budget(contract: Contract, limit: int) -> bool:
    budget = [ELEMENT_BUDGET]
    try:
        for ch in contract.channels.values():
            for flow in ch.flows.values():
                for slot in flow.bodies.values():
                    _count_schema(slot.schema, 0, limit, frozenset(), budget)
    except _OverBudget:
        return False
    return True


def element_depth(*contracts: Contract) -> int:
    """The depth to which schema elements are listed for these versions: ``MAX_DEPTH``, or the deepest depth at
    which every version stays within ``ELEMENT_BUDGET`` elements (the same for all, so a version is not seen to add
    or remove what the other merely was not listed deep enough to show)."""
    if all(_within_budget(c, MAX_DEPTH) for c in contracts):
        return MAX_DEPTH
    lo, hi = 0, MAX_DEPTH - 1  # lo: within the budget (or the floor), hi: the deepest candidate
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if all(_within_budget(c, mid) for c in contracts):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _schema_elements(schema: Schema, loc: str, group: str, out: dict[str, Element], what: str, depth: int,
                     seen: set[int], limit: int = MAX_DEPTH) -> None:  # fmt: skip
    if not isinstance(schema, dict) or depth > limit or id(schema) in seen:
        return
    seen = seen | {id(schema)}
    for value in schema.get("enum", []) if isinstance(schema.get("enum"), list) else []:
        out[f"{loc}/enum\0{json.dumps(value, sort_keys=True)}"] = Element("enum value", json.dumps(value), group)
    props = schema.get("properties")
    if isinstance(props, dict):
        for name, sub in props.items():
            ploc = _ptr(_ptr(loc, "properties"), name)
            out[ploc] = Element(what, name, group)
            _schema_elements(sub, ploc, group, out, "property", depth + 1, seen, limit)
    items = schema.get("items")
    if isinstance(items, dict):
        _schema_elements(items, _ptr(loc, "items"), group, out, "property", depth + 1, seen, limit)
    for key in ("allOf", "anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list):
            # a branch's properties and values belong to the value itself: wrapping a schema in allOf (a $ref with
            # a description beside it) or splitting it into branches changes nothing on the wire, nor the depth
            for b in branches:
                _schema_elements(b, loc, group, out, what, depth, seen, limit)


def _model_elements(contract: Contract, depth: int = MAX_DEPTH) -> dict[str, Element]:
    from pytest_cdcompat.kinds.schema.schema_engine import schema_base

    out: dict[str, Element] = {}
    column = contract.kind == "sql"
    for ch in contract.channels.values():
        if contract.kind == "openapi":
            out[CHANNEL + ch.key] = Element("channel", ch.location, "")  # maps this version's prefix to the key
        what = {"sql": "table", "asyncapi": "channel", "jsonschema": "message"}.get(contract.kind, "operation")
        group = ch.title if contract.kind != "jsonschema" else WHOLE_DOCUMENT
        if contract.kind != "jsonschema":
            out[ch.location or ch.key] = Element(what, ch.title, group, deprecated=ch.deprecated, ident=f"\0{ch.key}")
        for fkey, flow in ch.flows.items():
            flow_id = f"\0{ch.key}\0{fkey}"
            if contract.kind == "asyncapi" and ":" in fkey and flow.location:
                # a 3.0 channel's message is sent and received at one pointer: one element per flow all the same
                _put(out, flow.location, Element("message", fkey.split(":", 1)[1], group, ident=flow_id), fkey)
            if fkey.startswith("response:"):
                out[flow.location] = Element("status code", fkey.split(":", 1)[1], group, ident=flow_id)
            for pkey, slot in flow.params.items():
                loc = slot.location or f"{flow.location}#{pkey}"
                out[loc] = Element("parameter", f"{pkey.split(':', 1)[0]} {slot.name}", group,
                                   deprecated=slot.deprecated, ident=f"{flow_id}\0{pkey}")  # fmt: skip
            for media, slot in flow.bodies.items():
                body_id = f"{flow_id}\0{media}"
                if contract.kind == "openapi":
                    # 3.x: the content entry's own pointer; 2.0: every produced or consumed type at one response
                    own = bool(slot.location) and slot.location.endswith(_ptr("", media))
                    key = slot.location if own else f"{slot.location or flow.location}#{media}"
                    out[key] = Element("media type", media, group, ident=body_id)
                if column and flow.name != "row read":
                    continue
                base = schema_base(slot, contract.kind)
                found: dict[str, Element] = {}
                _schema_elements(slot.schema, base, group, found, "column" if column else "property", 0, set(), depth)
                for loc, el in found.items():  # the path inside the body's schema is the same in every spelling
                    ident = body_id + loc[len(base) :] if loc.startswith(base) else ""
                    # 2.0: one response schema for every produced media type, so one pointer for several elements
                    _put(out, loc, replace(el, ident=ident), media)
    return out


def _put(out: dict[str, Element], loc: str, el: Element, suffix: str) -> None:
    """``el`` at ``loc``, or at ``loc#suffix`` when another element is there already (one pointer for several
    elements of the model), so that each is listed and matched by what it is."""
    taken = loc in out and out[loc].ident not in ("", el.ident)
    out[f"{loc}#{suffix}" if taken else loc] = el


def _avro_elements(raw: Any, pointers: dict[str, str] | None = None) -> dict[str, Element]:
    """Avro fields and enum symbols keyed by name (``/fields#legacy``), so a field moved within its record is the
    same element; ``pointers`` (when given) receives each index pointer the engine's findings use (``/fields/1``)
    mapped to that key, so a finding about a removed field finds the element that carried its marks."""
    out: dict[str, Element] = {}
    index = pointers if pointers is not None else {}

    def walk(node: Any, loc: str, ptr: str, group: str, depth: int) -> None:
        if depth > MAX_DEPTH:
            return
        if isinstance(node, list):
            for i, b in enumerate(node):
                walk(b, _ptr(loc, i), f"{ptr}/{i}", group, depth + 1)
        elif isinstance(node, dict):
            kind = node.get("type")
            if kind == "record" and isinstance(node.get("fields"), list):
                name = str(node.get("name", group))
                for i, f in enumerate(node["fields"]):
                    if isinstance(f, dict) and isinstance(f.get("name"), str):
                        floc = f"{loc}/fields#{f['name']}"
                        index[f"{ptr}/fields/{i}"] = floc
                        sunset = f.get("x-sunset") if isinstance(f.get("x-sunset"), str) else None
                        out[floc] = Element("field", f"{name}.{f['name']}", group,
                                            deprecated=f.get("deprecated") is True, sunset=sunset)  # fmt: skip
                        walk(f.get("type"), floc, f"{ptr}/fields/{i}/type", group, depth + 1)
            elif kind == "enum" and isinstance(node.get("symbols"), list):
                for sym in node["symbols"]:
                    out[f"{loc}/symbols#{sym}"] = Element("enum symbol", str(sym), group)
            elif kind in ("array", "map"):
                key = "items" if kind == "array" else "values"
                walk(node.get(key), loc, f"{ptr}/{key}", group, depth + 1)
            elif isinstance(kind, (dict, list)):
                walk(kind, loc, f"{ptr}/type", group, depth + 1)

    walk(raw, "", "", WHOLE_DOCUMENT, 0)
    return out


def avro_pointer_keys(source: Any) -> dict[str, str]:
    """Index pointer of each Avro field in ``source`` (``/fields/1``, as findings locate it) -> its element key."""
    from pytest_cdcompat.sources.yamlio import parse

    pointers: dict[str, str] = {}
    _avro_elements(parse(source.read_main(), source.label, prefer_json=True), pointers)
    return pointers


def _proto_elements(index: Mapping[str, tuple[int, int]], deprecated: set[str],
                    sunsets: Mapping[str, str] | None = None) -> dict[str, Element]:  # fmt: skip
    out: dict[str, Element] = {}
    for loc in index:
        parts = loc.strip("/").split("/")
        if parts[0] == "enums":
            continue  # enums are also listed under /messages
        if len(parts) == 2:
            what = "service" if parts[0] == "services" else "message"
            out[loc] = Element(what, parts[1], parts[1] if parts[0] == "messages" else f"service {parts[1]}",
                               deprecated=loc in deprecated, sunset=(sunsets or {}).get(loc))  # fmt: skip
        elif len(parts) == 4:
            what = {"fields": "field", "values": "enum value", "methods": "rpc"}[parts[2]]
            group = parts[1] if parts[0] == "messages" else f"service {parts[1]}"
            out[loc] = Element(what, parts[3], group, deprecated=loc in deprecated, sunset=(sunsets or {}).get(loc))
    # a field renamed under the same number changes nothing on the binary wire: not a change of the element map
    return out


def drop_proto_renames(old: dict[str, Element], new: dict[str, Element], old_numbers: Mapping[str, int],
                        new_numbers: Mapping[str, int]) -> None:  # fmt: skip
    gone = {(loc.rsplit("/", 1)[0], old_numbers.get(loc)): loc for loc in old if loc not in new and loc in old_numbers}
    for loc in [x for x in new if x not in old and x in new_numbers]:
        match = gone.get((loc.rsplit("/", 1)[0], new_numbers[loc]))
        if match is not None:
            old[loc] = new[loc]  # the same element under its new name
            del old[match]


def element_map(
    contract: Contract, source: Any, *, annotate: bool = True, depth: int = MAX_DEPTH
) -> dict[str, Element]:
    """The elements of one version, keyed by location (the same pointers findings use); ``annotate`` reads the
    ``deprecated`` and ``x-sunset`` marks the model does not keep from the document; schema elements are listed to
    ``depth`` levels (``element_depth``)."""
    if contract.kind == "avro":
        from pytest_cdcompat.sources.yamlio import parse

        return _avro_elements(parse(source.read_main(), source.label, prefer_json=True))
    if contract.kind == "protobuf":
        from pytest_cdcompat.kinds.protobuf.proto_positions import (
            deprecated_elements,
            field_numbers,
            scan_proto,
            sunset_marks,
        )

        text = source.read_main().decode("utf-8-sig", "replace")
        out = _proto_elements(scan_proto(text), deprecated_elements(text), sunset_marks(text, source.label))
        out.update({NUMBER + loc: Element("number", str(n), "") for loc, n in field_numbers(text).items()})
        return out
    out = _model_elements(contract, depth)
    if annotate and contract.kind in ("openapi", "asyncapi", "jsonschema"):
        _annotate(out, source)
        if contract.kind == "asyncapi":
            _inherit_asyncapi(out, contract, source)
    return out


def _inherit_asyncapi(out: dict[str, Element], contract: Contract, source: Any) -> None:
    """An AsyncAPI message is deprecated (with the sunset) when it is, or else when the operation that sends or
    receives it is (2.x ``publish``/``subscribe``, 3.0 ``operations`` naming its channel), or else its channel."""
    from dataclasses import replace

    from pytest_cdcompat.sources.positions import DocumentPositions

    docs = DocumentPositions(source)
    operations = _asyncapi3_operations(source)
    for ch in contract.channels.values():
        channel = out.get(ch.location or ch.key)
        for fkey, flow in ch.flows.items():
            msg = out.get(flow.location)
            if msg is None or (msg.deprecated and msg.sunset):
                continue
            marks: list[Element] = []
            for op_loc in _operations_of(flow.location, ch.location, fkey.split(":", 1)[0], operations):
                notes = docs.annotations(op_loc)
                marks.append(Element("operation", op_loc, "", notes.get("deprecated") == "true", notes.get("x-sunset")))
            marks += [channel] if channel is not None else []
            if msg.deprecated:  # deprecated itself: only the date may come from above
                marks = [m for m in marks if m.deprecated]
            donor = next((m for m in marks if m.deprecated and m.sunset), None)
            if donor is None and not msg.deprecated:
                donor = next((m for m in marks if m.deprecated), None)
            if donor is not None:
                out[flow.location] = replace(msg, deprecated=True, sunset=msg.sunset or donor.sunset)


def _asyncapi3_operations(source: Any) -> dict[str, tuple[str, str]]:
    """AsyncAPI 3.0 ``operations``: pointer -> (action, the channel pointer its ``channel.$ref`` names)."""
    from pytest_cdcompat.sources.yamlio import parse

    try:
        doc = parse(source.read_main(), source.label)
    except Exception:  # the loader has read the same bytes; nothing to add here
        return {}
    ops = doc.get("operations") if isinstance(doc, dict) else None
    if not isinstance(ops, dict):
        return {}
    out: dict[str, tuple[str, str]] = {}
    for name, op in ops.items():
        ref = (
            op.get("channel", {}).get("$ref") if isinstance(op, dict) and isinstance(op.get("channel"), dict) else None
        )
        if isinstance(ref, str) and ref.startswith("#/"):
            out[_ptr("/operations", str(name))] = (str(op.get("action", "")), ref[1:])
    return out


def _operations_of(flow_loc: str, channel_loc: str, action: str,
                   operations: Mapping[str, tuple[str, str]]) -> list[str]:  # fmt: skip
    """The operations a message is sent or received by: its 2.x ``publish``/``subscribe`` object, or the 3.0
    operations on its channel with the same action."""
    for op in ("/publish/", "/subscribe/"):
        if op in flow_loc:
            return [flow_loc.split(op, 1)[0] + op.rstrip("/")]
    return [loc for loc, (act, ch) in operations.items() if ch == channel_loc and act == action]


def _annotate(out: dict[str, Element], source: Any) -> None:
    """``deprecated`` and ``x-sunset`` as written in the document (canonical schemas drop annotations)."""
    from dataclasses import replace

    from pytest_cdcompat.sources.positions import DocumentPositions

    docs = DocumentPositions(source)
    for loc, el in list(out.items()):
        if "\0" in loc or "#" in loc.split("/")[0] or el.what in ("enum value", "status code"):
            continue
        notes = docs.annotations(loc)
        deprecated = el.deprecated or notes.get("deprecated") == "true"
        sunset = notes.get("x-sunset")
        if deprecated != el.deprecated or sunset:
            out[loc] = replace(el, deprecated=deprecated, sunset=sunset)


# -- the changelog -----------------------------------------------------------------------------------------------


def covers(finding_loc: str, message: str, loc: str, el: Element) -> bool:
    if el.what == "column" and f"{el.group}.{el.name}" in message:
        return True
    if finding_loc == (loc.rsplit("\0", 1)[0] if el.what == "enum value" else loc):
        # a finding about one enum value names it; one about the whole enum ("the enum was removed") names none
        if el.what != "enum value" or el.name.strip('"') in message or '"' not in message:
            return True
    if el.what == "field" and "/fields/" in loc and finding_loc == loc.rsplit("/fields/", 1)[0]:
        # a Protobuf field's removal is reported on its message, naming ``Message.field (number)``
        return f"{el.group.rsplit('.', 1)[-1]}.{el.name} (" in message
    parent, _, last = loc.rpartition("/properties/")
    if last and finding_loc == f"{parent}/required" and repr(last.replace("~1", "/").replace("~0", "~")) in message:
        return True
    return False
