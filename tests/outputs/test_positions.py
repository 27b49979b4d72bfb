"""Every finding carries the file, line and column of the element it is about, for every contract kind.

The position is in the new version when the element is there, in the old version when it is gone (a removal); an
element reached through a ``$ref`` into another file is located in that file.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pytest_cdcompat.api import compare
from pytest_cdcompat.core.findings import Direction, Finding, Report
from pytest_cdcompat.report import render_text

ONP = Direction.OLD_CONSUMER_NEW_PRODUCER
NOP = Direction.NEW_CONSUMER_OLD_PRODUCER


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def one(report: Report, direction: Direction, rule: str) -> Finding:
    found = [f for f in report.directions[direction].findings if f.rule == rule]
    assert found, f"no {rule} in {direction.value}: {[f.rule for f in report.directions[direction].findings]}"
    return found[0]


def line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


API = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /orders:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: "common.yaml#/components/schemas/Order"
      responses:
        "200": {description: ok}
  /legacy:
    get:
      responses:
        "200": {description: ok}
"""

COMMON_OLD = """
components:
  schemas:
    Order:
      type: object
      properties:
        id: {type: string}
"""

COMMON_NEW = """
components:
  schemas:
    Order:
      type: object
      properties:
        id: {type: string}
        note: {type: string}
      required: [note]
"""


@pytest.fixture
def openapi_pair(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"old/api.yaml": API, "old/common.yaml": COMMON_OLD})
    write(tmp_path, {"new/api.yaml": API.split("  /legacy:")[0], "new/common.yaml": COMMON_NEW})
    return tmp_path


def test_openapi_through_ref_into_another_file(openapi_pair):
    report = compare("old/api.yaml", "new/api.yaml", examples=0)
    f = one(report, ONP, "required-property-added")  # old clients omit what the new server requires
    assert f.file == "new/common.yaml"
    assert f.line == line_of(openapi_pair / "new/common.yaml", "required: [note]")
    assert f.column == 7 and not f.in_old


def test_removed_operation_points_at_the_old_version(openapi_pair):
    report = compare("old/api.yaml", "new/api.yaml", examples=0)
    f = one(report, ONP, "operation-removed")
    assert (f.file, f.line, f.column) == ("old/api.yaml", line_of(openapi_pair / "old/api.yaml", "get:"), 5)
    assert f.in_old
    text = render_text(report)
    assert f"\n    old/api.yaml:{f.line}:5: error: operation-removed at /paths/~1legacy/get\n" in text
    assert "(gone in the new version: the position is in the old version)" in text


def test_json_schema_positions(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    old = '{\n  "type": "object",\n  "properties": {\n    "status": {"enum": ["new", "paid"]}\n  }\n}\n'
    new = '{\n  "type": "object",\n  "properties": {\n    "status": {"enum": ["new"]},\n    "x": {"type": "string"}\n  },\n  "required": ["x"]\n}\n'
    write(tmp_path, {"old.json": old, "new.json": new})
    report = compare("old.json", "new.json", examples=0)
    removed = one(report, NOP, "enum-value-removed")
    assert (removed.file, removed.line, removed.column) == ("new.json", 4, 16)
    required = one(report, NOP, "required-property-added")
    assert (required.file, required.line, required.column) == ("new.json", 7, 3)


def test_asyncapi_message_removed_points_at_the_old_version(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    doc = """
    asyncapi: 2.6.0
    info: {title: t, version: "1"}
    channels:
      orders:
        subscribe:
          message:
            $ref: "#/components/messages/OrderCreated"
    {extra}
    components:
      messages:
        OrderCreated:
          payload:
            type: object
            properties:
              currency: {type: string, enum: [EUR{more}]}
        OrderCancelled:
          payload: {type: object}
    """
    doc = textwrap.dedent(doc)
    cancelled = '  cancelled:\n    subscribe:\n      message:\n        $ref: "#/components/messages/OrderCancelled"'
    write(tmp_path, {"old.yaml": doc.replace("{extra}", cancelled).replace("{more}", "")})
    write(tmp_path, {"new.yaml": doc.replace("{extra}", "").replace("{more}", ", USD")})
    report = compare("old.yaml", "new.yaml", examples=0)
    added = one(report, ONP, "enum-value-added")
    # reached through the message $ref: the enum is written under components
    assert (added.file, added.line) == ("new.yaml", line_of(tmp_path / "new.yaml", "currency:"))
    assert not added.in_old
    gone = next(f for d in Direction for f in report.directions[d].findings if f.rule == "asyncapi-message-removed")
    assert gone.file == "old.yaml" and gone.in_old
    assert gone.line == line_of(tmp_path / "old.yaml", "  cancelled:") + 2


def test_avro_positions(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    old = '{\n  "type": "record", "name": "R",\n  "fields": [\n    {"name": "a", "type": "int"}\n  ]\n}\n'
    new = (
        '{\n  "type": "record", "name": "R",\n  "fields": [\n    {"name": "a", "type": "int"},\n'
        '    {"name": "b", "type": "string"}\n  ]\n}\n'
    )
    write(tmp_path, {"old.avsc": old, "new.avsc": new})
    report = compare("old.avsc", "new.avsc", examples=0)
    f = one(report, NOP, "avro-field-added-without-default")
    assert (f.file, f.line, f.column) == ("new.avsc", 5, 5)


def test_protobuf_positions(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    proto = """
    syntax = "proto3";
    package shop.v1;
    // a comment naming message Fake { int32 x = 1; }
    message Order {
      string id = 1;
      {field}
      message Line { int64 qty = 1; }
    }
    service Orders {
      rpc Get(Order) returns (Order);
    }
    """
    write(tmp_path, {"old.proto": proto.replace("{field}", "int64 total = 2;")})
    write(tmp_path, {"new.proto": proto.replace("{field}", "int32 total = 2;")})
    report = compare("old.proto", "new.proto", examples=0)
    f = one(report, NOP, "proto-field-integer-type-changed")
    assert (f.file, f.line, f.column) == ("new.proto", line_of(tmp_path / "new.proto", "int32 total"), 9)


def test_protobuf_scan_nested_and_enums():
    from pytest_cdcompat.kinds.protobuf.proto_positions import scan_proto

    index = scan_proto(
        'syntax = "proto3";\npackage a;\nmessage M {\n  message N {\n    string s = 1;\n  }\n'
        "  oneof o {\n    int32 i = 2;\n  }\n}\nenum E {\n  E_UNSPECIFIED = 0;\n}\n"
        "service S {\n  rpc Call(M) returns (M);\n}\n"
    )
    assert index["/messages/a.M"] == (3, 1)
    assert index["/messages/a.M.N/fields/s"] == (5, 12)
    assert index["/messages/a.M/fields/i"] == (8, 11)
    assert index["/enums/a.E/values/E_UNSPECIFIED"] == (12, 3)
    assert index["/services/a.S/methods/Call"] == (15, 3)


def test_sql_positions(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    init = "CREATE TABLE customers (\n  id INTEGER PRIMARY KEY,\n  email TEXT\n);\n"
    write(tmp_path, {"v1/0001_init.sql": init, "v2/0001_init.sql": init})
    write(tmp_path, {"v2/0002_drop.sql": "-- drop the email\nALTER TABLE customers DROP COLUMN email;\n"})
    report = compare("v1", "v2", examples=0)
    f = one(report, ONP, "column-dropped")
    assert (f.file, f.line) == (str(Path("v2/0002_drop.sql")), 2)
    assert f.column is not None and f.column >= 1


def test_every_example_finding_has_a_position():
    root = Path(__file__).resolve().parents[2] / "contracts"
    pairs = [
        ("orders-api/v1.yaml", "orders-api/v3.yaml"),
        ("order-created/v1.json", "order-created/v4.json"),
        ("events/order-created-avro/v1.avsc", "events/order-created-avro/v3.avsc"),
        ("proto/order-service/v1.proto", "proto/order-service/v3.proto"),
        ("events/order-events-asyncapi/v1.yaml", "events/order-events-asyncapi/v3.yaml"),
    ]
    for old, new in pairs:
        report = compare(root / old, root / new, examples=0)
        findings = [f for d in Direction for f in report.directions[d].findings]
        assert findings, (old, new)
        for f in findings:
            assert f.file is not None and f.line is not None and f.line >= 1, (old, new, f.rule, f.location)
            assert f.file.endswith(Path(old if f.in_old else new).name), (f.file, f.in_old)


def test_json_with_escapes_yaml_refuses_keeps_positions(tmp_path, monkeypatch):
    """A JSON string with a UTF-16 surrogate pair (an emoji as ``\\ud83d\\udc4d``) is valid JSON, not valid YAML."""
    monkeypatch.chdir(tmp_path)
    old = '{\n  "type": "object",\n  "examples": [{"s": "ok \\ud83d\\udc4d"}],\n  "properties": {\n    "s": {"enum": ["a", "b"]}\n  }\n}\n'
    write(tmp_path, {"old.json": old, "new.json": old.replace('["a", "b"]', '["a"]')})
    report = compare("old.json", "new.json", examples=0)
    f = one(report, NOP, "enum-value-removed")
    assert (f.file, f.line, f.column) == ("new.json", 5, 11)
