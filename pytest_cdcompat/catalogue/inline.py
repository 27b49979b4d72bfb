"""Inline suppressions, for every kind as SQL migrations have them (``-- cd-compat: allow RULE REASON``).

- YAML and JSON documents (OpenAPI, AsyncAPI, JSON Schema, Avro): an ``x-cd-compat-allow`` key on the element or
  any element above it: a list of rule ids (``[enum-value-added]``), of ``"rule-id reason"`` strings, or of
  ``{rule: ..., reason: ...}`` mappings.
- Protobuf: a ``// cd-compat: allow RULE REASON`` comment on the element's line or the line above it.

A suppressed finding is reported as waived, with the reason and where the suppression is written; it no longer
fails. The suppression is read in the version the finding points at (the new one, or the old one for a removal). A
suppression naming a rule the catalogue does not have is an error naming the file and line: a typo must not
silently suppress nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any

import yaml

from pytest_cdcompat.core.errors import ContractLoadError
from pytest_cdcompat.core.findings import Direction, DirectionResult, Finding, Report
from pytest_cdcompat.sources.positions import DocumentPositions, split_location
from pytest_cdcompat.sources.source import Source

__all__ = ["ALLOW_KEY", "apply_inline"]

ALLOW_KEY = "x-cd-compat-allow"
PROTO_ALLOW = re.compile(r"//\s*cd-compat:\s*allow\s+([A-Za-z0-9*-]+)\s*(.*)$")
DOCUMENT_KINDS = frozenset({"openapi", "asyncapi", "jsonschema", "avro"})


def _known(rule: str, file: str, line: int) -> None:
    from pytest_cdcompat.catalogue import by_id

    if by_id(rule) is None:
        raise ContractLoadError(f"{ALLOW_KEY}: unknown rule id {rule!r}", path=file, line=line)


def _entries(node: yaml.Node, file: str) -> dict[str, str]:
    """rule id -> reason of one ``x-cd-compat-allow`` value."""
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    out: dict[str, str] = {}
    for item in items:
        line = item.start_mark.line + 1
        where = f"{ALLOW_KEY} at {file}:{line}"
        if isinstance(item, yaml.ScalarNode):
            rule, _, reason = str(item.value).strip().partition(" ")
        elif isinstance(item, yaml.MappingNode):
            fields = {k.value: v.value for k, v in item.value if isinstance(v, yaml.ScalarNode)}
            rule, reason = str(fields.get("rule", "")), str(fields.get("reason", ""))
        else:
            raise ContractLoadError(f"{ALLOW_KEY}: expected rule ids", path=file, line=line)
        if not rule:
            raise ContractLoadError(f"{ALLOW_KEY}: an entry names no rule", path=file, line=line)
        _known(rule, file, line)
        out[rule] = f"{reason.strip() or 'allowed inline'} ({where})"
    return out


class _DocAllows:
    def __init__(self, source: Source) -> None:
        self.docs = DocumentPositions(source)
        self.cache: dict[str, dict[str, str]] = {}

    def reason(self, f: Finding) -> str | None:
        file, ptr = split_location(f.location)
        segments = [s for s in ptr.split("/")[1:]] if ptr else []
        prefix = f"{file}#" if file else ""
        for n in range(len(segments), -1, -1):
            loc = prefix + ("/" + "/".join(segments[:n]) if n else "")
            if loc not in self.cache:
                self.cache[loc] = self._allows(loc)
            if f.rule in self.cache[loc]:
                return self.cache[loc][f.rule]
        return None

    def _allows(self, loc: str) -> dict[str, str]:
        node = self.docs.node(loc)
        if not isinstance(node, yaml.MappingNode):
            return {}
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == ALLOW_KEY:
                return _entries(v, self.docs.source.describe(self.docs.source.rel))
        return {}


def _proto_allows(source: Source) -> dict[int, dict[str, str]]:
    text = source.read_main().decode("utf-8-sig", "replace")
    out: dict[int, dict[str, str]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        m = PROTO_ALLOW.search(line)
        if m:
            _known(m.group(1), source.label, n)
            reason = f"{m.group(2).strip() or 'allowed inline'} (cd-compat comment at {source.label}:{n})"
            out.setdefault(n, {})[m.group(1)] = reason
    return out


def apply_inline(report: Report, old_src: Source, new_src: Source) -> Report:
    if report.kind not in DOCUMENT_KINDS and report.kind != "protobuf":
        return report
    sources = {"new": new_src, "old": old_src}
    raw = {k: s.read_main() if not _is_folder(s) else b"" for k, s in sources.items()}
    marker = b"cd-compat: allow" if report.kind == "protobuf" else ALLOW_KEY.encode()
    if not any(
        marker in b or any(marker in c for c in s._cache.values())
        for b, s in zip(raw.values(), sources.values(), strict=True)
    ):
        return report
    lookups: dict[str, Any] = {}
    results: dict[Direction, DirectionResult] = {}
    for d, result in report.directions.items():
        out = []
        for f in result.findings:
            side = "old" if f.in_old else "new"
            if side not in lookups:
                lookups[side] = _proto_allows(sources[side]) if report.kind == "protobuf" else _DocAllows(sources[side])
            reason: str | None
            if report.kind == "protobuf":
                lines = lookups[side]
                reason = next(
                    (lines[n][f.rule] for n in (f.line or 0, (f.line or 0) - 1) if f.rule in lines.get(n, {})), None
                )
            else:
                reason = lookups[side].reason(f)
            out.append(replace(f, waived=reason) if reason and f.waived is None else f)
        results[d] = DirectionResult(d, tuple(out))
    # a suppression with an unknown rule id is an error even where no finding reached it
    for side, src in sources.items():
        if marker in raw[side] and side not in lookups and report.kind == "protobuf":
            _proto_allows(src)
    return replace(report, directions=results)


def _is_folder(source: Source) -> bool:
    from pytest_cdcompat.sources.source import FileSource

    return isinstance(source, FileSource) and (source.root / PurePosixPath(source.rel)).is_dir()
