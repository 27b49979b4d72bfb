"""Give every finding of a report a file, line and column: in the new version when the element is there, in the old
version otherwise (a removal), with a note saying so.

The kind decides how a location maps to text: JSON pointers for YAML and JSON documents (OpenAPI, AsyncAPI, JSON
Schema, Avro ``.avsc``), full names for Protobuf, migration lines and columns for SQL. Positions are computed only
for reports with findings, and each file is composed at most once per report.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol

from pytest_cdcompat.core.findings import Direction, DirectionResult, Finding, Report
from pytest_cdcompat.core.model import Contract
from pytest_cdcompat.sources.positions import DocumentPositions, Position
from pytest_cdcompat.sources.source import Source

__all__ = ["locate_report", "locator_for"]


class Locator(Protocol):
    def locate(self, location: str) -> Position | None: ...


def locator_for(kind: str, source: Source, contract: Contract | None) -> Locator:
    if kind == "protobuf":
        from pytest_cdcompat.kinds.protobuf.proto_positions import ProtoPositions

        return ProtoPositions(source)
    if kind == "sql":
        from pytest_cdcompat.kinds.sql.sql_positions import SqlPositions

        migrations: Any = contract.extras.get("migrations", ()) if contract is not None else ()
        return SqlPositions(source, migrations)
    return DocumentPositions(source)


def _choose(new: Position | None, old: Position | None) -> tuple[Position | None, bool]:
    """(position, in the old version?): the new version's exact place, else the old one's, else the nearest."""
    if new is not None and new.exact:
        return new, False
    if old is not None and old.exact:
        return old, True
    if new is not None:
        return new, False
    return old, old is not None


def locate_report(
    report: Report,
    old_src: Source,
    new_src: Source,
    old_contract: Contract | None = None,
    new_contract: Contract | None = None,
) -> Report:
    if not any(r.findings for r in report.directions.values()):
        return report
    new_loc = locator_for(report.kind, new_src, new_contract)
    old_loc = locator_for(report.kind, old_src, old_contract)
    cache: dict[str, tuple[Position | None, bool]] = {}
    results: dict[Direction, DirectionResult] = {}
    for d, result in report.directions.items():
        located: list[Finding] = []
        for f in result.findings:
            if f.line is not None:
                located.append(f)
                continue
            if f.location not in cache:
                new_pos = new_loc.locate(f.location)
                # the old version is read only when the new one lacks the exact place (a large document is
                # composed for positions only when a finding needs it)
                old_pos = None if new_pos is not None and new_pos.exact else old_loc.locate(f.location)
                cache[f.location] = _choose(new_pos, old_pos)
            pos, in_old = cache[f.location]
            if pos is None:
                located.append(f)
            else:
                located.append(replace(f, file=pos.file, line=pos.line, column=pos.column, in_old=in_old))
        results[d] = DirectionResult(d, tuple(located))
    return replace(report, directions=results)
