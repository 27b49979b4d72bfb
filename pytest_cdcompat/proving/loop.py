"""The proof loop, the same for every contract kind: run the rules, prove each error, downgrade what is not shown,
report the breaks no rule names.

A kind's engine pairs its places (schema node pairs, Avro schema pairs, Protobuf fields, AsyncAPI messages, SQL
changes) and hands each pair to ``Loop.check`` with the rules of that scope. For every hit the loop resolves the
published rule id (a rule that yields an id it does not declare is a catalogue bug: ``CatalogueError``, never
skipped), asks the kind's ``Witness`` for a candidate counterexample, and keeps it only if the kind's witness check
(``Witness.demonstrates``: jsonschema, a fastavro round trip, a protobuf round trip, a database) confirms that the
writer produces it and the reader rejects it. An error without a demonstrated counterexample is downgraded to a
warning whenever generation runs (``examples > 0``), with the kind's note appended to the message. So a finding
whose counterexample the reader accepts can never be an error, whatever a rule claims: a counterexample is only ever
reported after the witness check passed.

``Loop.uncatalogued`` then reports a counterexample the kind's search found although no rule explains it
(``uncatalogued-break``), checked by the same witness check.

The loop keeps no state between comparisons: a ``Loop`` lives for one comparison (both directions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from pytest_cdcompat.catalogue import NOTHING, Hit, Rule, RuleId, by_id
from pytest_cdcompat.core.findings import Finding, Severity
from pytest_cdcompat.core.settings import Settings

__all__ = ["UNCATALOGUED", "CatalogueError", "Claim", "Loop", "Witness", "resolve", "rule_id", "shown"]

UNCATALOGUED = "uncatalogued-break"

P = TypeVar("P")


class CatalogueError(LookupError):
    """A rule yielded a hit for an id it does not declare, or an engine named an id the catalogue lacks: a bug in
    the catalogue, reported instead of silently dropping the finding."""


@dataclass(frozen=True, slots=True)
class Claim(Generic[P]):
    """One rule hit about to become a finding: the rule, its published id, the hit, the pair it was found on, the
    writing version ("old" or "new", "" for kinds whose rules name the direction) and the absolute location."""

    rule: Rule
    rid: RuleId
    hit: Hit
    pair: P
    writer: str
    location: str


class Witness(Protocol[P]):
    """What a kind supplies to the loop: how to find a candidate counterexample and how to check it."""

    def wanted(self, claim: Claim[P], severity: Severity) -> bool:
        """Whether this claim is proved (e.g. only errors, only when generation runs). A claim that is proved and
        not demonstrated is downgraded; one that is not proved keeps its declared severity (SQL's static rules,
        whose witness is the database run that reports its own findings)."""
        ...

    def candidate(self, claim: Claim[P]) -> Any:
        """A value that should demonstrate the claim (the rule's witness placed in a whole message, or a search
        result), or ``NOTHING``."""
        ...

    def demonstrates(self, claim: Claim[P], candidate: Any) -> bool:
        """The kind's witness check: the writer produces ``candidate`` and the reader rejects it (or reads it
        differently), at the claim's place."""
        ...

    def show(self, claim: Claim[P], candidate: Any) -> Any:
        """The counterexample as reported (an HTTP envelope, a datum and its decode error, ...)."""
        ...

    def not_demonstrated(self, claim: Claim[P]) -> str:
        """The note appended to a downgraded error's message."""
        ...


def rule_id(rule: Rule, writer: str, explicit: str | None) -> RuleId:
    """The published id of a hit: the explicit one, or the rule's id for the writing version."""
    try:
        return rule.id_for(writer, explicit)
    except KeyError as e:
        raise CatalogueError(f"rule {rule.name}: {e.args[0] if e.args else e}") from None


def resolve(rule_id_: str) -> RuleId:
    """A catalogue entry by id; a missing one is a ``CatalogueError``."""
    found = by_id(rule_id_)
    if found is None:
        raise CatalogueError(f"no rule declares the id {rule_id_!r}")
    return found[1]


def shown(rule_id_: str, location: str, message: str, counterexample: Any) -> Finding:
    """A finding a kind's witness check produced directly (a database run, a search), with the id's declared
    severity and advice; an id the catalogue lacks is a ``CatalogueError``."""
    rid = resolve(rule_id_)
    return Finding(rid.id, rid.severity, location, message, counterexample, rid.advice, engine="generator")


class Loop(Generic[P]):
    """The proof loop for one comparison of one kind, with that kind's witness check."""

    def __init__(self, settings: Settings, witness: Witness[P]) -> None:
        self.settings = settings
        self.witness = witness

    def check(
        self,
        rules: Iterable[Rule],
        pair: P,
        writer: str,
        where: Callable[[Hit], str],
    ) -> list[Finding]:
        """Every rule's hits on ``pair``, each proved and judged; ``where`` makes a hit's location absolute."""
        out = []
        for r in rules:
            for hit in r.check(pair):
                out.append(self.judge(Claim(r, rule_id(r, writer, hit.rule_id), hit, pair, writer, where(hit))))
        return out

    def claim(self, rule: Rule, hit: Hit, pair: P, writer: str, location: str) -> Claim[P]:
        return Claim(rule, rule_id(rule, writer, hit.rule_id), hit, pair, writer, location)

    def judge(self, claim: Claim[P]) -> Finding:
        """One claim as a finding: proved by the kind's witness check, or downgraded when generation ran."""
        rid, hit = claim.rid, claim.hit
        severity = hit.severity or rid.severity
        message = hit.message
        shown: Any = None
        if self.witness.wanted(claim, severity):
            value = self.witness.candidate(claim)
            if value is not NOTHING and self.witness.demonstrates(claim, value):
                shown = self.witness.show(claim, value)
            if shown is None and severity is Severity.ERROR and self.settings.examples > 0:
                severity = Severity.WARNING
                message += self.witness.not_demonstrated(claim)
        return Finding(rid.id, severity, claim.location, message, shown, rid.advice)

    def wants_search(self, findings: Iterable[Finding]) -> bool:
        """Whether to search for breaks no rule names: generation is on, the id is wanted, and no rule proved an
        error already (the search is for what the rules missed)."""
        only = self.settings.only
        if self.settings.examples <= 0 or (only is not None and UNCATALOGUED not in only):
            return False
        return not any(f.severity is Severity.ERROR for f in findings)

    def uncatalogued(self, claim: Claim[P], candidate: Any, message: str) -> Finding | None:
        """A break the kind's search found and no rule explains, if the witness check confirms it."""
        if candidate is NOTHING or not self.witness.demonstrates(claim, candidate):
            return None
        rid = claim.rid
        shown = self.witness.show(claim, candidate)
        return Finding(rid.id, rid.severity, claim.location, message, shown, rid.advice, engine="generator")

    def search_claim(self, pair: P, writer: str, location: str) -> Claim[P]:
        """The claim an uncatalogued search at ``location`` stands for."""
        rid = resolve(UNCATALOGUED)
        found = by_id(UNCATALOGUED)
        assert found is not None
        return Claim(found[0], rid, Hit("", ""), pair, writer, location)
