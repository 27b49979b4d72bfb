"""The Avro engine end to end: both directions, counterexamples, determinism, downgrades and uncatalogued breaks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_cdcompat import Direction, Severity, compare
from pytest_cdcompat.catalogue import Hit, Rule

OLD = Direction.OLD_CONSUMER_NEW_PRODUCER  # new writes, old reads (Confluent FORWARD)
NEW = Direction.NEW_CONSUMER_OLD_PRODUCER  # old writes, new reads (Confluent BACKWARD)
ROOT = Path(__file__).resolve().parents[2]


def rec(fields, name="Order", **kw):
    return {"type": "record", "name": name, "namespace": "shop", "fields": fields, **kw}


def rules_of(report, direction):
    return sorted((f.rule, f.severity.value) for f in report.directions[direction].findings)


def test_identical_schemas_have_no_findings():
    files = sorted((ROOT / "tests" / "avro" / "rules").rglob("*.avsc")) + sorted((ROOT / "contracts").rglob("*.avsc"))
    assert files
    for f in files:
        report = compare(f, f, kind="avro", examples=20)
        assert all(not r.findings for r in report.directions.values()), f


def test_doc_reorder_namespace_and_aliased_field_rename(avro_pair):
    old = rec([{"name": "id", "type": "string"}, {"name": "total", "type": "long"}])
    new = rec(
        [{"name": "amount", "type": "long", "aliases": ["total"], "doc": "cents"}, {"name": "id", "type": "string"}],
        doc="an order",
    )
    report = compare(*avro_pair(old, new), kind="avro", seed=1, examples=30)
    assert rules_of(report, NEW) == []  # new readers resolve the alias
    # old readers do not know the new name: the real Avro behaviour, proven by a failing message
    assert rules_of(report, OLD) == [("avro-field-removed-without-default", "error")]
    (f,) = report.directions[OLD].findings
    assert "renamed it to 'amount'" in f.message
    assert "No default value for field total" in f.counterexample["error"]
    assert report.deploy_order == "deploy consumers first"


def test_promotions_are_one_way(avro_pair):
    old = rec([{"name": "n", "type": "int"}, {"name": "s", "type": "string"}])
    new = rec([{"name": "n", "type": "double"}, {"name": "s", "type": "bytes"}])
    report = compare(*avro_pair(old, new), kind="avro", seed=3, examples=50)
    assert rules_of(report, NEW) == []
    assert rules_of(report, OLD) == [("avro-string-changed-to-bytes", "error"), ("avro-type-widened", "error")]


def test_counterexamples_really_fail_and_name_their_own_cause(avro_pair, really_fails):
    enum = lambda syms: {"type": "enum", "name": "S", "symbols": syms}  # noqa: E731
    old = rec([{"name": "qty", "type": "int"}, {"name": "status", "type": enum(["A"])}])
    new = rec([{"name": "qty", "type": "long"}, {"name": "status", "type": enum(["A", "B"])}])
    o, n = avro_pair(old, new)
    report = compare(o, n, kind="avro", seed=5, examples=50)
    by_rule = {f.rule: f for f in report.directions[OLD].findings}
    enum = by_rule["avro-enum-symbol-added"].counterexample
    assert enum["message"]["status"] == "B"
    assert "B not found" in enum["error"]  # the isolated cause
    assert "long is not int" in enum["error_with_all_changes"]  # what the real old reader hits first
    for f in report.directions[OLD].findings:
        assert really_fails(f.counterexample["message"], n, o)


def test_union_branch_steering_reaches_the_branch(avro_pair, really_fails):
    old = rec([{"name": "v", "type": ["null", {"type": "array", "items": ["int", "string"]}]}])
    new = rec([{"name": "v", "type": ["null", {"type": "array", "items": "int"}]}])
    o, n = avro_pair(old, new)
    report = compare(o, n, kind="avro", seed=11, examples=50)
    (f,) = report.directions[NEW].findings
    assert f.rule == "avro-union-branch-removed"
    assert f.counterexample["message"] == {"v": {"array": [{"string": ""}]}}
    assert really_fails(f.counterexample["message"], o, n)
    assert rules_of(report, OLD) == []


def test_recursive_schema(avro_pair):
    node = lambda extra: rec(  # noqa: E731
        [{"name": "value", "type": "int"}, {"name": "next", "type": ["null", "Node"], "default": None}, *extra],
        name="Node",
    )
    o, n = avro_pair(node([]), node([{"name": "tag", "type": "string"}]))
    report = compare(o, n, kind="avro", seed=2, examples=30)
    assert rules_of(report, NEW) == [("avro-field-added-without-default", "error")]
    assert rules_of(report, OLD) == []


def test_same_seed_same_report_and_examples_zero_is_static(avro_pair):
    o, n = avro_pair(rec([{"name": "a", "type": "int"}]), rec([{"name": "a", "type": "string"}]))
    seeded = compare(o, n, kind="avro", seed=9, examples=40)  # the same inputs and seed give these, byte for byte
    assert [f.counterexample for f in seeded.directions[OLD].findings] == [
        {"message": {"a": ""}, "error": "SchemaResolutionError: Schema mismatch: string is not int"}
    ]
    assert [f.counterexample for f in seeded.directions[NEW].findings] == [
        {"message": {"a": 0}, "error": "SchemaResolutionError: Schema mismatch: int is not string"}
    ]
    static = compare(o, n, kind="avro", seed=9, examples=0)
    assert [f.counterexample for r in static.directions.values() for f in r.findings] == [None, None]
    assert not static.compatible


def test_enum_default_turns_an_added_symbol_into_a_warning(avro_pair):
    enum = lambda syms: {"type": "enum", "name": "S", "symbols": syms, "default": "A"}  # noqa: E731
    o, n = avro_pair(rec([{"name": "s", "type": enum(["A"])}]), rec([{"name": "s", "type": enum(["A", "B"])}]))
    report = compare(o, n, kind="avro", seed=1, examples=20)
    assert rules_of(report, OLD) == [("avro-enum-symbol-added", "warning")]
    assert report.compatible


def test_an_undemonstrated_error_is_downgraded(avro_pair, monkeypatch):
    def overstated(pair):
        if pair.writer.kind == "int":
            yield Hit(pair.location, "int is suspicious")

    fake = Rule(
        name="fake",
        scope="avro",
        category="type",
        kinds=frozenset({"avro"}),
        check=overstated,
        old_writes=None,
        new_writes=None,
    )
    from pytest_cdcompat.catalogue.base import RuleId

    rid = RuleId("avro-fake-rule", Severity.ERROR, "fake", "none")
    fake = Rule(**{**{k: getattr(fake, k) for k in fake.__dataclass_fields__}, "old_writes": rid, "new_writes": rid})
    monkeypatch.setattr("pytest_cdcompat.catalogue.rules_for", lambda *a, **k: [fake])
    o, n = avro_pair(rec([{"name": "a", "type": "int"}]), rec([{"name": "a", "type": "int", "doc": "x"}]))
    report = compare(o, n, kind="avro", seed=1, examples=15)
    (f,) = report.directions[OLD].findings
    assert f.severity is Severity.WARNING and "not demonstrated" in f.message
    assert report.compatible


def test_a_break_no_rule_explains_is_uncatalogued(avro_pair, monkeypatch, really_fails):
    monkeypatch.setattr("pytest_cdcompat.catalogue.rules_for", lambda *a, **k: [])
    o, n = avro_pair(rec([{"name": "a", "type": "int"}]), rec([{"name": "a", "type": "string"}]))
    report = compare(o, n, kind="avro", seed=1, examples=30)
    for direction, (writer, reader) in ((OLD, (n, o)), (NEW, (o, n))):
        (f,) = report.directions[direction].findings
        assert f.rule == "uncatalogued-break" and f.severity is Severity.ERROR
        assert really_fails(f.counterexample["message"], writer, reader)


@pytest.mark.parametrize("width", [500])
def test_large_schema_pair_reports_only_its_change(avro_pair, width):
    fields = [{"name": f"f{i}", "type": ["null", "int", "string"][i % 3]} for i in range(width)]
    changed = [dict(f) for f in fields]
    changed[width // 2] = {"name": changed[width // 2]["name"], "type": "boolean"}
    o, n = avro_pair(rec(fields), rec([*changed, {"name": "extra", "type": "long", "default": 0}]))
    report = compare(o, n, kind="avro", seed=1)  # its time is measured in benchmarks/, not asserted here
    assert rules_of(report, OLD) == [("avro-type-changed", "error")]
    assert rules_of(report, NEW) == [("avro-type-changed", "error")]
    assert json.dumps(report.to_json())
