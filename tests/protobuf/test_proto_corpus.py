"""Real-world-style Protobuf pairs: a type imported from another file that changes under the same full name, and
the breaks only ProtoJSON shows (optional to repeated, string to bytes, enum to integer)."""

from __future__ import annotations

from pathlib import Path

from pytest_cdcompat import Direction, Severity, compare

HERE = Path(__file__).parent / "corpus"
OLD = Direction.OLD_CONSUMER_NEW_PRODUCER  # new writes, old reads
NEW = Direction.NEW_CONSUMER_OLD_PRODUCER  # old writes, new reads


def errors(report, direction):
    return [f for f in report.directions[direction].findings if f.severity is Severity.ERROR]


def test_a_field_type_change_inside_an_imported_message_is_found_both_ways(replay_fails, proto_class):
    d = HERE / "imported-type-changed"
    report = compare(d / "old" / "order.proto", d / "new" / "order.proto", kind="protobuf", seed=3, examples=40)
    for direction, writer, reader in ((OLD, "new", "old"), (NEW, "old", "new")):
        (f,) = errors(report, direction)
        assert f.rule == "proto-field-type-changed"
        assert f.location == "/messages/shop.common.Money/fields/units"
        assert "shop.common.Money.units (2)" in f.message
        w = proto_class(d / writer / "order.proto", "shop.common.Money")
        r = proto_class(d / reader / "order.proto", "shop.common.Money")
        assert replay_fails(f.counterexample, w, r), f.counterexample


def test_an_imported_message_gaining_a_field_changes_nothing_on_the_wire():
    d = HERE / "imported-type-extended"
    report = compare(d / "old" / "order.proto", d / "new" / "order.proto", kind="protobuf", seed=3, examples=40)
    assert report.deploy_order == "any order", report.dumps()
    assert not any(r.findings for r in report.directions.values())


def test_json_only_breaks_have_named_rules(replay_fails, proto_class):
    d = HERE / "json-only"
    report = compare(d / "old.proto", d / "new.proto", kind="protobuf", seed=3, examples=40)
    for direction, writer, reader in ((OLD, "new", "old"), (NEW, "old", "new")):
        found = {f.rule: f for f in errors(report, direction)}
        assert set(found) == {"proto-field-cardinality-changed", "proto-field-string-bytes-changed"}, found
        w = proto_class(d / f"{writer}.proto", "shop.v1.Parcel")
        r = proto_class(d / f"{reader}.proto", "shop.v1.Parcel")
        for f in found.values():
            assert f.advice and replay_fails(f.counterexample, w, r), f
    # a repeated reader of a JSON scalar fails to parse: only the JSON encoding shows it
    (card,) = [f for f in errors(report, NEW) if f.rule == "proto-field-cardinality-changed"]
    assert card.counterexample["encoding"] == "json"
    assert "uncatalogued-break" not in {f.rule for r in report.directions.values() for f in r.findings}
