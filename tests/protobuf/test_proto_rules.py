"""One fixture pair per Protobuf rule id: the breaking pair raises it exactly as its ``expected.json`` writes down
(direction, location, message fragment), with a counterexample the protobuf runtime really fails on; the safe pair
raises no error of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_cdcompat import Direction, compare
from pytest_cdcompat.catalogue import all_ids, rules_for

HERE = Path(__file__).parent / "rules"
CASES = sorted(p.name for p in HERE.iterdir() if p.is_dir())
SCOPES = ("proto-message", "proto-field", "proto-method")


def run(rule_id: str, case: str):
    d = HERE / rule_id / case
    return d, compare(d / "old.proto", d / "new.proto", kind="protobuf", only=frozenset({rule_id}), seed=7, examples=60)


def pinned(d: Path) -> dict[Direction, set[tuple[str, str, str]]]:
    """The written-down expectation: per direction, (rule id, location, message fragment) of every finding."""
    data = json.loads((d / "expected.json").read_text())
    return {dr: {(e["rule"], e["location"], e["message"]) for e in data[dr.value]} for dr in Direction}


def matches(findings, pins: set[tuple[str, str, str]]) -> bool:
    got = {(f.rule, f.location) for f in findings}
    return got == {(r, loc) for r, loc, _ in pins} and all(
        any(f.rule == r and f.location == loc and m in f.message for f in findings) for r, loc, m in pins
    )


@pytest.mark.parametrize("rule_id", CASES)
def test_breaking_pair_raises_the_rule(rule_id, replay_fails, proto_class):
    d, report = run(rule_id, "breaking")
    _, rid = all_ids()[rule_id]
    hits = {dr: [f for f in res.findings if f.rule == rule_id] for dr, res in report.directions.items()}
    pins = pinned(d)
    assert any(pins.values())
    for dr in Direction:
        assert matches(hits[dr], pins[dr]), (dr, hits[dr], pins[dr])
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
