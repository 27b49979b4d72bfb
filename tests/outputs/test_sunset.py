"""Deprecation and sunset dates: a deprecated operation removed before its ``x-sunset`` is an error, after it a
warning; stability levels relax breaks; bad annotations are one clear error."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pytest_cdcompat.api import compare
from pytest_cdcompat.cli import main
from pytest_cdcompat.core.errors import ContractLoadError
from pytest_cdcompat.core.findings import Direction, Severity

ONP = Direction.OLD_CONSUMER_NEW_PRODUCER

API = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /orders:
    get:
      responses:
        "200": {description: ok}
  {legacy}
"""
LEGACY = """/legacy:
    get:
      {marks}
      responses:
        "200": {description: ok}"""


def pair(root: Path, marks: str) -> None:
    legacy = LEGACY.replace("{marks}", marks)
    (root / "old.yaml").write_text(textwrap.dedent(API).replace("{legacy}", legacy))
    (root / "new.yaml").write_text(textwrap.dedent(API).replace("{legacy}", ""))


@pytest.fixture(autouse=True)
def _here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def removal(report):
    (f,) = [f for f in report.directions[ONP].findings if f.location == "/paths/~1legacy/get"]
    return f


def test_never_deprecated_removal_is_as_before(tmp_path):
    pair(tmp_path, "")
    f = removal(compare("old.yaml", "new.yaml", examples=0))
    assert (f.rule, f.severity) == ("operation-removed", Severity.ERROR)


def test_removed_before_its_sunset_is_an_error(tmp_path):
    pair(tmp_path, "deprecated: true\n      x-sunset: '2999-12-31'")
    report = compare("old.yaml", "new.yaml", examples=0)
    f = removal(report)
    assert (f.rule, f.severity) == ("removed-before-sunset", Severity.ERROR)
    assert "sunset 2999-12-31 and removed before that date" in f.message
    assert f.file == "old.yaml" and f.in_old  # the removal points at the old version
    assert not report.directions[ONP].compatible


def test_removed_after_its_sunset_is_a_warning(tmp_path):
    pair(tmp_path, "deprecated: true\n      x-sunset: 2001-01-31")
    report = compare("old.yaml", "new.yaml", examples=0)
    f = removal(report)
    assert (f.rule, f.severity) == ("removed-after-sunset", Severity.WARNING)
    assert "which has passed: consumers were given notice" in f.message
    assert report.compatible


def test_deprecated_without_a_sunset_keeps_its_rule(tmp_path):
    pair(tmp_path, "deprecated: true")
    assert removal(compare("old.yaml", "new.yaml", examples=0)).rule == "operation-removed"


def test_a_sunset_that_is_not_a_date_is_one_clear_error(tmp_path, capsys):
    pair(tmp_path, "deprecated: true\n      x-sunset: next spring")
    with pytest.raises(ContractLoadError) as e:
        compare("old.yaml", "new.yaml", examples=0)
    assert str(e.value) == "old.yaml:12:17: x-sunset 'next spring' is not a date (YYYY-MM-DD)"
    assert main(["compare", "old.yaml", "new.yaml"]) == 2
    assert (
        capsys.readouterr().err
        == "cdcompat: error: old.yaml:12:17: x-sunset 'next spring' is not a date (YYYY-MM-DD)\n"
    )


def test_alpha_operations_break_with_warnings_only(tmp_path):
    pair(tmp_path, "x-stability-level: alpha")
    report = compare("old.yaml", "new.yaml", examples=0)
    f = removal(report)
    assert f.severity is Severity.WARNING and "(x-stability-level alpha: breaking changes are allowed)" in f.message
    assert report.compatible


def test_stable_operations_break_as_usual(tmp_path):
    pair(tmp_path, "x-stability-level: stable")
    assert removal(compare("old.yaml", "new.yaml", examples=0)).severity is Severity.ERROR


def test_an_unknown_stability_level_is_an_error(tmp_path):
    pair(tmp_path, "x-stability-level: experimental")
    with pytest.raises(ContractLoadError, match="x-stability-level 'experimental' is not one of draft, alpha, beta"):
        compare("old.yaml", "new.yaml", examples=0)


def test_protobuf_deprecation_is_in_the_changelog(tmp_path):
    from pytest_cdcompat.report.changelog import changelog

    proto = 'syntax = "proto3";\npackage p;\nmessage M {\n  string id = 1{opt};\n}\n'
    (tmp_path / "old.proto").write_text(proto.replace("{opt}", ""))
    (tmp_path / "new.proto").write_text(proto.replace("{opt}", " [deprecated = true]"))
    log = changelog("old.proto", "new.proto", examples=0)
    assert [(e.rule, e.message) for e in log.entries] == [("element-deprecated", "field 'id' was deprecated")]


def test_openapi_deprecation_with_sunset_is_in_the_changelog(tmp_path):
    from pytest_cdcompat.report.changelog import changelog

    pair(tmp_path, "")
    legacy = LEGACY.replace("{marks}", "deprecated: true\n      x-sunset: '2027-03-01'")
    (tmp_path / "new.yaml").write_text(textwrap.dedent(API).replace("{legacy}", legacy))
    log = changelog("old.yaml", "new.yaml", examples=0)
    assert [(e.rule, e.message) for e in log.entries] == [
        ("element-deprecated", "operation 'GET /legacy' was deprecated (sunset 2027-03-01)")
    ]


# -- Avro: a removed field is matched by name to the field that carried the marks --------------------------------

AVRO = """{"type": "record", "name": "Order", "namespace": "shop", "fields": [
  {"name": "id", "type": "string"}LEGACY
]}"""


def avro_pair(root: Path, marks: str) -> None:
    legacy = ',\n  {"name": "legacy", "type": "string"' + marks + "}"
    (root / "old.avsc").write_text(AVRO.replace("LEGACY", legacy))
    (root / "new.avsc").write_text(AVRO.replace("LEGACY", ""))


def avro_removal(report):
    (f,) = report.directions[ONP].findings
    assert f.location == "/fields/1" and f.file == "old.avsc" and f.line == 3
    return f


def test_avro_field_removed_before_its_sunset_is_an_error(tmp_path):
    avro_pair(tmp_path, ', "deprecated": true, "x-sunset": "2999-12-31"')
    report = compare("old.avsc", "new.avsc", examples=0)
    f = avro_removal(report)
    assert (f.rule, f.severity) == ("removed-before-sunset", Severity.ERROR)
    assert "field 'Order.legacy' was deprecated with sunset 2999-12-31 and removed before that date" in f.message
    assert not report.compatible


def test_avro_field_removed_after_its_sunset_is_a_warning(tmp_path):
    avro_pair(tmp_path, ', "deprecated": true, "x-sunset": "2001-01-31"')
    report = compare("old.avsc", "new.avsc", examples=0)
    f = avro_removal(report)
    assert (f.rule, f.severity) == ("removed-after-sunset", Severity.WARNING)
    assert "field 'Order.legacy' was deprecated with sunset 2001-01-31, which has passed" in f.message
    assert report.compatible


def test_avro_field_never_deprecated_keeps_its_rule(tmp_path):
    avro_pair(tmp_path, ', "x-sunset": "2999-12-31"')  # a date without deprecated promises nothing
    f = avro_removal(compare("old.avsc", "new.avsc", examples=0))
    assert (f.rule, f.severity) == ("avro-field-removed-without-default", Severity.ERROR)


def test_avro_field_moved_before_the_removed_one_is_still_matched_by_name(tmp_path):
    # the removed field is second in the old record; a field inserted in front must not shift the match
    doc = """{"type": "record", "name": "Order", "fields": [
  {"name": "id", "type": "string"},
  {"name": "note", "type": "string", "deprecated": true, "x-sunset": "2001-01-31"},
  {"name": "legacy", "type": "string", "deprecated": true, "x-sunset": "2999-12-31"}
]}"""
    (tmp_path / "old.avsc").write_text(doc)
    (tmp_path / "new.avsc").write_text(
        '{"type": "record", "name": "Order", "fields": [{"name": "note", "type": "string"},'
        ' {"name": "id", "type": "string"}]}'
    )
    (f,) = compare("old.avsc", "new.avsc", examples=0).directions[ONP].findings
    assert (f.rule, f.location) == ("removed-before-sunset", "/fields/2")
    assert "'Order.legacy'" in f.message and "2999-12-31" in f.message


# -- Protobuf: ``// cd-compat: sunset=YYYY-MM-DD`` on the element's line --------------------------------------------

PROTO_OLD = """syntax = "proto3";
package shop;
message Order {
  string id = 1;
  string legacy = 2 [deprecated = true];FIELD_MARK
}
service Orders {
  rpc Get(Order) returns (Order);
  rpc Old(Order) returns (Order) { option deprecated = true; }RPC_MARK
}
"""
PROTO_NEW = """syntax = "proto3";
package shop;
message Order {
  string id = 1;
}
service Orders {
  rpc Get(Order) returns (Order);
}
"""


def proto_pair(root: Path, field_mark: str = "", rpc_mark: str = "", deprecated: bool = True) -> None:
    text = PROTO_OLD.replace("FIELD_MARK", field_mark).replace("RPC_MARK", rpc_mark)
    if not deprecated:
        text = text.replace(" [deprecated = true]", "").replace(" { option deprecated = true; }", ";")
    (root / "old.proto").write_text(text)
    (root / "new.proto").write_text(PROTO_NEW)


def by_location(report):
    return {f.location: f for r in report.directions.values() for f in r.findings}


def test_protobuf_rpc_removed_before_its_sunset_is_an_error(tmp_path):
    proto_pair(tmp_path, rpc_mark=" // cd-compat: sunset=2999-12-31")
    report = compare("old.proto", "new.proto", examples=0)
    (f,) = [f for f in report.directions[ONP].findings if f.location == "/services/shop.Orders/methods/Old"]
    assert (f.rule, f.severity, f.file, f.line) == ("removed-before-sunset", Severity.ERROR, "old.proto", 9)
    assert "rpc 'Old' was deprecated with sunset 2999-12-31 and removed before that date" in f.message
    assert not report.compatible


def test_protobuf_rpc_removed_after_its_sunset_is_a_warning(tmp_path):
    proto_pair(tmp_path, rpc_mark=" // cd-compat: sunset=2001-01-31")
    report = compare("old.proto", "new.proto", examples=0)
    f = by_location(report)["/services/shop.Orders/methods/Old"]
    assert (f.rule, f.severity) == ("removed-after-sunset", Severity.WARNING)
    assert "rpc 'Old' was deprecated with sunset 2001-01-31, which has passed" in f.message


def test_protobuf_field_removed_before_its_sunset_is_an_error(tmp_path):
    proto_pair(tmp_path, field_mark=" // cd-compat: sunset=2999-12-31")
    f = by_location(compare("old.proto", "new.proto", examples=0))["/messages/shop.Order"]
    assert (f.rule, f.severity) == ("removed-before-sunset", Severity.ERROR)
    assert "field 'legacy' was deprecated with sunset 2999-12-31 and removed before that date" in f.message
    assert "Order.legacy (2) was removed without reserving" in f.message


def test_protobuf_never_deprecated_keeps_its_rules(tmp_path):
    proto_pair(tmp_path, " // cd-compat: sunset=2999-12-31", " // cd-compat: sunset=2999-12-31", deprecated=False)
    found = by_location(compare("old.proto", "new.proto", examples=0))
    assert found["/services/shop.Orders/methods/Old"].rule == "proto-rpc-removed"
    assert found["/messages/shop.Order"].rule == "proto-field-removed-without-reservation"


def test_protobuf_inline_rpc_option_deprecates_the_rpc_not_its_service():
    from pytest_cdcompat.kinds.protobuf.proto_positions import deprecated_elements

    assert deprecated_elements(PROTO_OLD) == {"/messages/shop.Order/fields/legacy", "/services/shop.Orders/methods/Old"}


def test_protobuf_sunset_that_is_not_a_date_is_one_clear_error(tmp_path, capsys):
    proto_pair(tmp_path, field_mark=" // cd-compat: sunset=2026-13-01")
    with pytest.raises(ContractLoadError) as e:
        compare("old.proto", "new.proto", examples=0)
    assert str(e.value) == "old.proto:5:63: cd-compat: sunset='2026-13-01' is not a date (YYYY-MM-DD)"
    assert main(["compare", "old.proto", "new.proto"]) == 2
    err = capsys.readouterr().err
    assert err == "cdcompat: error: old.proto:5:63: cd-compat: sunset='2026-13-01' is not a date (YYYY-MM-DD)\n"


def test_protobuf_sunset_is_in_the_changelog(tmp_path):
    from pytest_cdcompat.report.changelog import changelog

    proto = 'syntax = "proto3";\npackage p;\nmessage M {\n  string id = 1{opt};\n}\n'
    (tmp_path / "old.proto").write_text(proto.replace("{opt}", ""))
    marked = proto.replace("{opt};", " [deprecated = true]; // cd-compat: sunset=2027-03-01")
    (tmp_path / "new.proto").write_text(marked)
    log = changelog("old.proto", "new.proto", examples=0)
    assert [(e.rule, e.message) for e in log.entries] == [
        ("element-deprecated", "field 'id' was deprecated (sunset 2027-03-01)")
    ]
