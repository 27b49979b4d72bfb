"""The SQL engine: static rules over the paired migration sets, then the checks on real throwaway databases.

Both deploy scenarios come out of one pass (the dynamic check runs each application version against the other
schema in a single session), so the result is computed once per contract pair and filtered per direction.
Inline waivers (``-- cd-compat: allow <rule> <reason>`` in a migration) are applied here: a finding located at a
statement that carries a waiver for its rule is kept, marked ``waived``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from pytest_cdcompat.catalogue import by_id, rules_for
from pytest_cdcompat.core.findings import Direction, Finding
from pytest_cdcompat.core.model import Contract
from pytest_cdcompat.core.settings import Settings
from pytest_cdcompat.kinds.sql.change import SqlChange, build
from pytest_cdcompat.kinds.sql.internal import guard, jsonable

_cache: dict[str, Any] = {}

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


def run(old: Contract, new: Contract, direction: Direction, settings: Settings, seed: int) -> list[Finding]:
    key = (id(old), id(new), seed, repr(settings))
    if _cache.get("key") != key or _cache.get("pair") != (old, new):
        _cache.clear()
        _cache.update(key=key, pair=(old, new), findings=all_findings(old, new, settings, seed))
    found: list[tuple[Direction, Finding]] = _cache["findings"]
    return [f for d, f in found if d is direction]


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


def static_findings(change: SqlChange, settings: Settings) -> list[tuple[Direction, Finding]]:
    out = []
    for r in rules_for("sql", "sql", settings.only):
        for hit in r.check(change):
            rid = r.id_for("", hit.rule_id)
            assert hit.direction is not None, f"SQL rule {r.name} must set Hit.direction"
            witness = None if not hit.witness else hit.witness
            out.append(
                (
                    hit.direction,
                    Finding(rid.id, hit.severity or rid.severity, hit.where, hit.message, witness, rid.advice),
                )
            )
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


def finding(rule_id: str, location: str, message: str, counterexample: Any) -> Finding:
    """A finding of a declared id (used by the dynamic checks), with the id's severity and advice."""
    found = by_id(rule_id)
    if found is None:
        raise KeyError(rule_id)
    _, rid = found
    return Finding(rid.id, rid.severity, location, message, counterexample, rid.advice, engine="generator")


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
