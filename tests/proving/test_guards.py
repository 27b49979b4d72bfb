"""The promise, guarded per kind: a finding whose counterexample the reader accepts (or the writer does not produce)
is never an error, whatever a rule claims; and every kind reports a one-way break in the right deploy direction, so
swapping writer and reader anywhere fails here.

A lying rule is fed to the real engine (the catalogue's ``rules_for`` returns the real rules plus the liar); the
liar claims an error at every place it is shown, on a pair where nothing breaks (or with a witness the writer does
not send). The proof loop must downgrade every one of those claims.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pytest_cdcompat import Direction, compare
from pytest_cdcompat import catalogue as catalogue_module
from pytest_cdcompat.catalogue import Hit, Rule, RuleId
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.proving.loop import CatalogueError, Loop, resolve, shown

OLD = Direction.OLD_CONSUMER_NEW_PRODUCER
NEW = Direction.NEW_CONSUMER_OLD_PRODUCER
TESTS = Path(__file__).resolve().parents[1]
LIE = "lying-rule-claims"


def liar(scope: str, kind: str, check: Any) -> Rule:
    rid = RuleId(LIE, Severity.ERROR, "a rule that claims breaks that are not there", "none")
    return Rule(name="liar", scope=scope, category="values", kinds=frozenset({kind}), check=check,
                old_writes=rid, new_writes=rid)  # fmt: skip


def feed(monkeypatch: pytest.MonkeyPatch, lying: Rule) -> None:
    real = catalogue_module.rules_for

    def rules_for(scope: str, kind: str, only: Any = None) -> list[Rule]:
        out = real(scope, kind, only)
        return [*out, lying] if scope == lying.scope and kind in lying.kinds else out

    monkeypatch.setattr(catalogue_module, "rules_for", rules_for)


def lies(report: Any) -> dict[Direction, list[Any]]:
    return {d: [f for f in r.findings if f.rule == LIE] for d, r in report.directions.items()}


def assert_downgraded(report: Any, calls: list[Any]) -> None:
    assert calls, "the lying rule was never run: the pair does not exercise the loop"
    found = lies(report)
    assert any(found.values())
    for findings in found.values():
        for f in findings:
            assert f.severity is Severity.WARNING, f
            assert f.counterexample is None
            assert "not demonstrated" in f.message


# --- JSON Schema / OpenAPI: jsonschema is the witness check ---------------------------------------------------------


def test_schema_lying_rule_is_downgraded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []

    def claims(pair: Any) -> Any:  # every node pair "breaks"; the minimal value the engine embeds reads fine
        calls.append(pair)
        yield Hit("", "the reader rejects this (it does not)")

    feed(monkeypatch, liar("schema", "jsonschema", claims))
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    # an unknown format is not asserted: the schemas differ (so they are walked) and accept the same values
    old.write_text(json.dumps({"type": "object", "properties": {"id": {"type": "string", "format": "x-a"}}}))
    new.write_text(json.dumps({"type": "object", "properties": {"id": {"type": "string", "format": "x-b"}}}))
    report = compare(old, new, kind="jsonschema", seed=3, examples=20)
    assert_downgraded(report, calls)


def test_schema_witness_the_writer_does_not_send_is_not_a_proof(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Any] = []

    def claims(pair: Any) -> Any:  # a witness both versions reject: the reader rejects it, but nobody sends it
        calls.append(pair)
        if "string" in (pair.writer.get("type") or []):
            yield Hit("", "an integer breaks the reader (the writer never sends one)", witness=12345)

    feed(monkeypatch, liar("schema", "jsonschema", claims))
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps({"type": "object", "properties": {"id": {"type": "string", "format": "x-a"}}}))
    new.write_text(json.dumps({"type": "object", "properties": {"id": {"type": "string", "format": "x-b"}}}))
    report = compare(old, new, kind="jsonschema", seed=3, examples=20)
    assert_downgraded(report, calls)


def test_schema_every_counterexample_is_sent_by_the_writer_and_rejected_by_the_reader() -> None:
    import jsonschema

    checked = 0
    for old in sorted((TESTS / "rules" / "schema").glob("*/breaking*/old.json")):
        new = old.with_name("new.json")
        report = compare(old, new, kind="jsonschema", seed=1, examples=20)
        raw = {"old": json.loads(old.read_text()), "new": json.loads(new.read_text())}
        for direction, result in report.directions.items():
            writer, reader = ("new", "old") if direction is OLD else ("old", "new")
            for f in result.findings:
                if f.counterexample is None:
                    continue
                checker = jsonschema.FormatChecker()
                assert jsonschema.Draft202012Validator(raw[writer], format_checker=checker).is_valid(
                    f.counterexample
                ), (
                    old,
                    f,
                )
                assert not jsonschema.Draft202012Validator(raw[reader], format_checker=checker).is_valid(
                    f.counterexample
                ), (old, f)
                checked += 1
    assert checked > 50


# --- Avro: a fastavro round trip is the witness check ---------------------------------------------------------------


def _avro(tmp_path: Path, old: Any, new: Any) -> tuple[Path, Path]:
    o, n = tmp_path / "old.avsc", tmp_path / "new.avsc"
    o.write_text(json.dumps(old))
    n.write_text(json.dumps(new))
    return o, n


def test_avro_lying_rule_is_downgraded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []

    def claims(pair: Any) -> Any:
        calls.append(pair)
        yield Hit(pair.location, "the reader cannot decode this (it can)")

    feed(monkeypatch, liar("avro", "avro", claims))
    rec = {"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]}
    documented = {**rec, "doc": "only the documentation changed"}
    report = compare(*_avro(tmp_path, rec, documented), kind="avro", seed=3, examples=20)
    assert_downgraded(report, calls)


def test_avro_every_counterexample_is_written_and_fails_to_decode(tmp_path: Path) -> None:
    from tests.avro.conftest import _really_fails

    old = {"type": "record", "name": "R", "fields": [{"name": "a", "type": "long"}]}
    new = {"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]}
    o, n = _avro(tmp_path, old, new)
    report = compare(o, n, kind="avro", seed=3, examples=30)
    errors = [(d, f) for d, r in report.directions.items() for f in r.findings if f.severity is Severity.ERROR]
    assert [(d, f.rule) for d, f in errors] == [(NEW, "avro-type-narrowed")]
    for _, f in errors:
        assert _really_fails(f.counterexample["message"], o, n)  # the old schema writes it, the new fails on it


# --- Protobuf: a protobuf runtime round trip is the witness check ---------------------------------------------------


def test_protobuf_lying_rule_is_downgraded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []

    def claims(pair: Any) -> Any:
        calls.append(pair)
        yield Hit(pair.location, "the reader reads this field differently (it does not)")

    feed(monkeypatch, liar("proto-field", "protobuf", claims))
    o, n = tmp_path / "old.proto", tmp_path / "new.proto"
    o.write_text('syntax = "proto3";\nmessage M { int64 v = 1; string s = 2; }\n')
    n.write_text('syntax = "proto3";\n// only a comment changed\nmessage M { int64 v = 1; string s = 2; }\n')
    report = compare(o, n, kind="protobuf", seed=3, examples=20)
    assert_downgraded(report, calls)


# --- AsyncAPI: the declared messages are the witness check for existence and format ---------------------------------


def test_asyncapi_lying_rule_is_downgraded(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []

    def claims(pair: Any) -> Any:  # "the writer never sends it", about a message both versions declare
        calls.append(pair)
        if pair.writer is not None and pair.reader is not None:
            name = pair.key.partition(":")[2]
            yield Hit(pair.reader.location, "a message nobody sends (it is sent)",
                      witness={"channel": pair.channel, "message": name, "error": "never written"})  # fmt: skip

    feed(monkeypatch, liar("asyncapi-message", "asyncapi", claims))
    d = TESTS / "asyncapi" / "rules" / "asyncapi-message-removed" / "safe"
    report = compare(d / "old.yaml", d / "new.yaml", kind="asyncapi", seed=3, examples=10)
    assert_downgraded(report, calls)


# --- every kind: a missing id is an error, and a proof needs a catalogued id ---------------------------------------


def test_a_hit_for_an_id_the_rule_does_not_declare_is_a_catalogue_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def claims(pair: Any) -> Any:
        yield Hit(pair.location, "an id nobody declared", rule_id="no-such-rule-id")

    feed(monkeypatch, liar("avro", "avro", claims))
    rec = {"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]}
    with pytest.raises(CatalogueError, match="no-such-rule-id"):
        compare(*_avro(tmp_path, rec, rec), kind="avro", seed=3, examples=0)


def test_findings_of_a_witness_check_need_a_catalogued_id() -> None:
    with pytest.raises(CatalogueError, match="no-such-rule-id"):
        resolve("no-such-rule-id")
    with pytest.raises(CatalogueError):
        shown("no-such-rule-id", "t.c", "m", None)
    f = shown("insert-rejected", "users.age", "the INSERT fails", {"sql": "INSERT"})
    assert (f.rule, f.severity, f.engine) == ("insert-rejected", Severity.ERROR, "generator")


def test_the_loop_never_reports_a_counterexample_its_witness_check_refuses() -> None:
    from pytest_cdcompat.core.settings import Settings

    class Refuses:
        def wanted(self, claim: Any, severity: Severity) -> bool:
            return True

        def candidate(self, claim: Any) -> Any:
            return {"value": 1}

        def demonstrates(self, claim: Any, candidate: Any) -> bool:
            return False

        def show(self, claim: Any, candidate: Any) -> Any:
            raise AssertionError("a refused candidate must not be shown")

        def not_demonstrated(self, claim: Any) -> str:
            return " (not shown)"

    rule = liar("x", "avro", lambda pair: iter([Hit("/a", "claim")]))
    for examples, severity in ((10, Severity.WARNING), (0, Severity.ERROR)):
        loop: Loop[Any] = Loop(Settings(examples=examples), Refuses())
        (f,) = loop.check([rule], None, "new", lambda hit: hit.where)
        assert (f.severity, f.counterexample) == (severity, None)
        assert f.message == ("claim (not shown)" if examples else "claim")


# --- directions: writer and reader swapped anywhere moves these findings --------------------------------------------

DIRECTIONAL = [
    # (fixture, kind, rule id, the one direction it breaks in)
    ("rules/schema/enum-value-added/breaking", "jsonschema", "enum-value-added", OLD),
    ("rules/schema/enum-value-removed/breaking", "jsonschema", "enum-value-removed", NEW),
    ("rules/schema/parameter-became-required/breaking", "openapi", "parameter-became-required", OLD),
    ("avro/rules/avro-field-added-without-default/breaking", "avro", "avro-field-added-without-default", NEW),
    ("avro/rules/avro-enum-symbol-added/breaking", "avro", "avro-enum-symbol-added", OLD),
    ("protobuf/rules/proto-message-removed/breaking", "protobuf", "proto-message-removed", NEW),
    ("protobuf/rules/proto-rpc-removed/breaking", "protobuf", "proto-rpc-removed", OLD),
    ("asyncapi/rules/asyncapi-message-removed/breaking", "asyncapi", "asyncapi-message-removed", OLD),
    # a new receive operation: the new application (the producer side) waits for a message its old peers do not send
    ("asyncapi/rules/asyncapi-message-added/breaking", "asyncapi", "asyncapi-message-added", OLD),
    ("sql/rules/column-dropped/breaking", "sql", "column-dropped", OLD),
    ("sql/rules/not-null-column-added-without-default/breaking", "sql", "not-null-column-added-without-default", OLD),
]


def _pair(d: Path) -> tuple[Path, Path]:
    if (d / "old").is_dir():
        return d / "old", d / "new"
    (old,) = [p for p in d.iterdir() if p.name.startswith("old.")]
    return old, old.with_name("new" + old.suffix)


@pytest.mark.parametrize(("fixture", "kind", "rule_id", "direction"), DIRECTIONAL, ids=[c[2] for c in DIRECTIONAL])
def test_one_way_break_is_in_its_direction(fixture: str, kind: str, rule_id: str, direction: Direction) -> None:
    old, new = _pair(TESTS / fixture)
    report = compare(old, new, kind=kind, seed=1, examples=0, only=frozenset({rule_id}))
    where = {d for d, r in report.directions.items() if any(f.rule == rule_id for f in r.findings)}
    assert where == {direction}


def test_an_uncatalogued_break_is_reported_with_the_catalogue_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.avro.conftest import _really_fails

    monkeypatch.setattr(catalogue_module, "rules_for", lambda *a, **k: [])  # no rule explains anything
    old = {"type": "record", "name": "R", "fields": [{"name": "a", "type": "long"}]}
    new = {"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]}
    o, n = _avro(tmp_path, old, new)
    report = compare(o, n, kind="avro", seed=3, examples=30)
    assert report.directions[OLD].findings == ()
    (f,) = report.directions[NEW].findings
    entry = resolve("uncatalogued-break")
    assert (f.rule, f.severity, f.location, f.engine) == ("uncatalogued-break", Severity.ERROR, "", "generator")
    assert f.advice == entry.advice and f.advice
    assert f.message.startswith("a message written with the old schema fails to decode with the other version's")
    assert _really_fails(f.counterexample["message"], o, n)


# --- the loop's own contract: ids, findings, and the claim each witness call is about ------------------------------


def test_a_rule_without_the_id_asked_for_is_a_catalogue_error_naming_it() -> None:
    from pytest_cdcompat.proving.loop import rule_id

    rid = RuleId("only-new-writes", Severity.ERROR, "a rule with one direction", "none")
    one_way = Rule(name="one-way", scope="x", category="values", kinds=frozenset({"avro"}), check=lambda pair: iter(()),
                   new_writes=rid)  # fmt: skip
    assert rule_id(one_way, "new", None) is rid
    with pytest.raises(CatalogueError) as err:
        rule_id(one_way, "old", None)
    assert str(err.value) == "rule one-way: rule one-way declares no id for the old writer"
    with pytest.raises(CatalogueError) as err:
        rule_id(one_way, "new", "other-id")
    assert str(err.value) == "rule one-way: rule one-way declares no id 'other-id'"


def test_a_finding_of_a_witness_check_keeps_every_field_it_was_given() -> None:
    from pytest_cdcompat.core.findings import Finding

    entry = resolve("insert-rejected")
    f = shown("insert-rejected", "users.age", "the INSERT fails", {"sql": "INSERT"})
    assert f == Finding("insert-rejected", Severity.ERROR, "users.age", "the INSERT fails", {"sql": "INSERT"},
                        entry.advice, engine="generator")  # fmt: skip
    assert entry.advice


class Recording:
    """A witness that records which claim each call was about; ``proves`` decides whether its candidate shows."""

    def __init__(self, proves: bool) -> None:
        self.proves = proves
        self.calls: list[tuple[str, Any]] = []

    def wanted(self, claim: Any, severity: Severity) -> bool:
        self.calls.append(("wanted", claim))
        return True

    def candidate(self, claim: Any) -> Any:
        self.calls.append(("candidate", claim))
        return "value"

    def demonstrates(self, claim: Any, candidate: Any) -> bool:
        self.calls.append(("demonstrates", claim))
        return self.proves

    def show(self, claim: Any, candidate: Any) -> Any:
        self.calls.append(("show", claim))
        return {"shown": candidate}

    def not_demonstrated(self, claim: Any) -> str:
        self.calls.append(("not_demonstrated", claim))
        return f" (not demonstrated at {claim.location})"


def test_every_witness_call_is_about_the_claim_being_judged() -> None:
    from pytest_cdcompat.core.settings import Settings

    rule = liar("x", "avro", lambda pair: iter([Hit("/a", "claim")]))
    pair = object()
    for proves, writer, calls in (
        (True, "old", ["wanted", "candidate", "demonstrates", "show"]),
        (False, "new", ["wanted", "candidate", "demonstrates", "not_demonstrated"]),
    ):
        witness = Recording(proves)
        loop: Loop[Any] = Loop(Settings(examples=5), witness)
        (f,) = loop.check([rule], pair, writer, lambda hit: "/root" + hit.where)
        assert [name for name, _ in witness.calls] == calls
        for _, claim in witness.calls:
            assert (claim.rule, claim.rid.id, claim.hit, claim.pair, claim.writer, claim.location) == (
                rule, LIE, Hit("/a", "claim"), pair, writer, "/root/a"
            )  # fmt: skip
        if proves:
            assert (f.severity, f.message, f.counterexample) == (Severity.ERROR, "claim", {"shown": "value"})
        else:
            assert (f.severity, f.message, f.counterexample) == (
                Severity.WARNING, "claim (not demonstrated at /root/a)", None
            )  # fmt: skip
    # a claim made by hand (the kinds that walk their pairs themselves) names the writer it was made for
    claim = Loop(Settings(examples=5), Recording(True)).claim(rule, Hit("/b", "m"), pair, "old", "/root/b")
    assert (claim.rule, claim.rid.id, claim.pair, claim.writer, claim.location) == (rule, LIE, pair, "old", "/root/b")


def test_one_generated_example_is_enough_to_downgrade_an_unshown_error() -> None:
    from pytest_cdcompat.core.settings import Settings

    rule = liar("x", "avro", lambda pair: iter([Hit("/a", "claim")]))
    for examples, severity in ((1, Severity.WARNING), (0, Severity.ERROR)):
        (f,) = Loop(Settings(examples=examples), Recording(False)).check([rule], None, "new", lambda hit: hit.where)
        assert f.severity is severity, examples


def test_the_search_for_uncatalogued_breaks_runs_when_generating_wanted_and_no_error_is_proved() -> None:
    from pytest_cdcompat.core.findings import Finding
    from pytest_cdcompat.core.settings import Settings
    from pytest_cdcompat.proving.loop import UNCATALOGUED

    def wants(findings: tuple[Finding, ...] = (), **settings: Any) -> bool:
        return Loop(Settings(**settings), Recording(True)).wants_search(findings)

    assert wants(examples=1) is True
    assert wants(examples=0) is False
    assert wants(examples=1, only=frozenset({UNCATALOGUED})) is True
    assert wants(examples=1, only=frozenset({"avro-type-narrowed"})) is False
    assert wants(examples=1, only=frozenset({"avro-type-narrowed", UNCATALOGUED})) is True
    warning = Finding("x", Severity.WARNING, "/a", "m")
    assert wants((warning,), examples=1) is True
    assert wants((warning, Finding("x", Severity.ERROR, "/a", "m")), examples=1) is False


def test_a_search_claim_is_the_catalogue_entry_at_the_searched_place() -> None:
    from pytest_cdcompat.catalogue import by_id
    from pytest_cdcompat.core.settings import Settings
    from pytest_cdcompat.proving.loop import UNCATALOGUED

    witness = Recording(True)
    loop: Loop[Any] = Loop(Settings(examples=5), witness)
    pair = object()
    claim = loop.search_claim(pair, "old", "/fields/0")
    entry = by_id(UNCATALOGUED)
    assert entry is not None
    assert claim.rule is entry[0] and claim.rid is entry[1] and claim.rid.id == UNCATALOGUED
    # no rule hit stands behind a search: the hit is empty, the place is the claim's location
    assert (claim.hit.where, claim.hit.message, claim.pair, claim.writer, claim.location) == (
        "", "", pair, "old", "/fields/0"
    )  # fmt: skip
    f = loop.uncatalogued(claim, "value", "found by the search")
    assert f is not None and [c for _, c in witness.calls] == [claim, claim]
    assert (f.rule, f.severity, f.location, f.message, f.counterexample, f.engine) == (
        UNCATALOGUED, Severity.ERROR, "/fields/0", "found by the search", {"shown": "value"}, "generator"
    )  # fmt: skip
