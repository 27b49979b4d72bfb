"""``cdcompat changelog``: every change, breaking or not, with a rule id; tested per kind on small pairs."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from pytest_cdcompat.cli import main
from pytest_cdcompat.report.changelog import changelog, render_changelog

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def rows(log):  # (rule, message, breaks) per entry
    return {(e.rule, e.message, e.directions) for e in log.entries}


@pytest.fixture(autouse=True)
def _here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


API = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /orders/{ID}:
    get:
      {deprecated}
      parameters:
        - {name: ID, in: path, required: true, schema: {type: string}}
        {param}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: {type: string}
                  {prop}
"""


def test_openapi_changes_with_rule_ids(tmp_path):
    old = API.replace("{ID}", "{id}").replace("ID,", "id,").replace("{deprecated}", "").replace("{param}", "")
    old = old.replace("{prop}", "legacy: {type: string}")
    new = API.replace("{ID}", "{orderId}").replace("ID,", "orderId,").replace("{deprecated}", "deprecated: true")
    new = new.replace("{param}", "- {name: limit, in: query, schema: {type: integer}}")
    new = new.replace("{prop}", "note: {type: string}")
    write(tmp_path, {"old.yaml": old, "new.yaml": new})
    log = changelog("old.yaml", "new.yaml", examples=0)
    got = rows(log)
    assert ("compatible-element-added", "property 'note' was added", ()) in got
    assert ("compatible-element-removed", "property 'legacy' was removed", ()) in got
    assert ("element-deprecated", "operation 'GET /orders/{orderId}' was deprecated", ()) in got
    assert any(r == "parameter-added" for r, _, _ in got)  # an optional query parameter: the catalogue's info id
    # the path variable renamed ({id} -> {orderId}) changes nothing on the wire: no entry names it
    assert not any("'id'" in m or "'orderId'" in m for _, m, _ in got), got
    assert list(log.groups) == ["GET /orders/{orderId}"]


def test_breaking_changes_carry_their_rule_and_direction(tmp_path):
    old = {"type": "object", "properties": {"status": {"enum": ["new", "paid"]}}}
    new = {"type": "object", "properties": {"status": {"enum": ["new"]}, "x": {"type": "string"}}}
    write(tmp_path, {"old.json": json.dumps(old, indent=2), "new.json": json.dumps(new, indent=2)})
    log = changelog("old.json", "new.json", examples=0)
    got = rows(log)
    assert ("enum-value-removed", 'enum value "paid" was removed', ("new_consumer_old_producer",)) in got
    assert ("compatible-element-added", "property 'x' was added", ()) in got
    assert len(log.entries) == 2


def test_asyncapi_message_and_property(tmp_path):
    doc = """
    asyncapi: 2.6.0
    info: {title: t, version: "1"}
    channels:
      orders:
        subscribe:
          message:
            payload:
              type: object
              properties:
                id: {type: string}
                {prop}
    """
    write(tmp_path, {"old.yaml": doc.replace("{prop}", ""), "new.yaml": doc.replace("{prop}", "total: {type: number}")})
    got = rows(changelog("old.yaml", "new.yaml", examples=0))
    assert ("compatible-element-added", "property 'total' was added", ()) in got


def test_avro_fields_and_symbols(tmp_path):
    old = {"type": "record", "name": "R", "fields": [
        {"name": "a", "type": "int"},
        {"name": "c", "type": {"type": "enum", "name": "C", "symbols": ["X", "Y"]}},
    ]}  # fmt: skip
    new = {"type": "record", "name": "R", "fields": [
        {"name": "a", "type": "int"},
        {"name": "b", "type": ["null", "string"], "default": None},
        {"name": "c", "type": {"type": "enum", "name": "C", "symbols": ["X", "Y", "Z"]}},
    ]}  # fmt: skip
    write(tmp_path, {"old.avsc": json.dumps(old), "new.avsc": json.dumps(new)})
    log = changelog("old.avsc", "new.avsc", examples=0)
    got = rows(log)
    assert ("compatible-element-added", "field 'R.b' was added", ()) in got
    assert any(r == "avro-enum-symbol-added" and b for r, _, b in got), got


def test_protobuf_rename_under_the_same_number_is_not_listed(tmp_path):
    proto = 'syntax = "proto3";\npackage p;\nmessage M {\n  string {name} = 1;\n  {extra}\n}\n'
    write(tmp_path, {"old.proto": proto.replace("{name}", "order_id").replace("{extra}", "")})
    new = proto.replace("{name} = 1", 'id = 1 [json_name = "orderId"]').replace("{extra}", "int32 qty = 2;")
    write(tmp_path, {"new.proto": new})
    got = rows(changelog("old.proto", "new.proto", examples=0))
    assert ("compatible-element-added", "field 'qty' was added", ()) in got
    assert not any("order_id" in m or "'id'" in m for _, m, _ in got), got


def test_sql_columns(tmp_path):
    init = "CREATE TABLE t (\n  id INTEGER PRIMARY KEY\n);\n"
    write(tmp_path, {"v1/0001_init.sql": init, "v2/0001_init.sql": init})
    write(tmp_path, {"v2/0002_add.sql": "ALTER TABLE t ADD COLUMN note TEXT;\n"})
    log = changelog("v1", "v2", examples=0)
    (entry,) = [e for e in log.entries if "note" in e.message]
    assert entry.rule == "column-added" and entry.directions == ("new_consumer_old_producer",)
    assert entry.file is not None and entry.file.endswith("0002_add.sql") and entry.line == 1


def test_example_contracts_list_their_non_breaking_changes():
    pairs = {
        ("orders-api/v1.yaml", "orders-api/v2.yaml"): "property 'customer_id' was added",
        ("order-created/v1.json", "order-created/v2.json"): "property 'customer_id' was added",
        ("events/order-created-avro/v1.avsc", "events/order-created-avro/v2.avsc"): "field 'OrderCreated.customer_id' was added",
        ("proto/order-service/v1.proto", "proto/order-service/v2.proto"): "field 'customer_id' was added",
        ("events/order-events-asyncapi/v1.yaml", "events/order-events-asyncapi/v2.yaml"): "property 'currency' was added",
    }  # fmt: skip
    for (old, new), message in pairs.items():
        log = changelog(CONTRACTS / old, CONTRACTS / new, examples=0)
        assert ("compatible-element-added", message, ()) in rows(log), (old, new)


def test_cli_formats(tmp_path, capsys):
    write(tmp_path, {"old.json": '{"type": "object"}', "new.json": '{"type": "object", "properties": {"a": {}}}'})
    assert main(["changelog", "old.json", "new.json", "--format", "json", "--examples", "0"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["groups"][0]["changes"][0]["rule"] == "compatible-element-added"
    assert main(["changelog", "old.json", "new.json", "--examples", "0"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("# Changes: old.json -> new.json\n\n1 change, 0 breaking a deploy direction.")
    assert "- property 'a' was added at `/properties/a` (`compatible-element-added`, info)" in md
    text = render_changelog(changelog("old.json", "new.json", examples=0), "text")
    assert "info: compatible-element-added: property 'a' was added at /properties/a" in text


def test_a_shared_component_change_is_listed_with_its_rule_under_every_operation(tmp_path):
    doc = """openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/S"}}}}
  /b:
    get:
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/S"}}}}
components:
  schemas:
    S:
      type: object
      properties:
        status: {type: string, enum: [new, paid]}
"""
    write(tmp_path, {"old.yaml": doc, "new.yaml": doc.replace("enum: [new, paid]", "enum: [new, paid, void]")})
    log = changelog("old.yaml", "new.yaml", examples=0)
    for group in ("GET /a", "GET /b"):
        rules = {e.rule for e in log.groups[group]}
        assert rules == {"enum-value-added"}, (group, log.groups[group])


def _expanding(levels: int, fan: int, *, deep_type: str, extra: bool) -> dict:
    """A JSON Schema whose components expand into each other: ``fan`` properties per level, each a $ref to the next
    level, so level k is reached by fan**k paths (as Stripe's expandable objects are)."""
    defs: dict = {}
    for k in range(levels):
        nxt = {"$ref": f"#/$defs/L{k + 1}"} if k + 1 < levels else {"type": deep_type}
        defs[f"L{k}"] = {"type": "object", "properties": {f"p{i}": nxt for i in range(fan)}}
    top: dict = {"$ref": "#/$defs/L0"}
    if extra:
        top = {"allOf": [top], "properties": {"added": {"type": "string"}}}
    return {"$defs": defs, **top}


def test_a_document_that_expands_into_too_many_paths_is_listed_to_a_smaller_depth(tmp_path, monkeypatch):
    from pytest_cdcompat.kinds import elements

    old = _expanding(6, 3, deep_type="string", extra=False)
    new = _expanding(6, 3, deep_type="integer", extra=True)
    write(tmp_path, {"old.json": json.dumps(old), "new.json": json.dumps(new)})
    full = changelog("old.json", "new.json", examples=0)
    assert full.depth is None and "schema_depth" not in full.to_json()
    monkeypatch.setattr(elements, "ELEMENT_BUDGET", 500)  # 3 + 9 + ... + 729 = 1,092 property paths per version
    log = changelog("old.json", "new.json", examples=0)
    assert log.depth is not None and log.depth < elements.MAX_DEPTH
    assert log.to_json()["schema_depth"] == log.depth
    assert "listed to a depth of" in render_changelog(log, "text")
    got = rows(log)
    # the top-level addition is still listed, and the deep breaking change (a finding) too, with its direction
    assert ("compatible-element-added", "property 'added' was added", ()) in got
    assert any(rule == "type-changed" and breaks for rule, _, breaks in got), got
    assert {e.rule for e in log.entries} <= {e.rule for e in full.entries}
