"""Findings and reports: what the engine says about one contract pair.

A ``Report`` holds, for each ``Direction``, the sorted findings and whether that direction is compatible
(compatible exactly when it has no finding of severity ``error``), and the deploy order that follows from the two.
``Report.to_json()`` is the ``--format json`` document of the compare interface, key for key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


class Direction(str, Enum):
    """A deploy scenario: which version of each party runs against which."""

    OLD_CONSUMER_NEW_PRODUCER = "old_consumer_new_producer"
    NEW_CONSUMER_OLD_PRODUCER = "new_consumer_old_producer"

    @property
    def test_id(self) -> str:
        return {
            "old_consumer_new_producer": "old-consumer-vs-new-producer",
            "new_consumer_old_producer": "new-consumer-vs-old-producer",
        }[self.value]

    @property
    def label(self) -> str:
        return {
            "old_consumer_new_producer": "old consumers against the new producer",
            "new_consumer_old_producer": "new consumers against the old producer",
        }[self.value]


# The four deploy orders, worded as the interface documents them.
ANY_ORDER = "any order"
CONSUMERS_FIRST = "deploy consumers first"
PRODUCER_FIRST = "deploy the producer first"
EXPAND_CONTRACT = "no safe order: expand and contract"


def deploy_order(old_consumers_ok: bool, new_consumers_ok: bool) -> str:
    if old_consumers_ok and new_consumers_ok:
        return ANY_ORDER
    if new_consumers_ok:
        return CONSUMERS_FIRST
    if old_consumers_ok:
        return PRODUCER_FIRST
    return EXPAND_CONTRACT


DEPLOY_STEPS = {
    ANY_ORDER: "Both directions are compatible: producer and consumers may be deployed in any order, and rolled back.",
    CONSUMERS_FIRST: (
        "Old consumers cannot handle the new producer. Deploy and finish rolling out every consumer first, "
        "then the producer; do not roll consumers back past this version afterwards."
    ),
    PRODUCER_FIRST: (
        "New consumers cannot work with the old producer. Deploy the producer first (and do not roll it back "
        "below this version), then the consumers; or hide the consumers' new behaviour behind a feature toggle."
    ),
    EXPAND_CONTRACT: (
        "Neither order is safe. Split the change: (1) expand: add the new shape beside the old one and deploy the "
        "producer; (2) migrate every consumer to the new shape (feature toggle, double write); (3) contract: remove "
        "the old shape once no consumer uses it."
    ),
}


# For databases the producer is the schema (the migration) and the consumer the application.
DEPLOY_STEPS_SQL = {
    ANY_ORDER: "Both directions are compatible: migrate and deploy the application in any order, and roll back.",
    CONSUMERS_FIRST: (
        "The old application breaks on the migrated schema: deploy the application first, then migrate; do not "
        "roll the application back below this version once the migration has run."
    ),
    PRODUCER_FIRST: (
        "The new application breaks on the old schema: migrate first, then deploy the application (and do not roll "
        "the migration back while it runs); or make the new code tolerate the old schema behind a feature toggle."
    ),
    EXPAND_CONTRACT: (
        "Neither order is safe. Expand and contract: (1) add the new column or table beside the old one, kept in "
        "sync by a trigger or a preemptive double write; (2) backfill, switch reads, stop writing the old one; "
        "(3) drop it once no running version uses it."
    ),
}


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    location: str
    message: str
    counterexample: Any = None
    advice: str = ""
    waived: str | None = None  # the waiver's reason when a waiver accepted this finding
    engine: str = "rules"  # "rules" or "generator": which engine found it
    # Where the element is written: in the new version, or in the old one when it is gone (``in_old``).
    file: str | None = None
    line: int | None = None
    column: int | None = None
    in_old: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "location": self.location,
            "message": self.message,
            "counterexample": self.counterexample,
            "advice": self.advice,
            "file": self.file,
            "line": self.line,
            "column": self.column,
        }

    @property
    def position(self) -> str:
        """``path:line:column`` (or ``""`` when the finding has no position)."""
        if self.file is None or self.line is None:
            return ""
        return f"{self.file}:{self.line}:{self.column or 1}"

    @property
    def fails(self) -> bool:
        return self.severity is Severity.ERROR and self.waived is None

    def sort_key(self) -> tuple[int, str, str, str]:
        return (self.severity.rank, self.location, self.rule, self.message)

    def with_severity(self, severity: Severity) -> Finding:
        return replace(self, severity=severity)


@dataclass(frozen=True, slots=True)
class DirectionResult:
    direction: Direction
    findings: tuple[Finding, ...]

    @property
    def compatible(self) -> bool:
        return not any(f.fails for f in self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.fails)


@dataclass(frozen=True, slots=True)
class Report:
    kind: str
    old: str
    new: str
    directions: dict[Direction, DirectionResult]
    semantics: str = "tolerant"  # "tolerant" (tolerant reader) or "strict" (set semantics)
    seed: int | None = None
    examples: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def compatible(self) -> bool:
        return all(r.compatible for r in self.directions.values())

    @property
    def deploy_order(self) -> str:
        return deploy_order(
            self.directions[Direction.OLD_CONSUMER_NEW_PRODUCER].compatible,
            self.directions[Direction.NEW_CONSUMER_OLD_PRODUCER].compatible,
        )

    @property
    def deploy_steps(self) -> str:
        return (DEPLOY_STEPS_SQL if self.kind == "sql" else DEPLOY_STEPS)[self.deploy_order]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "old": self.old,
            "new": self.new,
            "directions": {
                d.value: {
                    "compatible": self.directions[d].compatible,
                    "findings": [f.to_json() for f in self.directions[d].findings],
                }
                for d in Direction
            },
            "deploy_order": self.deploy_order,
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2, sort_keys=False, ensure_ascii=False) + "\n"
