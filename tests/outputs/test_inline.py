"""Inline suppressions: ``x-cd-compat-allow`` in YAML/JSON documents and ``// cd-compat: allow`` in Protobuf."""

from __future__ import annotations

import json
import re

import pytest

from pytest_cdcompat.api import compare
from pytest_cdcompat.cli import main
from pytest_cdcompat.core.errors import ContractLoadError
from pytest_cdcompat.core.findings import Direction

NOP = Direction.NEW_CONSUMER_OLD_PRODUCER


@pytest.fixture(autouse=True)
def _here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def schema(statuses, allow=None):
    status = {"enum": statuses}
    if allow is not None:
        status["x-cd-compat-allow"] = allow
    return json.dumps({"type": "object", "properties": {"status": status}}, indent=2)


def test_json_schema_allow_list_waives_the_finding(tmp_path):
    (tmp_path / "old.json").write_text(schema(["new", "paid"]))
    (tmp_path / "new.json").write_text(schema(["new"], ["enum-value-removed paid orders were migrated"]))
    report = compare("old.json", "new.json", examples=0)
    (f,) = report.directions[NOP].findings
    assert f.rule == "enum-value-removed"
    assert f.waived == "paid orders were migrated (x-cd-compat-allow at new.json:9)"
    assert report.compatible


def test_allow_for_another_rule_waives_nothing(tmp_path):
    (tmp_path / "old.json").write_text(schema(["new", "paid"]))
    (tmp_path / "new.json").write_text(schema(["new"], ["enum-value-added"]))
    report = compare("old.json", "new.json", examples=0)
    assert not report.compatible and report.directions[NOP].findings[0].waived is None


def test_openapi_allow_on_the_operation_covers_what_is_below(tmp_path):
    doc = """openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /orders:
    post:
      {allow}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                note: {type: string}
              {required}
      responses:
        "200": {description: ok}
"""
    (tmp_path / "old.yaml").write_text(doc.replace("{allow}", "").replace("{required}", ""))
    allow = "x-cd-compat-allow:\n        - {rule: property-became-required, reason: every client sends it already}"
    (tmp_path / "new.yaml").write_text(doc.replace("{allow}", allow).replace("{required}", "required: [note]"))
    report = compare("old.yaml", "new.yaml", examples=0)
    found = [f for d in Direction for f in report.directions[d].findings if f.rule == "property-became-required"]
    assert found and all(f.waived == "every client sends it already (x-cd-compat-allow at new.yaml:7)" for f in found)
    assert report.compatible


def test_protobuf_comment(tmp_path):
    proto = 'syntax = "proto3";\npackage p;\nmessage M {\n  {comment}\n  {type} total = 1;\n}\n'
    (tmp_path / "old.proto").write_text(proto.replace("{comment}", "").replace("{type}", "int64"))
    comment = "// cd-compat: allow proto-field-integer-type-changed totals never exceed 2^31"
    (tmp_path / "new.proto").write_text(proto.replace("{comment}", comment).replace("{type}", "int32"))
    report = compare("old.proto", "new.proto", examples=0)
    f = next(f for f in report.directions[NOP].findings if f.rule == "proto-field-integer-type-changed")
    assert f.waived == "totals never exceed 2^31 (cd-compat comment at new.proto:4)"
    assert report.directions[NOP].compatible


def test_unknown_rule_is_one_clear_error(tmp_path, capsys):
    (tmp_path / "old.json").write_text(schema(["new", "paid"]))
    (tmp_path / "new.json").write_text(schema(["new"], ["enum-valu-removed"]))
    message = "new.json:9: x-cd-compat-allow: unknown rule id 'enum-valu-removed'"
    with pytest.raises(ContractLoadError, match=re.escape(message)):
        compare("old.json", "new.json", examples=0)
    assert main(["compare", "old.json", "new.json"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_unknown_rule_in_a_proto_comment(tmp_path):
    proto = 'syntax = "proto3";\npackage p;\n// cd-compat: allow no-such-rule because\nmessage M {\n  int64 a = 1;\n}\n'
    (tmp_path / "old.proto").write_text(proto)
    (tmp_path / "new.proto").write_text(proto.replace("int64", "int32"))
    with pytest.raises(ContractLoadError, match="no-such-rule"):
        compare("old.proto", "new.proto", examples=0)
