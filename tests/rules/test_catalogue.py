"""Audit of the rule catalogue itself (as oasdiff's ``rule_symmetry_test`` audits its checker registry).

The catalogue is only useful when every id is well formed, documented, tested and published: each id is kebab-case
and declared by exactly one rule, has a summary and advice; each JSON Schema/OpenAPI id has a breaking and a safe
fixture pair under ``tests/rules/schema/<id>/`` and every fixture directory names a registered id; ids of other kinds
have a directory under ``tests/<kind>/rules/<id>`` when that kind keeps such directories; ``docs/rules.md`` is the
generator's output. An intended gap is a ``WAIVERS`` entry with a written reason, and a waiver that no longer covers
a gap fails too, so the list cannot rot.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from pytest_cdcompat.core.findings import Direction
from pytest_cdcompat.catalogue import REGISTRY, load_all
from pytest_cdcompat.catalogue.__main__ import render
from pytest_cdcompat.catalogue.base import ID_PATTERN, RuleId

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
SCHEMA_FIXTURES = TESTS / "rules" / "schema"
SCHEMA_KINDS = {"openapi", "jsonschema"}
OTHER_KINDS = ("asyncapi", "avro", "protobuf", "sql")

# id -> why it has no fixture directory where the audit expects one
WAIVERS: dict[str, str] = {
    "uncatalogued-break": "not a check: the engines report it when the generator finds a break no rule explains, "
    "so a fixture that triggers it would be a catalogue bug (tests/generate covers the search)",
    "contract-removed": "fires on a deleted contract file, which a compare(old, new) pair cannot express; the "
    "discovery front end tests it (tests/frontends/test_cli.py, test_plugin.py)",
    "migration-removed": "needs a git base holding the released migration (tests/sql/test_rules.py says where)",
}


def _dynamic_sql_waivers() -> dict[str, str]:
    """Ids raised only by the SQL check on live databases: tests/sql/test_dynamic.py covers them, not a fixture."""
    import pytest_cdcompat.kinds.sql.sql_engine as sql_engine

    ids = getattr(sql_engine, "DYNAMIC_IDS", frozenset())
    return {i: "raised by the dynamic SQL check on throwaway databases (tests/sql/test_dynamic.py)" for i in ids}


WAIVERS.update(_dynamic_sql_waivers())


def _live_waivers() -> dict[str, str]:
    """Ids raised only against running services or Pact files: tests/live and tests/pact cover them."""
    from pytest_cdcompat.live.live_rules import LIVE_IDS

    from pytest_cdcompat.pact.pact_rules import PACT_IDS

    out = {i: "raised by the live check against running servers (tests/live/test_live_engine.py)" for i in LIVE_IDS}
    out.update({i: "raised by the Pact check of consumer interactions (tests/pact/test_pact_check.py)" for i in PACT_IDS})
    return out


WAIVERS.update(_live_waivers())

# rules whose writer orientation is fixed by nature, so they declare plain ids instead of a mirrored pair
UNMIRRORED = {"contract_removed", "uncatalogued_break"}


def _ids() -> dict[str, list[tuple[str, RuleId]]]:
    """Every published id with the rules that declare it."""
    load_all()
    out: dict[str, list[tuple[str, RuleId]]] = {}
    for r in REGISTRY.values():
        for rid in r.all_ids():
            out.setdefault(rid.id, []).append((r.name, rid))
    return out


def _kinds(rule_id: str) -> frozenset[str]:
    load_all()
    kinds: set[str] = set()
    for r in REGISTRY.values():
        if any(rid.id == rule_id for rid in r.all_ids()):
            kinds |= r.kinds
    return frozenset(kinds)


def _changelog_ids() -> set[str]:
    """Info ids of the changelog (scope ``changelog``): they name changes that break nothing, so they have no
    breaking fixture; tests/outputs/test_changelog.py tests them per kind (and the sunset ids, which rewrite other
    rules' removals, in tests/outputs/test_sunset.py)."""
    load_all()
    return {rid.id for r in REGISTRY.values() if r.scope in ("changelog", "sunset") for rid in r.all_ids()}


def _schema_ids() -> set[str]:
    return {i for i in _ids() if _kinds(i) & SCHEMA_KINDS and i not in WAIVERS and i not in _changelog_ids()}


def test_catalogue_is_not_empty() -> None:
    assert len(_ids()) > 50


@pytest.mark.parametrize("rule_id", sorted(_ids()))
def test_id_is_kebab_case_unique_and_documented(rule_id: str) -> None:
    declared = _ids()[rule_id]
    assert ID_PATTERN.match(rule_id), f"{rule_id!r} is not kebab-case"
    assert len({name for name, _ in declared}) == 1, f"{rule_id} is declared by {[n for n, _ in declared]}"
    for _, rid in declared:
        assert rid.summary.strip(), f"{rule_id} has no summary"
        assert rid.advice.strip(), f"{rule_id} has no advice"
        assert rid.summary.strip().endswith("."), f"{rule_id}: the summary is one sentence ending in a period"


@pytest.mark.parametrize("name", sorted(n for n, r in load_all().items() if r.kinds & SCHEMA_KINDS))
def test_rule_is_mirrored_or_fixed(name: str) -> None:
    """A writer-vs-reader schema rule names both orientations (oasdiff's symmetry): the change seen from either side.

    Kinds with their own engines (Avro, Protobuf, SQL) may name one orientation only: their resolution rules are
    not symmetric (a removed field without reservation is a hazard only one way).
    """
    r = REGISTRY[name]
    if r.ids and r.old_writes is None and r.new_writes is None:
        return  # orientation fixed by nature (SQL statements, contract files, the generator's fallback)
    assert name not in UNMIRRORED
    assert r.old_writes is not None and r.new_writes is not None, f"rule {name} lacks a mirror id"
    module = sys.modules[r.check.__module__]
    assert r.doc or (module.__doc__ or "").strip(), f"rule {name} has no docstring saying who breaks and when"


@pytest.mark.parametrize("rule_id", sorted(_schema_ids()))
def test_schema_id_has_breaking_and_safe_fixtures(rule_id: str) -> None:
    case = SCHEMA_FIXTURES / rule_id
    for which in ("breaking", "safe"):
        stems = {p.stem for p in (case / which).glob("*") if p.suffix in (".json", ".yaml", ".yml")}
        assert {"old", "new"} <= stems, f"tests/rules/schema/{rule_id}/{which} needs old.* and new.*"
    _check_expected(rule_id, case / "breaking")


def _check_expected(rule_id: str, case: Path) -> None:
    expected = json.loads((case / "expected.json").read_text())
    directions = {d.value for d in Direction}
    assert set(expected) <= directions | {"severity", "no_counterexample", "xfail", "locations", "messages"}, expected
    firing = {d for d in directions if expected.get(d)}
    if not expected.get("xfail"):  # every firing direction pins locations and message fragments
        assert set(expected.get("locations", {})) == firing, expected
        assert set(expected.get("messages", {})) == firing, expected
    assert any(expected.get(d) for d in directions), f"{rule_id}/{case.name} must break some direction"
    _, rid = _ids()[rule_id][0]
    assert expected.get("severity", "error") == rid.severity.value, (
        f"{rule_id}: expected.json says {expected.get('severity', 'error')}, the rule declares "
        f"{rid.severity.value}"
    )


def test_every_schema_fixture_dir_names_a_schema_id() -> None:
    ids = _ids()
    for case in sorted(p for p in SCHEMA_FIXTURES.iterdir() if p.is_dir()):
        assert case.name in ids, f"tests/rules/schema/{case.name} names no registered rule id"
        assert _kinds(case.name) & SCHEMA_KINDS, f"{case.name} is not an OpenAPI/JSON Schema rule"
        assert case.name not in WAIVERS, f"{case.name} has fixtures: drop its waiver"
        extra = {p.name for p in case.iterdir() if p.name.split("-", 1)[0] not in ("breaking", "safe")}
        assert not extra, f"tests/rules/schema/{case.name} holds unexpected entries {sorted(extra)}"
        for sub in case.iterdir():
            if sub.name.startswith("breaking"):
                _check_expected(case.name, sub)


@pytest.mark.parametrize("kind", [k for k in OTHER_KINDS if (TESTS / k / "rules").is_dir()])
def test_other_kinds_have_fixture_dirs_when_they_keep_them(kind: str) -> None:
    root = TESTS / kind / "rules"
    ids = _ids()
    mine = {i for i in ids if kind in _kinds(i) and not _kinds(i) & SCHEMA_KINDS}
    dirs = {p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))}
    missing = sorted(mine - dirs - set(WAIVERS))
    assert not missing, f"{kind} ids without tests/{kind}/rules/<id>: {missing} (add a fixture or a waiver)"
    unknown = sorted(d for d in dirs if d not in ids)
    assert not unknown, f"tests/{kind}/rules holds directories naming no rule id: {unknown}"


def test_waivers_are_current() -> None:
    ids = _ids()
    for rule_id, reason in WAIVERS.items():
        assert rule_id in ids, f"waiver for unknown id {rule_id!r}"
        assert len(reason) > 20, f"waiver for {rule_id} needs a reason"
        assert not (SCHEMA_FIXTURES / rule_id).exists(), f"{rule_id} has schema fixtures: drop its waiver"


def test_docs_catalogue_is_generated() -> None:
    doc = REPO / "docs" / "rules.md"
    assert doc.exists(), "docs/rules.md is missing: python -m pytest_cdcompat.catalogue > docs/rules.md"
    assert doc.read_text() == render(), "docs/rules.md is stale: python -m pytest_cdcompat.catalogue > docs/rules.md"
