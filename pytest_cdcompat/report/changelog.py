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
from pytest_cdcompat.kinds.elements import (
    CHANNEL,
    MAX_DEPTH,
    NUMBER,
    Element,
    covers,
    drop_proto_renames,
    element_depth,
    element_map,
)
from pytest_cdcompat.report.groups import channel_of

__all__ = ["Element", "Entry", "build_changelog", "changelog", "element_map", "render_changelog"]

CHANGELOG_FORMATS = ("text", "markdown", "json")


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
    depth: int | None = None  # schema properties listed to this depth only (a document too large to list deeper)

    @property
    def entries(self) -> list[Entry]:
        return [e for es in self.groups.values() for e in es]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "old": self.old,
            "new": self.new,
            "groups": [{"group": g, "changes": [e.to_json() for e in es]} for g, es in self.groups.items()],
            **({"schema_depth": self.depth} if self.depth is not None else {}),
        }

    def depth_note(self) -> str | None:
        if self.depth is None:
            return None
        return (f"non-breaking schema changes listed to a depth of {self.depth} level{'s' if self.depth != 1 else ''} (the documents expand into "
                "too many paths to list deeper); breaking changes are listed at any depth")  # fmt: skip


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
        drop_proto_renames(old_elements, new_elements, numbers[0], numbers[1])
    old_elements, old_shown, old_prefixes = _by_channel_key(old_elements)
    new_elements, new_shown, new_prefixes = _by_channel_key(new_elements)
    shown_at = {**old_shown, **new_shown}
    # an operation in both versions is titled as the new version writes it (a renamed path variable)
    titles = {key: new_elements[key].group for _, key in new_prefixes if key in new_elements}

    def title(loc: str, el: Element) -> str:
        # the first key (in the new version's order) that is the location or a "/"-prefix of it
        hits = [p for p in _slash_prefixes(loc) if p in titles]
        return titles[min(hits, key=titles_order.__getitem__)] if hits else el.group

    titles_order = {key: n for n, key in enumerate(titles)}
    prefix_maps = [{prefix: key for prefix, key in reversed(prefixes)} for prefixes in (new_prefixes, old_prefixes)]

    def norm(location: str) -> str:
        # the longest prefix of the new version, else of the old one (the lists are sorted longest first)
        for by_prefix in prefix_maps:
            for prefix in _slash_prefixes(location):
                if prefix in by_prefix:
                    return by_prefix[prefix] + location[len(prefix) :]
        return location

    for name in ("element_added_or_removed", "element_deprecated"):
        from pytest_cdcompat.catalogue import REGISTRY

        for hit in REGISTRY[name].check(old_elements, new_elements):
            el = new_elements.get(hit.where) or old_elements[hit.where]
            changed.append((hit.where, el, hit.rule_id or "", hit.message))
    # an element inside one added or removed with it (the properties of a new operation) is not listed again
    whole = {loc for loc, _, rid, _ in changed if rid in ("compatible-element-added", "compatible-element-removed")}
    changed = [c for c in changed if not any(p in whole for p in _slash_prefixes(c[0])[1:])]
    by_place: dict[tuple[str, int, int], list[int]] = {}
    if any(locators):
        for i, (_, f) in enumerate(findings):
            if f.file is not None and f.line is not None:
                by_place.setdefault((f.file, f.line, f.column or 1), []).append(i)
    normed = [norm(f.location) for _, f in findings]
    at_location: dict[str, list[int]] = {}
    for i, location in enumerate(normed):
        at_location.setdefault(location, []).append(i)
    for loc, el, info_id, message in changed:
        group = title(loc, el)
        if el.what == "column":  # a column's findings are recognised by their message: look at every one
            candidates: Iterable[int] = range(len(findings))
        else:  # otherwise ``covers`` holds only where the finding is at the element or its parent's ``required``
            target = loc.rsplit("\0", 1)[0] if el.what == "enum value" else loc
            parent, _, last = loc.rpartition("/properties/")
            places = {target, f"{parent}/required"} if last else {target}
            candidates = sorted({i for place in places for i in at_location.get(place, ())})
        covering = [i for i in candidates if covers(normed[i], findings[i][1].message, loc, el)]
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


def _slash_prefixes(location: str) -> list[str]:
    """The location and each prefix of it that ends just before a ``/``, longest first: ``p`` is in this list
    exactly when ``location == p or location.startswith(p + "/")``."""
    out = [location]
    i = location.rfind("/")
    while i >= 0:
        out.append(location[:i])
        i = location.rfind("/", 0, i)
    return out


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
    if report.kind == "asyncapi":  # a message is the message of the other version it is (2.x <-> 3.0 identities)
        from pytest_cdcompat.kinds.asyncapi.asyncapi_identity import align

        old_c, new_c = align(old_c, new_c)
    locators: tuple[Any, Any] = (None, None)
    if report.kind in ("openapi", "asyncapi", "jsonschema") and any(r.findings for r in report.directions.values()):
        from pytest_cdcompat.sources.positions import DocumentPositions

        locators = (DocumentPositions(old_src), DocumentPositions(new_src))
    depth = element_depth(old_c, new_c)
    log = build_changelog(report, element_map(old_c, old_src, depth=depth), element_map(new_c, new_src, depth=depth),
                          locators)  # fmt: skip
    log.depth = depth if depth < MAX_DEPTH else None
    return log


def render_changelog(log: Changelog, fmt: str = "markdown") -> str:
    if fmt == "json":
        return json.dumps(log.to_json(), indent=2, ensure_ascii=False) + "\n"
    breaking = sum(1 for e in log.entries if e.directions)
    total = len(log.entries)
    if fmt == "markdown":
        out = [f"# Changes: {log.old} -> {log.new}", "",
               f"{total} change{'s' if total != 1 else ''}, {breaking} breaking a deploy direction.", ""]  # fmt: skip
        if log.depth_note():
            out += [f"_Note: {log.depth_note()}._", ""]
        for group, entries in log.groups.items():
            out += [f"## {group}", ""]
            for e in entries:
                tag = f" **breaks {', '.join(f'`{d}`' for d in e.directions)}**" if e.directions else ""
                at = f" at `{e.location}`" if e.location else ""
                out.append(f"- {e.message}{at} (`{e.rule}`, {e.severity}){tag}")
            out.append("")
        return "\n".join(out).rstrip("\n") + "\n"
    lines = [f"changes: {log.old} -> {log.new}: {total} change(s), {breaking} breaking"]
    if log.depth_note():
        lines.append(f"  note: {log.depth_note()}")
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
