"""One fixture pair per Protobuf rule id: the breaking pair raises it in the direction(s) its orientation names,
with a counterexample the protobuf runtime really fails on; the safe pair raises no error of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_cdcompat import Direction, compare
from pytest_cdcompat.catalogue import all_ids, rules_for
from pytest_cdcompat.core.directions import direction_for
from pytest_cdcompat.core.model import Party

HERE = Path(__file__).parent / "rules"
CASES = sorted(p.name for p in HERE.iterdir() if p.is_dir())
SCOPES = ("proto-message", "proto-field", "proto-method")


def run(rule_id: str, case: str):
    d = HERE / rule_id / case
    return d, compare(d / "old.proto", d / "new.proto", kind="protobuf", only=frozenset({rule_id}), seed=7, examples=60)


def allowed_directions(rule_id: str) -> set[Direction]:
    rule, _ = all_ids()[rule_id]
    if rule.scope == "proto-method":
        return set(Direction)  # requests and responses flow in opposite directions
    out = set()
    if rule.old_writes is not None and rule.old_writes.id == rule_id:
        out.add(direction_for("old", Party.PRODUCER))
    if rule.new_writes is not None and rule.new_writes.id == rule_id:
        out.add(direction_for("new", Party.PRODUCER))
    return out


@pytest.mark.parametrize("rule_id", CASES)
def test_breaking_pair_raises_the_rule(rule_id, replay_fails, proto_class):
    d, report = run(rule_id, "breaking")
    _, rid = all_ids()[rule_id]
    hits = {dr: [f for f in res.findings if f.rule == rule_id] for dr, res in report.directions.items()}
    where = {dr for dr, fs in hits.items() if fs}
    assert where and where <= allowed_directions(rule_id), (where, report.dumps())
    for direction, findings in hits.items():
        writer = "new" if direction is Direction.OLD_CONSUMER_NEW_PRODUCER else "old"
        reader = "old" if writer == "new" else "new"
        for f in findings:
            assert f.severity is rid.severity, f
            assert f.advice == rid.advice
            if f.severity.value != "error":
                continue
            ce = f.counterexample
            assert ce is not None and ce["error"], f
            if "encoding" in ce and "rpc" not in rule_id:
                assert f.location.startswith("/messages/")
                w = proto_class(d / f"{writer}.proto", f.location.split("/")[2])
                r = proto_class(d / f"{reader}.proto", w.DESCRIPTOR.full_name)
                assert replay_fails(ce, w, r), ce


@pytest.mark.parametrize("rule_id", CASES)
def test_safe_pair_raises_no_error(rule_id):
    _, report = run(rule_id, "safe")
    for res in report.directions.values():
        assert not [f for f in res.findings if f.rule == rule_id and f.severity.value == "error"], report.dumps()


def test_every_protobuf_rule_id_has_fixtures():
    ids = {rid.id for s in SCOPES for r in rules_for(s, "protobuf") for rid in r.all_ids()}
    assert ids == set(CASES)
    for rule_id in CASES:
        for case in ("breaking", "safe"):
            assert (HERE / rule_id / case / "old.proto").is_file()
            assert (HERE / rule_id / case / "new.proto").is_file()
