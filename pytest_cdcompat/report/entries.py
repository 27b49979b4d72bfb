"""What the CI formats (SARIF, GitHub, GitLab, JUnit) share: the findings of several reports as flat entries.

A CI job compares many contract pairs (``cdcompat check``) and each pair in two directions; a CI format wants one
list. An ``Entry`` is one finding with its pair and direction, the file and line it points at (with the git revision
prefix of an old version dropped, so the path is the repository path a code host can show), and a fingerprint that
stays the same across runs while the finding does: rule, direction, contract and location, never the line number,
so an edit above the element does not make it look like a new finding.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pytest_cdcompat.core.findings import Direction, Finding, Report

__all__ = ["Entry", "PairReport", "entries", "fails", "plain_path"]

_REV_PREFIX = re.compile(r"^[^/:\s]+:(?!//)")


@dataclass(frozen=True, slots=True)
class PairReport:
    """One compared pair as the CI formats show it: a name, its report, and the directions that must pass."""

    name: str
    report: Report
    required: frozenset[Direction] = frozenset(Direction)


@dataclass(frozen=True, slots=True)
class Entry:
    pair: PairReport
    direction: Direction
    finding: Finding

    @property
    def path(self) -> str:
        """The repository path of the file the finding points at (``main:api.yaml`` -> ``api.yaml``)."""
        return plain_path(self.finding.file or self.pair.report.new)

    @property
    def line(self) -> int:
        return self.finding.line or 1

    @property
    def column(self) -> int:
        return self.finding.column or 1

    @property
    def level(self) -> str:
        """error, warning or note: an error of a direction that is not required, or a waived one, does not fail."""
        f = self.finding
        if f.waived is not None:
            return "note"
        if f.severity.value == "error":
            return "error" if self.direction in self.pair.required else "warning"
        return "warning" if f.severity.value == "warning" else "note"

    @property
    def message(self) -> str:
        f = self.finding
        text = f"{f.message} [{self.direction.value}]"
        if f.in_old and f.file:
            text += f" (gone in the new version; the line is in the old version, {f.file})"
        if f.waived is not None:
            text += f" (waived: {f.waived})"
        return text

    @property
    def title(self) -> str:
        return f"{self.finding.rule} ({self.pair.name})"

    @property
    def fingerprint(self) -> str:
        key = "\0".join((self.finding.rule, self.direction.value, self.pair.name, self.finding.location))
        return hashlib.sha256(key.encode()).hexdigest()[:32]


def plain_path(label: str) -> str:
    return _REV_PREFIX.sub("", label, count=1)


def entries(pairs: Sequence[PairReport]) -> Iterable[Entry]:
    for p in pairs:
        for d in Direction:
            for f in p.report.directions[d].findings:
                yield Entry(p, d, f)


def fails(report: Report, required: Iterable[Direction], fail_on: str = "error") -> bool:
    """Whether ``report`` fails the run: an unwaived error in a required direction, or with ``fail_on="warning"``
    also an unwaived warning there."""
    chosen = list(required)
    if any(not report.directions[d].compatible for d in chosen):
        return True
    if fail_on != "warning":
        return False
    return any(
        f.severity.value == "warning" and f.waived is None for d in chosen for f in report.directions[d].findings
    )
