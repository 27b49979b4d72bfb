"""Deprecation, sunset dates and stability levels applied to a report's findings.

- A removal (another rule's finding) of an element the old version marked ``deprecated`` with an ``x-sunset`` date
  becomes ``removed-before-sunset`` (error) before that date and ``removed-after-sunset`` (warning) on or after it
  (``catalogue/sunset_rules.py``). A removal of an element never deprecated is left as it is.
- ``x-stability-level: draft|alpha`` on an operation (oasdiff's extension) turns the errors under it into warnings:
  such operations promise nothing yet. ``beta`` and ``stable`` change nothing.
- Every ``x-sunset`` must be a date and every ``x-stability-level`` one of the four levels: anything else is one
  ``ContractLoadError`` naming the file, line and value.

Only the elements some finding removes are read back from the document, so a big spec with a few removals costs a
few lookups, not a walk of every element.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

from pytest_cdcompat.core.errors import ContractLoadError
from pytest_cdcompat.core.findings import Direction, DirectionResult, Finding, Report, Severity
from pytest_cdcompat.core.model import Contract
from pytest_cdcompat.sources.source import Source

__all__ = ["STABILITY_LEVELS", "apply_sunsets", "check_annotations"]

STABILITY_LEVELS = ("draft", "alpha", "beta", "stable")
RELAXED = frozenset({"draft", "alpha"})
_SUNSET = re.compile(r"""["']?x-sunset["']?\s*:\s*["']?([^"'\n,}#]*)""")
_STABILITY = re.compile(r"""["']?x-stability-level["']?\s*:\s*["']?([^"'\n,}#]*)""")
DOCUMENT_KINDS = frozenset({"openapi", "asyncapi", "jsonschema", "avro"})
MARKED_KINDS = frozenset({"avro", "protobuf", "asyncapi"})  # kinds whose element map carries the marks


def parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()[:10]) if re.match(r"^\d{4}-\d{2}-\d{2}", value.strip()) else None
    except ValueError:
        return None


def check_annotations(source: Source, kind: str) -> None:
    """Refuse an ``x-sunset`` (or a Protobuf ``// cd-compat: sunset=``) that is not a date or an
    ``x-stability-level`` that is no level, with the line."""
    if kind == "protobuf":
        from pytest_cdcompat.kinds.protobuf.proto_positions import sunset_marks

        try:
            text = source.read_main().decode("utf-8-sig", "replace")
        except Exception:  # a folder or an unreadable file: the loader has already said so
            return
        sunset_marks(text, source.label)
        return
    if kind not in DOCUMENT_KINDS:
        return
    try:
        text = source.read_main().decode("utf-8-sig", "replace")
    except Exception:  # a folder or an unreadable file: the loader has already said so
        return
    if "x-sunset" not in text and "x-stability-level" not in text:
        return
    for n, line in enumerate(text.splitlines(), 1):
        for m in _SUNSET.finditer(line):
            if parse_date(m.group(1)) is None:
                raise ContractLoadError(
                    f"x-sunset {m.group(1).strip()!r} is not a date (YYYY-MM-DD)",
                    path=source.label,
                    line=n,
                    column=m.start(1) + 1,
                )
        for m in _STABILITY.finditer(line):
            if m.group(1).strip() not in STABILITY_LEVELS:
                raise ContractLoadError(
                    f"x-stability-level {m.group(1).strip()!r} is not one of {', '.join(STABILITY_LEVELS)}",
                    path=source.label,
                    line=n,
                    column=m.start(1) + 1,
                )


def apply_sunsets(
    report: Report,
    old_src: Source,
    new_src: Source,
    old_contract: Contract,
    new_contract: Contract,
    *,
    today: dt.date | None = None,
) -> Report:
    check_annotations(old_src, report.kind)
    check_annotations(new_src, report.kind)
    findings = [f for r in report.directions.values() for f in r.findings]
    if not findings:
        return report
    day = today or dt.date.today()
    rewrite: dict[tuple[str, str], Finding] = {}
    old_bytes = old_src.read_main() if report.kind != "sql" else b""
    if b"x-sunset" in old_bytes or (report.kind == "protobuf" and b"sunset" in old_bytes):
        rewrite = _sunset_rewrites(report, findings, old_src, new_src, old_contract, new_contract, day)
    relaxed: list[tuple[str, str]] = []
    if report.kind == "openapi" and (b"x-stability-level" in old_bytes or b"x-stability-level" in new_src.read_main()):
        relaxed = _relaxed_operations(old_src, new_src, old_contract, new_contract)
    if not rewrite and not relaxed:
        return report
    results: dict[Direction, DirectionResult] = {}
    for d, result in report.directions.items():
        out = []
        for f in result.findings:
            f = rewrite.get((f.rule, f.location), f)
            level = next((lvl for loc, lvl in relaxed if f.location == loc or f.location.startswith(loc + "/")), None)
            if level is not None and f.severity is Severity.ERROR:
                f = replace(f, severity=Severity.WARNING,
                            message=f"{f.message} (x-stability-level {level}: breaking changes are allowed)")  # fmt: skip
            out.append(f)
        results[d] = DirectionResult(d, tuple(sorted(out, key=Finding.sort_key)))
    return replace(report, directions=results)


def _sunset_rewrites(
    report: Report,
    findings: list[Finding],
    old_src: Source,
    new_src: Source,
    old_contract: Contract,
    new_contract: Contract,
    day: dt.date,
) -> dict[tuple[str, str], Finding]:
    from pytest_cdcompat.catalogue import by_id
    from pytest_cdcompat.catalogue.sunset_rules import removed_deprecated
    from pytest_cdcompat.kinds.elements import avro_pointer_keys, element_depth, element_map
    from pytest_cdcompat.kinds.elements import covers as _covers
    from pytest_cdcompat.sources.positions import DocumentPositions

    # AsyncAPI messages inherit the marks of their operation and channel, which the annotated map works out
    depth = element_depth(old_contract, new_contract)
    old_map = element_map(old_contract, old_src, annotate=report.kind == "asyncapi", depth=depth)
    new_map = element_map(new_contract, new_src, annotate=False, depth=depth)
    removed = {loc: el for loc, el in old_map.items() if loc not in new_map and "\0" not in loc}
    # Avro, Protobuf and AsyncAPI elements carry their marks in the element map; the others' marks are read back
    docs = DocumentPositions(old_src) if report.kind not in MARKED_KINDS else None
    # an Avro finding locates a removed field by its index in the old version (``/fields/1``), the element map by
    # its name (``/fields#legacy``): the index pointers of the old version translate one into the other
    by_index = avro_pointer_keys(old_src) if report.kind == "avro" else {}
    out: dict[tuple[str, str], Finding] = {}
    for f in findings:
        if f.severity is Severity.INFO:
            continue
        where = by_index.get(f.location, f.location)
        for loc, el in removed.items():
            if not _covers(where, f.message, loc, el):
                continue
            if docs is not None:
                notes = docs.annotations(loc)
                deprecated, sunset_text = notes.get("deprecated") == "true", notes.get("x-sunset")
            else:
                deprecated, sunset_text = el.deprecated, el.sunset
            sunset = parse_date(sunset_text) if sunset_text else None
            if not deprecated or sunset is None:
                continue
            hit = next(iter(removed_deprecated(el, sunset, day, f.message)))
            found = by_id(hit.rule_id or "")
            assert found is not None
            rid = found[1]
            out[(f.rule, f.location)] = replace(
                f,
                rule=rid.id,
                severity=rid.severity,
                message=hit.message,
                advice=rid.advice,
                counterexample=(f.counterexample if rid.severity is Severity.ERROR else None),
            )
            break
    return out


def _relaxed_operations(old_src: Source, new_src: Source, old_c: Contract, new_c: Contract) -> list[tuple[str, str]]:
    """(operation location, level) of the operations marked draft or alpha, in either version."""
    from pytest_cdcompat.sources.positions import DocumentPositions

    out: list[tuple[str, str]] = []
    for src, contract in ((new_src, new_c), (old_src, old_c)):
        docs = DocumentPositions(src)
        for ch in contract.channels.values():
            level: Any = docs.annotations(ch.location).get("x-stability-level")
            if level in RELAXED:
                out.append((ch.location, str(level)))
    return out
