"""``cdcompat changelog OLD NEW``: every change of a contract, breaking or not, grouped by operation or message.

Two sources are merged. The breaking side is ``compare()``: every finding, with its rule id and the deploy direction
it breaks. The rest comes from an element map of each version (``{location: Element}``: operations, status codes,
parameters, media types, properties, enum values, messages, columns, Avro fields and symbols, Protobuf messages,
fields, enum values and RPCs) compared by the changelog's info rules (``catalogue/changelog_rules.py``): an element
added or removed that no finding explains gets ``compatible-element-added``/``-removed``, a deprecation
``element-deprecated``. Elements are keyed by what identifies them on the wire (an OpenAPI path template with its
variables numbered, a property name, a Protobuf full name), so a rename that changes nothing on the wire (``{id}`` to
``{orderId}``, a ``$ref`` target renamed) produces no entry.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytest_cdcompat.core.findings import Direction, Report
from pytest_cdcompat.core.model import Contract, Schema
from pytest_cdcompat.report.groups import WHOLE_DOCUMENT, channel_of

__all__ = ["Element", "Entry", "build_changelog", "changelog", "element_map", "render_changelog"]

CHANGELOG_FORMATS = ("text", "markdown", "json")
NUMBER = "\0number"  # element-map keys carrying a Protobuf field's number (not elements themselves)
CHANNEL = "\0channel:"  # the prefix an element key uses for its operation, so renamed path variables match
MAX_DEPTH = 12


@dataclass(frozen=True, slots=True)
class Element:
    what: str  # operation, status code, parameter, media type, property, enum value, message, column, field, rpc
    name: str
    group: str  # the operation or message it belongs to, as reports title it
    deprecated: bool = False
    sunset: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    group: str
    rule: str
    severity: str
    location: str
    message: str
    directions: tuple[str, ...] = ()  # the deploy directions it breaks; empty for a change neither can observe
    file: str | None = None
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "location": self.location,
            "message": self.message,
            "breaks": list(self.directions),
            "file": self.file,
            "line": self.line,
        }


@dataclass
class Changelog:
    kind: str
    old: str
    new: str
    groups: dict[str, list[Entry]] = field(default_factory=dict)

    @property
    def entries(self) -> list[Entry]:
        return [e for es in self.groups.values() for e in es]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "old": self.old,
            "new": self.new,
            "groups": [{"group": g, "changes": [e.to_json() for e in es]} for g, es in self.groups.items()],
        }


# -- element maps ------------------------------------------------------------------------------------------------


def _ptr(base: str, key: str | int) -> str:
    return f"{base}/{str(key).replace('~', '~0').replace('/', '~1')}"


def _schema_elements(schema: Schema, loc: str, group: str, out: dict[str, Element], what: str, depth: int,
                     seen: set[int]) -> None:  # fmt: skip
    if not isinstance(schema, dict) or depth > MAX_DEPTH or id(schema) in seen:
        return
    seen = seen | {id(schema)}
    for value in schema.get("enum", []) if isinstance(schema.get("enum"), list) else []:
        out[f"{loc}/enum\0{json.dumps(value, sort_keys=True)}"] = Element("enum value", json.dumps(value), group)
    props = schema.get("properties")
    if isinstance(props, dict):
        for name, sub in props.items():
            ploc = _ptr(_ptr(loc, "properties"), name)
            out[ploc] = Element(what, name, group)
            _schema_elements(sub, ploc, group, out, "property", depth + 1, seen)
    items = schema.get("items")
    if isinstance(items, dict):
        _schema_elements(items, _ptr(loc, "items"), group, out, "property", depth + 1, seen)
    for key in ("allOf", "anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list):
            # a branch's properties and values belong to the value itself: wrapping a schema in allOf (a $ref with
            # a description beside it) or splitting it into branches changes nothing on the wire
            for b in branches:
                _schema_elements(b, loc, group, out, what, depth + 1, seen)


def _model_elements(contract: Contract) -> dict[str, Element]:
    from pytest_cdcompat.kinds.schema.schema_engine import schema_base

    out: dict[str, Element] = {}
    column = contract.kind == "sql"
    for ch in contract.channels.values():
        if contract.kind == "openapi":
            out[CHANNEL + ch.key] = Element("channel", ch.location, "")  # maps this version's prefix to the key
        what = {"sql": "table", "asyncapi": "message", "jsonschema": "message"}.get(contract.kind, "operation")
        group = ch.title if contract.kind != "jsonschema" else WHOLE_DOCUMENT
        if contract.kind != "jsonschema":
            out[ch.location or ch.key] = Element(what, ch.title, group, deprecated=ch.deprecated)
        for fkey, flow in ch.flows.items():
            if fkey.startswith("response:"):
                out[flow.location] = Element("status code", fkey.split(":", 1)[1], group)
            for pkey, slot in flow.params.items():
                loc = slot.location or f"{flow.location}#{pkey}"
                out[loc] = Element("parameter", f"{pkey.split(':', 1)[0]} {slot.name}", group,
                                   deprecated=slot.deprecated)  # fmt: skip
            for media, slot in flow.bodies.items():
                if contract.kind == "openapi":
                    out[slot.location or f"{flow.location}#{media}"] = Element("media type", media, group)
                if column and flow.name != "row read":
                    continue
                base = schema_base(slot, contract.kind)
                _schema_elements(slot.schema, base, group, out, "column" if column else "property", 0, set())
    return out


def _avro_elements(raw: Any) -> dict[str, Element]:
    out: dict[str, Element] = {}

    def walk(node: Any, loc: str, group: str, depth: int) -> None:
        if depth > MAX_DEPTH:
            return
        if isinstance(node, list):
            for i, b in enumerate(node):
                walk(b, _ptr(loc, i), group, depth + 1)
        elif isinstance(node, dict):
            kind = node.get("type")
            if kind == "record" and isinstance(node.get("fields"), list):
                name = str(node.get("name", group))
                for f in node["fields"]:
                    if isinstance(f, dict) and isinstance(f.get("name"), str):
                        floc = f"{loc}/fields#{f['name']}"
                        sunset = f.get("x-sunset") if isinstance(f.get("x-sunset"), str) else None
                        out[floc] = Element("field", f"{name}.{f['name']}", group,
                                            deprecated=f.get("deprecated") is True, sunset=sunset)  # fmt: skip
                        walk(f.get("type"), floc, group, depth + 1)
            elif kind == "enum" and isinstance(node.get("symbols"), list):
                for sym in node["symbols"]:
                    out[f"{loc}/symbols#{sym}"] = Element("enum symbol", str(sym), group)
            elif kind in ("array", "map"):
                walk(node.get("items", node.get("values")), loc, group, depth + 1)
            elif isinstance(kind, (dict, list)):
                walk(kind, loc, group, depth + 1)

    walk(raw, "", WHOLE_DOCUMENT, 0)
    return out


def _proto_elements(index: Mapping[str, tuple[int, int]], deprecated: set[str]) -> dict[str, Element]:
    out: dict[str, Element] = {}
    for loc in index:
        parts = loc.strip("/").split("/")
        if parts[0] == "enums":
            continue  # enums are also listed under /messages
        if len(parts) == 2:
            what = "service" if parts[0] == "services" else "message"
            out[loc] = Element(what, parts[1], parts[1] if parts[0] == "messages" else f"service {parts[1]}")
        elif len(parts) == 4:
            what = {"fields": "field", "values": "enum value", "methods": "rpc"}[parts[2]]
            group = parts[1] if parts[0] == "messages" else f"service {parts[1]}"
            out[loc] = Element(what, parts[3], group, deprecated=loc in deprecated)
    # a field renamed under the same number changes nothing on the binary wire: not a change of the element map
    return out


def _drop_proto_renames(old: dict[str, Element], new: dict[str, Element], old_numbers: Mapping[str, int],
                        new_numbers: Mapping[str, int]) -> None:  # fmt: skip
    gone = {(loc.rsplit("/", 1)[0], old_numbers.get(loc)): loc for loc in old if loc not in new and loc in old_numbers}
    for loc in [x for x in new if x not in old and x in new_numbers]:
        match = gone.get((loc.rsplit("/", 1)[0], new_numbers[loc]))
        if match is not None:
            old[loc] = new[loc]  # the same element under its new name
            del old[match]


def element_map(contract: Contract, source: Any, *, annotate: bool = True) -> dict[str, Element]:
    """The elements of one version, keyed by location (the same pointers findings use); ``annotate`` reads the
    ``deprecated`` and ``x-sunset`` marks the model does not keep from the document."""
    if contract.kind == "avro":
        from pytest_cdcompat.sources.yamlio import parse

        return _avro_elements(parse(source.read_main(), source.label, prefer_json=True))
    if contract.kind == "protobuf":
        from pytest_cdcompat.kinds.protobuf.proto_positions import deprecated_elements, field_numbers, scan_proto

        text = source.read_main().decode("utf-8-sig", "replace")
        out = _proto_elements(scan_proto(text), deprecated_elements(text))
        out.update({NUMBER + loc: Element("number", str(n), "") for loc, n in field_numbers(text).items()})
        return out
    out = _model_elements(contract)
    if annotate and contract.kind in ("openapi", "asyncapi", "jsonschema"):
        _annotate(out, source)
    return out


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


def _covers(finding_loc: str, message: str, loc: str, el: Element) -> bool:
    if el.what == "column" and f"{el.group}.{el.name}" in message:
        return True
    if finding_loc == (loc.rsplit("\0", 1)[0] if el.what == "enum value" else loc):
        # a finding about one enum value names it; one about the whole enum ("the enum was removed") names none
        if el.what != "enum value" or el.name.strip('"') in message or '"' not in message:
            return True
    parent, _, last = loc.rpartition("/properties/")
    if last and finding_loc == f"{parent}/required" and repr(last.replace("~1", "/").replace("~0", "~")) in message:
        return True
    return False


def build_changelog(
    report: Report,
    old_elements: Mapping[str, Element],
    new_elements: Mapping[str, Element],
    locators: tuple[Any, Any] = (None, None),
) -> Changelog:
    """``locators`` (old, new: ``DocumentPositions``) let a change of a shared component, which a finding reports
    once, be recognised wherever else the component is used: the element and the finding are written at the same
    place."""
    from pytest_cdcompat.catalogue import by_id, load_all

    load_all()
    log = Changelog(report.kind, report.old, report.new)
    findings = [(d, f) for d in Direction for f in report.directions[d].findings]
    used: set[int] = set()
    changed: list[tuple[str, Element, str, str]] = []  # (location, element, info rule id, message)
    old_elements, new_elements = dict(old_elements), dict(new_elements)
    if report.kind == "protobuf":
        numbers = [{k[len(NUMBER):]: int(e.name) for k, e in m.items() if k.startswith(NUMBER)}
                   for m in (old_elements, new_elements)]  # fmt: skip
        for m in (old_elements, new_elements):
            for k in [k for k in m if k.startswith(NUMBER)]:
                del m[k]
        _drop_proto_renames(old_elements, new_elements, numbers[0], numbers[1])
    old_elements, old_shown, old_prefixes = _by_channel_key(old_elements)
    new_elements, new_shown, new_prefixes = _by_channel_key(new_elements)
    shown_at = {**old_shown, **new_shown}
    # an operation in both versions is titled as the new version writes it (a renamed path variable)
    titles = {key: new_elements[key].group for _, key in new_prefixes if key in new_elements}

    def title(loc: str, el: Element) -> str:
        for key, t in titles.items():
            if loc == key or loc.startswith(key + "/"):
                return t
        return el.group

    def norm(location: str) -> str:
        for prefixes in (new_prefixes, old_prefixes):
            for prefix, key in prefixes:
                if location == prefix or location.startswith(prefix + "/"):
                    return key + location[len(prefix) :]
        return location

    for name in ("element_added_or_removed", "element_deprecated"):
        from pytest_cdcompat.catalogue import REGISTRY

        for hit in REGISTRY[name].check(old_elements, new_elements):
            el = new_elements.get(hit.where) or old_elements[hit.where]
            changed.append((hit.where, el, hit.rule_id or "", hit.message))
    # an element inside one added or removed with it (the properties of a new operation) is not listed again
    whole = {loc for loc, _, rid, _ in changed if rid in ("compatible-element-added", "compatible-element-removed")}
    changed = [c for c in changed if not any(c[0].startswith(w + "/") for w in whole if w != c[0])]
    by_place: dict[tuple[str, int, int], list[int]] = {}
    if any(locators):
        for i, (_, f) in enumerate(findings):
            if f.file is not None and f.line is not None:
                by_place.setdefault((f.file, f.line, f.column or 1), []).append(i)
    for loc, el, info_id, message in changed:
        group = title(loc, el)
        covering = [i for i, (_, f) in enumerate(findings) if _covers(norm(f.location), f.message, loc, el)]
        if covering and info_id not in ("element-deprecated", "element-undeprecated"):
            for i in covering:
                if i in used:
                    continue
                used.add(i)
                _add_finding(log, group, findings, i)
            continue
        same = _same_place(shown_at.get(loc, loc), el, info_id, locators, by_place) if by_place else []
        if same and info_id in ("compatible-element-added", "compatible-element-removed"):
            for i in same:
                used.add(i)
                _add_finding(log, group, findings, i)
            continue
        found = by_id(info_id)
        severity = found[1].severity.value if found else "info"
        shown = shown_at.get(loc, loc).split("\0")[0].split("#")[0]
        log.groups.setdefault(group, []).append(Entry(group, info_id, severity, shown, message))
    groups = sorted(((shown_at.get(k, k), e.group) for m in (new_elements, old_elements) for k, e in m.items()),
                    key=lambda x: -len(x[0]))  # fmt: skip
    for i, (_, f) in enumerate(findings):
        if i not in used:
            used.add(i)
            group = next((g for loc, g in groups if g and (f.location == loc or f.location.startswith(loc + "/"))),
                         channel_of(f.location))  # fmt: skip
            _add_finding(log, group, findings, i)
    return log


def _same_place(loc: str, el: Element, info_id: str, locators: tuple[Any, Any],
                by_place: Mapping[tuple[str, int, int], list[int]]) -> list[int]:  # fmt: skip
    """Findings written at the same place as the element (in the version that has it)."""
    locator = locators[0] if info_id == "compatible-element-removed" else locators[1]
    if locator is None:
        return []
    pointer = loc.rsplit("\0", 1)[0] if el.what == "enum value" else loc
    pos = locator.locate(pointer.split("#")[0] if "#" in pointer and not pointer.startswith("/") else pointer)
    if pos is None or not pos.exact:
        return []
    return list(by_place.get((pos.file, pos.line, pos.column), []))


def _by_channel_key(elements: dict[str, Element]) -> tuple[dict[str, Element], dict[str, str], list[tuple[str, str]]]:
    """Re-key OpenAPI elements by their operation's matching key (``GET /orders/{}``) instead of its path template,
    so renaming a path variable changes no key; returns (elements, key -> location as written, prefixes)."""
    prefixes = sorted(((e.name, k[len(CHANNEL) :]) for k, e in elements.items() if k.startswith(CHANNEL)),
                      key=lambda x: -len(x[0]))  # fmt: skip
    if not prefixes:
        return elements, {}, []
    out: dict[str, Element] = {}
    shown: dict[str, str] = {}
    for loc, el in elements.items():
        if loc.startswith(CHANNEL):
            continue
        key = loc
        for prefix, ckey in prefixes:
            if loc == prefix or loc.startswith(prefix + "/"):
                key = CHANNEL + ckey + loc[len(prefix) :]
                break
        out[key] = el
        shown[key] = loc
    return out, shown, [(p, CHANNEL + k) for p, k in prefixes]


def _add_finding(log: Changelog, group: str, findings: list[Any], i: int) -> None:
    d, f = findings[i]
    same = [
        e for e in log.groups.get(group, []) if e.rule == f.rule and e.location == f.location and e.message == f.message
    ]
    if same:
        e = same[0]
        if d.value not in e.directions:
            idx = log.groups[group].index(e)
            log.groups[group][idx] = Entry(e.group, e.rule, e.severity, e.location, e.message,
                                           (*e.directions, d.value), e.file, e.line)  # fmt: skip
        return
    breaks = (d.value,) if f.fails or f.severity.value != "info" else ()
    log.groups.setdefault(group, []).append(
        Entry(group, f.rule, f.severity.value, f.location, f.message, breaks, f.file, f.line)
    )


def changelog(old: str | Path, new: str | Path, **overrides: Any) -> Changelog:
    """Compare two versions and list every change (``compare()``'s findings plus the info rules' entries)."""
    from dataclasses import replace

    from pytest_cdcompat.api import compare
    from pytest_cdcompat.core.settings import Settings
    from pytest_cdcompat.kinds import load, open_source

    settings = replace(Settings(), **overrides)
    report = compare(old, new, settings=settings)
    old_src, new_src = open_source(old, settings), open_source(new, settings)
    old_c, new_c = load(old_src, report.kind, settings), load(new_src, report.kind, settings)
    locators: tuple[Any, Any] = (None, None)
    if report.kind in ("openapi", "asyncapi", "jsonschema") and any(r.findings for r in report.directions.values()):
        from pytest_cdcompat.sources.positions import DocumentPositions

        locators = (DocumentPositions(old_src), DocumentPositions(new_src))
    return build_changelog(report, element_map(old_c, old_src), element_map(new_c, new_src), locators)


def render_changelog(log: Changelog, fmt: str = "markdown") -> str:
    if fmt == "json":
        return json.dumps(log.to_json(), indent=2, ensure_ascii=False) + "\n"
    breaking = sum(1 for e in log.entries if e.directions)
    total = len(log.entries)
    if fmt == "markdown":
        out = [f"# Changes: {log.old} -> {log.new}", "",
               f"{total} change{'s' if total != 1 else ''}, {breaking} breaking a deploy direction.", ""]  # fmt: skip
        for group, entries in log.groups.items():
            out += [f"## {group}", ""]
            for e in entries:
                tag = f" **breaks {', '.join(f'`{d}`' for d in e.directions)}**" if e.directions else ""
                at = f" at `{e.location}`" if e.location else ""
                out.append(f"- {e.message}{at} (`{e.rule}`, {e.severity}){tag}")
            out.append("")
        return "\n".join(out).rstrip("\n") + "\n"
    lines = [f"changes: {log.old} -> {log.new}: {total} change(s), {breaking} breaking"]
    for group, entries in log.groups.items():
        lines.append(f"  {group}")
        for e in entries:
            where = f"{e.file}:{e.line}: " if e.file and e.line else ""
            tag = f" [breaks {', '.join(e.directions)}]" if e.directions else ""
            at = f" at {e.location}" if e.location and not where else ""
            lines.append(f"    {where}{e.severity}: {e.rule}: {e.message}{at}{tag}")
    return "\n".join(lines) + "\n"


def counts(entries: Iterable[Entry]) -> dict[str, int]:
    out: dict[str, int] = {}
    for e in entries:
        out[e.rule] = out.get(e.rule, 0) + 1
    return out
