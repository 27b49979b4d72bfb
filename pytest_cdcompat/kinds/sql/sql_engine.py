"""The SQL engine: static rules over the paired migration sets, then the checks on real throwaway databases.

Both deploy scenarios come out of one pass (the dynamic check runs each application version against the other
schema in a single session): ``run`` computes them once and splits them per direction. Static rules go through the
proof loop (``proving.loop``) unproved: they are judged from the migrations; the kind's witness check is the database
run, whose findings are proved by construction (a statement that really failed, a row that really changed).
Inline waivers (``-- cd-compat: allow <rule> <reason>`` in a migration) are applied here: a finding located at a
statement that carries a waiver for its rule is kept, marked ``waived``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from pytest_cdcompat import catalogue
from pytest_cdcompat.catalogue import NOTHING
from pytest_cdcompat.core.findings import Direction, Finding, Severity
from pytest_cdcompat.core.model import Contract
from pytest_cdcompat.core.settings import Settings
from pytest_cdcompat.kinds.sql.change import SqlChange, build
from pytest_cdcompat.kinds.sql.internal import guard, jsonable
from pytest_cdcompat.proving.loop import Claim, Loop

DYNAMIC_IDS = frozenset(
    {
        "insert-rejected",
        "select-failed",
        "query-failed",
        "migration-failed-on-existing-rows",
        "write-lost-during-transition",
        "existing-row-changed",
        "migration-statement-refused",
    }
)


def run(old: Contract, new: Contract, settings: Settings, seed: int) -> dict[Direction, list[Finding]]:
    found = all_findings(old, new, settings, seed)
    return {direction: [f for d, f in found if d is direction] for direction in Direction}


def all_findings(old: Contract, new: Contract, settings: Settings, seed: int) -> list[tuple[Direction, Finding]]:
    where = f"{old.source} -> {new.source}"
    with guard(where, lambda: ("reading the migrations into a schema model", None)):
        change = build(old, new)
    with guard(where, lambda: ("running the static rules", None)):
        out = declared_statements_filter(static_findings(change, settings), old, new)
    wanted = settings.only
    runnable = new.extras["dialect"] == new.extras.get("database", new.extras["dialect"])
    if settings.examples > 0 and runnable and (wanted is None or wanted & DYNAMIC_IDS):
        from pytest_cdcompat.kinds.sql.dynamic_check import run_dynamic

        out.extend(run_dynamic(old, new, change, settings, seed))
    if wanted is not None:
        out = [(d, f) for d, f in out if f.rule in wanted]
    # every value in a report is plain JSON (bytes from BLOB columns, Decimal, dates...): every format can write it
    out = [(d, replace(f, counterexample=jsonable(f.counterexample))) for d, f in out]
    return apply_waivers(out, new)


class StaticWitness:
    """Static SQL claims are not proved here: the rule's description of the statement is shown as it is."""

    def wanted(self, claim: Claim[Any], severity: Severity) -> bool:
        return False

    def candidate(self, claim: Claim[Any]) -> Any:
        return NOTHING

    def demonstrates(self, claim: Claim[Any], candidate: Any) -> bool:
        return False

    def show(self, claim: Claim[Any], candidate: Any) -> Any:
        return candidate

    def not_demonstrated(self, claim: Claim[Any]) -> str:
        return ""


def static_findings(change: SqlChange, settings: Settings) -> list[tuple[Direction, Finding]]:
    loop: Loop[SqlChange] = Loop(settings, StaticWitness())
    out = []
    for r in catalogue.rules_for("sql", "sql", settings.only):
        for hit in r.check(change):
            assert hit.direction is not None, f"SQL rule {r.name} must set Hit.direction"
            f = loop.judge(loop.claim(r, hit, change, "", hit.where))
            out.append((hit.direction, replace(f, counterexample=hit.witness or None)))
    return out


# rules that assume an application reads and writes every column of its schema: with declared statements
# (queries/) the assumption is replaced by what the statements name
_ASSUMED = {"column-added": "new", "table-added": "new", "column-dropped": "old", "table-dropped": "old"}


def declared_statements_filter(
    found: list[tuple[Direction, Finding]], old: Contract, new: Contract
) -> list[tuple[Direction, Finding]]:
    """Drop additions the new application's declared statements never use, and removals the old one's never use."""
    # statements marked (optional) tolerate the object's absence: they do not count as uses
    texts = {v: [q.text for q in c.extras["queries"] if not q.optional] for v, c in (("old", old), ("new", new))}
    declared = {"old": bool(old.extras["queries"]), "new": bool(new.extras["queries"])}
    out = []
    for d, f in found:
        version = _ASSUMED.get(f.rule)
        ce = f.counterexample if isinstance(f.counterexample, dict) else {}
        if version and declared[version] and "table" in ce:
            name = str(ce.get("column") or ce["table"])
            if not any(re.search(rf"\b{re.escape(name)}\b", t, re.I) for t in texts[version]):
                continue
        out.append((d, f))
    return out


def apply_waivers(found: list[tuple[Direction, Finding]], new: Contract) -> list[tuple[Direction, Finding]]:
    waivers: dict[str, dict[str, str]] = {}
    for m in new.extras["migrations"]:
        for s in m.statements:
            if s.waivers:
                waivers[s.location] = s.waivers
    if not waivers:
        return found
    out = []
    for d, f in found:
        reason = waivers.get(f.location, {}).get(f.rule)
        out.append((d, replace(f, waived=reason) if reason else f))
    return out
