"""One fixture pair per Avro rule id: the breaking pair raises it (in the right direction, with a counterexample
fastavro really fails to decode), the safe pair does not. Each runs with only that rule enabled."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_cdcompat import Direction, compare
from pytest_cdcompat.catalogue import all_ids, rules_for
from pytest_cdcompat.core.directions import direction_for
from pytest_cdcompat.core.model import Party

HERE = Path(__file__).parent / "rules"
CASES = sorted(p.name for p in HERE.iterdir() if p.is_dir())


def run(rule_id: str, case: str):
    d = HERE / rule_id / case
    return d, compare(d / "old.avsc", d / "new.avsc", kind="avro", only=frozenset({rule_id}), seed=7, examples=60)


def expected_directions(rule_id: str) -> set[Direction]:
    rule, _ = all_ids()[rule_id]
    out = set()
    if rule.old_writes is not None and rule.old_writes.id == rule_id:
        out.add(direction_for("old", Party.PRODUCER))
    if rule.new_writes is not None and rule.new_writes.id == rule_id:
        out.add(direction_for("new", Party.PRODUCER))
    return out


@pytest.mark.parametrize("rule_id", CASES)
def test_breaking_pair_raises_the_rule(rule_id, really_fails):
    d, report = run(rule_id, "breaking")
    _, rid = all_ids()[rule_id]
    hits = {dr: [f for f in res.findings if f.rule == rule_id] for dr, res in report.directions.items()}
    assert {dr for dr, fs in hits.items() if fs} == expected_directions(rule_id)
    for direction, findings in hits.items():
        writer = "new" if direction is Direction.OLD_CONSUMER_NEW_PRODUCER else "old"
        reader = "old" if writer == "new" else "new"
        for f in findings:
            assert f.severity is rid.severity
            assert f.advice == rid.advice
            assert f.location.startswith("/") or f.location == ""
            if f.severity.value == "error":
                assert f.counterexample is not None, f
                assert really_fails(f.counterexample["message"], d / f"{writer}.avsc", d / f"{reader}.avsc")


@pytest.mark.parametrize("rule_id", CASES)
def test_safe_pair_does_not_fail(rule_id):
    _, report = run(rule_id, "safe")
    for res in report.directions.values():
        assert not [f for f in res.findings if f.rule == rule_id and f.severity.value == "error"]


def test_every_avro_rule_id_has_fixtures():
    ids = {rid.id for r in rules_for("avro", "avro") for rid in r.all_ids()}
    assert ids == set(CASES)
    for rule_id in CASES:
        for case in ("breaking", "safe"):
            assert (HERE / rule_id / case / "old.avsc").is_file()
            assert (HERE / rule_id / case / "new.avsc").is_file()
