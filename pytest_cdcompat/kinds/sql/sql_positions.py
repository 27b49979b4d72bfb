"""Where an SQL finding is written: a migration statement (``0002_x.sql:5``) or a column (``orders.total``).

Statement locations already carry the migration and line; they are mapped to the file as reports name it. A
snapshot location (``table.column`` or ``table``) is looked up in the migrations' text: the last statement line that
names the column (or the table), in the version searched, so an added or altered column points at the statement that
added or altered it, and a dropped one at its ``DROP`` (or, in the old version, where it was created).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pytest_cdcompat.core.errors import CdcompatError
from pytest_cdcompat.sources.positions import Position
from pytest_cdcompat.sources.source import Source

__all__ = ["SqlPositions"]

_AT_LINE = re.compile(r"^(?P<path>.+\.(?:sql|py)):(?P<line>\d+)$")


class SqlPositions:
    def __init__(self, source: Source, migrations: Sequence[Any]) -> None:
        self.source = source
        self.migrations = list(migrations)

    def _file(self, m: Any) -> str:
        if self.source.rel.name == m.name or m.path == self.source.label:
            return self.source.label
        for rel in (self.source.rel / m.name, self.source.rel / "versions" / m.name):
            try:
                self.source.read(rel)
            except CdcompatError:  # not there: try the next layout
                continue
            return self.source.describe(rel)
        return str(m.path)

    def locate(self, location: str) -> Position | None:
        at = _AT_LINE.match(location)
        if at:
            for m in self.migrations:
                if m.path == at.group("path"):
                    return Position(self._file(m), int(at.group("line")), 1, True)
            return None
        table, _, column = location.partition(".")
        if not table:
            return None
        table_re = re.compile(rf"(?<![\w.]){re.escape(table)}(?!\w)", re.I)
        col_re = re.compile(rf"(?<![\w.]){re.escape(column)}(?!\w)", re.I) if column else None
        best: Position | None = None
        for m in self.migrations:
            lines = str(m.text).splitlines()
            for stmt in m.statements:
                body = str(stmt.text)
                if not table_re.search(body):
                    continue
                first = int(stmt.line)
                span = body.count("\n") + 1
                target = col_re or table_re
                for n in range(first, min(first + span, len(lines) + 1)):
                    hit = target.search(lines[n - 1])
                    if hit:
                        best = Position(self._file(m), n, hit.start() + 1, col_re is not None or not column)
                        break
                else:
                    if best is None or not best.exact:
                        best = Position(self._file(m), first, 1, False)
        return best
