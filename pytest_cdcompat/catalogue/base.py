"""What a rule is: declared data (ids, severity, advice, category, scope) next to one small pure check.

Rules are written once as *writer vs reader*: the check sees a pair (the writing version's side and the reading
version's side of one place) and yields ``Hit``s where the reader would reject something the writer may send. Whether
that is an old client against a new server or a new consumer against an old producer is the engine's business.

Because the same relation reads differently depending on which version writes, a rule declares one id per
orientation: ``old_writes`` names the change when the OLD version is the writer (the new reader lost something:
``enum-value-removed``), ``new_writes`` when the NEW version writes (the new writer gained something the old reader
lacks: ``enum-value-added``). Rules whose direction is fixed by nature (a SQL statement) declare ``ids`` and set
``Hit.rule_id`` and ``Hit.direction`` themselves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pytest_cdcompat.core.findings import Direction, Severity

ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")


class _Nothing:
    """No witness: the rule has no concrete value to offer."""

    _instance: _Nothing | None = None

    def __new__(cls) -> _Nothing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOTHING"

    def __bool__(self) -> bool:
        return False


NOTHING: Any = _Nothing()


@dataclass(frozen=True, slots=True)
class RuleId:
    """One published rule id: what users see, waive and configure."""

    id: str
    severity: Severity
    summary: str
    advice: str


@dataclass(frozen=True, slots=True)
class Hit:
    """One place where the reader rejects what the writer may send.

    ``where`` is a JSON pointer relative to the node the rule was given (the engine makes it absolute);
    ``witness`` is a value at that place that the writer accepts and the reader rejects, when the rule knows one.
    ``missing`` marks a witness that is the *absence* of the value at ``where`` (a required property the writer
    may omit). ``node``, when the rule names one, is the writer's schema node the claim is about, if it is not the
    node the rule was given (a union's branch): a counterexample must be a value that node governs.
    """

    where: str
    message: str
    witness: Any = NOTHING
    missing: bool = False
    instance: tuple[str | int, ...] = ()  # where the witness goes, below the node's own instance path
    rule_id: str | None = None
    direction: Direction | None = None
    severity: Severity | None = None  # override, e.g. a warning for a change that cannot always be decided
    node: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    scope: str  # "schema", "flow", "channel", "contract", or a kind-specific scope ("avro", "protobuf", "sql", ...)
    category: str  # existence, requiredness, type, constraints, values, structure, wire-json, data
    kinds: frozenset[str]
    check: Callable[..., Iterable[Hit]]
    old_writes: RuleId | None = None
    new_writes: RuleId | None = None
    ids: tuple[RuleId, ...] = ()
    doc: str = ""

    def all_ids(self) -> tuple[RuleId, ...]:
        out: dict[str, RuleId] = {}
        for r in (self.old_writes, self.new_writes, *self.ids):
            if r is not None and r.id not in out:
                out[r.id] = r
        return tuple(out.values())

    def id_for(self, writer: str, explicit: str | None = None) -> RuleId:
        if explicit is not None:
            for rid in self.all_ids():
                if rid.id == explicit:
                    return rid
            raise KeyError(f"rule {self.name} declares no id {explicit!r}")
        chosen = self.old_writes if writer == "old" else self.new_writes
        if chosen is None:
            raise KeyError(f"rule {self.name} declares no id for the {writer} writer")
        return chosen
