"""AsyncAPI 2.x and 3.0: the application's point of view, message existence, JSON Schema and Avro payloads, headers,
replies, and bad input. Each rule id has a fixture pair under rules/<id>/{breaking,safe}."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_cdcompat import Direction, compare
from pytest_cdcompat.catalogue import rules_for
from pytest_cdcompat.core.errors import ContractLoadError

OLD = Direction.OLD_CONSUMER_NEW_PRODUCER  # the new application against old peers
NEW = Direction.NEW_CONSUMER_OLD_PRODUCER
HERE = Path(__file__).parent
CLI = "import sys; from pytest_cdcompat.cli import main; sys.exit(main(sys.argv[1:]))"


def rules_of(report, direction):
    return sorted((f.rule, f.severity.value) for f in report.directions[direction].findings)


def write(tmp_path, old: str, new: str):
    (tmp_path / "old.yaml").write_text(old)
    (tmp_path / "new.yaml").write_text(new)
    return tmp_path / "old.yaml", tmp_path / "new.yaml"


@pytest.mark.parametrize("rule_id", sorted(p.name for p in (HERE / "rules").iterdir() if p.is_dir()))
def test_rule_fixture_pairs(rule_id):
    d = HERE / "rules" / rule_id
    breaking = compare(d / "breaking" / "old.yaml", d / "breaking" / "new.yaml", only=frozenset({rule_id}))
    hits = [f for r in breaking.directions.values() for f in r.findings if f.rule == rule_id]
    assert hits and all(f.severity.value == "error" and f.counterexample["message"] for f in hits)
    # the written-down expectation: per direction, rule id, location and a message fragment of every finding
    pins = json.loads((d / "breaking" / "expected.json").read_text())
    for direction, result in breaking.directions.items():
        want = pins[direction.value]
        found = [f for f in result.findings if f.rule == rule_id]
        assert sorted((f.rule, f.location) for f in found) == sorted((e["rule"], e["location"]) for e in want)
        for e in want:
            assert any(f.location == e["location"] and e["message"] in f.message for f in found), (e, found)
    safe = compare(d / "safe" / "old.yaml", d / "safe" / "new.yaml", only=frozenset({rule_id}))
    assert not [f for r in safe.directions.values() for f in r.findings]


def test_every_asyncapi_rule_id_has_fixtures():
    ids = {rid.id for r in rules_for("asyncapi-message", "asyncapi") for rid in r.all_ids()}
    assert ids == {p.name for p in (HERE / "rules").iterdir() if p.is_dir()}


V2 = """asyncapi: 2.6.0
info: {{title: orders, version: {version}}}
channels:
  orders.created:
    {verb}:
      message:
        messageId: OrderCreated
        payload:
          type: object
          required: [order_id]
          properties:
            order_id: {{type: string}}
            status: {{type: string, enum: [{symbols}]}}
"""


@pytest.mark.parametrize(("verb", "broken"), [("subscribe", OLD), ("publish", NEW)])
def test_v2_verbs_are_inverted(tmp_path, verb, broken):
    """2.x ``subscribe`` = the application sends (a new value breaks old consumers); ``publish`` = it receives."""
    o, n = write(
        tmp_path,
        V2.format(version="1.0.0", verb=verb, symbols="NEW, PAID"),
        V2.format(version="2.0.0", verb=verb, symbols="NEW, PAID, REFUNDED"),
    )
    report = compare(o, n, seed=1, examples=30)
    assert rules_of(report, broken) == [("enum-value-added", "error")]
    assert rules_of(report, OLD if broken is NEW else NEW) == []
    f = report.directions[broken].findings[0]
    assert f.counterexample["status"] == "REFUNDED"


def test_v2_and_v3_of_the_same_api_match(tmp_path):
    v2 = V2.format(version="1.0.0", verb="subscribe", symbols="NEW, PAID")
    v3 = """asyncapi: 3.0.0
info: {title: orders, version: 3.0.0, description: migrated to 3.0}
channels:
  created:
    address: orders.created
    messages:
      OrderCreated:
        payload:
          type: object
          required: [order_id]
          properties:
            order_id: {type: string}
            status: {type: string, enum: [NEW, PAID]}
operations:
  sendCreated:
    action: send
    channel: {$ref: '#/channels/created'}
"""
    report = compare(*write(tmp_path, v2, v3), seed=2, examples=20)
    assert all(not r.findings for r in report.directions.values())


def test_reply_messages_flow_the_other_way(tmp_path):
    doc = """asyncapi: 3.0.0
info: {{title: pricing, version: 1.0.0}}
channels:
  quote:
    address: quote.request
    messages:
      Ask: {{payload: {{type: object, properties: {{sku: {{type: string}}}}}}}}
  answer:
    address: quote.reply
    messages:
      Price:
        payload:
          type: object
          required: [cents]
          properties:
            cents: {{type: {kind}}}
operations:
  ask:
    action: send
    channel: {{$ref: '#/channels/quote'}}
    reply:
      channel: {{$ref: '#/channels/answer'}}
"""
    report = compare(*write(tmp_path, doc.format(kind="integer"), doc.format(kind="string")), seed=3, examples=20)
    # the application receives the reply: its peers (old) write integers the new application rejects
    assert [f.severity.value for f in report.directions[OLD].findings] == ["error"]
    assert report.directions[OLD].findings[0].counterexample == {"cents": 0}
    locations = {f.location for r in report.directions.values() for f in r.findings}
    assert all(loc.startswith("/channels/answer/messages/Price/payload") for loc in locations), locations
    assert not report.compatible


def test_headers_are_checked_like_payloads(tmp_path):
    doc = """asyncapi: 3.0.0
info: {{title: orders, version: 1.0.0}}
channels:
  c:
    address: orders
    messages:
      M:
        headers:
          type: object
          required: [{required}]
          properties: {{trace: {{type: string}}, tenant: {{type: string}}}}
        payload: {{type: object}}
operations:
  s: {{action: send, channel: {{$ref: '#/channels/c'}}}}
"""
    report = compare(*write(tmp_path, doc.format(required="trace"), doc.format(required="trace, tenant")), seed=4)
    assert rules_of(report, NEW) == [("property-became-required", "error")]
    assert report.directions[NEW].findings[0].location.startswith("/channels/c/messages/M/headers")


AVRO_DOC = """asyncapi: 3.0.0
info: {{title: orders, version: 1.0.0}}
channels:
  c:
    address: orders
    messages:
      OrderCreated:
        payload:
          schemaFormat: application/vnd.apache.avro+json;version=1.9.0
          schema:
            type: record
            name: OrderCreated
            fields:
              - {{name: id, type: string}}
              {extra}
operations:
  s: {{action: send, channel: {{$ref: '#/channels/c'}}}}
"""


def test_avro_payloads_go_through_the_avro_engine(tmp_path):
    o, n = write(tmp_path, AVRO_DOC.format(extra=""), AVRO_DOC.format(extra="- {name: coupon, type: string}"))
    report = compare(o, n, seed=5, examples=20)
    (f,) = report.directions[NEW].findings
    assert f.rule == "avro-field-added-without-default"
    assert f.location == "/channels/c/messages/OrderCreated/payload/schema/fields/1"
    assert "No default value for field coupon" in f.counterexample["error"]
    assert rules_of(report, OLD) == []


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("asyncapi: 1.2.0\ninfo: {title: x, version: '1'}\nchannels: {}\n", "at /asyncapi: unsupported AsyncAPI"),
        ("asyncapi: 2.6.0\ninfo: {title: x}\nchannels: {}\n", "at /info:"),
        (
            "asyncapi: 3.0.0\ninfo: {title: x, version: '1'}\nchannels: {}\n"
            "operations:\n  o: {action: push, channel: {}}\n",
            "at /operations/o/action",
        ),
        (
            "asyncapi: 2.6.0\ninfo: {title: x, version: '1'}\nchannels:\n  c:\n    subscribe:\n      message:\n"
            "        schemaFormat: application/x-protobuf\n        payload: {type: string}\n",
            "at /channels/c/subscribe/message/schemaFormat: unknown schemaFormat",
        ),
        (
            "asyncapi: 2.6.0\ninfo: {title: x, version: '1'}\nchannels:\n  c:\n    subscribe:\n      message:\n"
            "        schemaFormat: application/vnd.apache.avro;version=1.9.0\n        payload: {type: record, name: R}\n",
            "payload: record schema needs a 'fields' list",
        ),
        (
            "asyncapi: 2.6.0\ninfo: {title: x, version: '1'}\nchannels:\n  c:\n    subscribe:\n      message:\n"
            "        $ref: 'missing.yaml#/M'\n",
            "missing.yaml",
        ),
        (
            "asyncapi: 3.0.0\ninfo: {title: x, version: '1'}\nchannels:\n  c:\n    messages:\n      M:\n"
            "        payload: {type: 5}\n",
            "at /channels/c/messages/M/payload/type: invalid AsyncAPI document",
        ),
        (
            "asyncapi: 3.0.0\ninfo: {title: x, version: '1'}\nchannels:\n  c:\n    messages: [1]\n",
            "at /channels/c/messages: invalid AsyncAPI document",
        ),
        (
            "asyncapi: 2.6.0\ninfo: {title: x, version: '1'}\nchannels:\n  c:\n    publish:\n      message:\n"
            "        headers: 17\n",
            "at /channels/c/publish/message/headers",
        ),
    ],
)
def test_bad_documents_are_one_clear_error(tmp_path, text, expect):
    good = "asyncapi: 2.6.0\ninfo: {title: x, version: '1'}\nchannels: {}\n"
    o, n = write(tmp_path, good, text)
    with pytest.raises(ContractLoadError) as err:
        compare(o, n, kind="asyncapi")
    assert "new.yaml" in str(err.value) and expect in str(err.value)
    out = subprocess.run([sys.executable, "-c", CLI, "compare", str(o), str(n)], capture_output=True, text=True,
                         check=False)  # fmt: skip
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr


def test_multi_file_refs(tmp_path):
    def schemas(name: str, kind: str) -> None:
        order = {"Order": {"type": "object", "properties": {"n": {"type": kind}}}}
        (tmp_path / name).write_text(json.dumps(order))

    doc = """asyncapi: 2.6.0
info: {title: x, version: '1'}
channels:
  orders:
    subscribe:
      message:
        name: Order
        payload: {$ref: 'SCHEMAS#/Order'}
"""
    schemas("old.json", "integer")
    schemas("new.json", "integer")
    (tmp_path / "old.yaml").write_text(doc.replace("SCHEMAS", "old.json"))
    (tmp_path / "new.yaml").write_text(doc.replace("SCHEMAS", "new.json").replace("name: Order", "name: Order\n  # x"))
    report = compare(tmp_path / "old.yaml", tmp_path / "new.yaml", seed=6, examples=10)
    assert all(not r.findings for r in report.directions.values())
    schemas("new.json", "string")
    report = compare(tmp_path / "old.yaml", tmp_path / "new.yaml", seed=6, examples=10)
    assert not report.compatible
    assert all(f.location.startswith("/channels/orders/subscribe/message/payload") or "new.json" in f.location
               for r in report.directions.values() for f in r.findings)  # fmt: skip


def test_declaring_optional_headers_changes_nothing_and_a_required_one_breaks(tmp_path):
    base = """asyncapi: 3.0.0
info: {title: t, version: '1'}
channels:
  c:
    address: a
    messages:
      M:
HEADERS        payload: {type: object, properties: {x: {type: string}}}
operations:
  s: {action: send, channel: {$ref: '#/channels/c'}}
"""
    none = base.replace("HEADERS", "")
    optional = base.replace("HEADERS", "        headers: {type: object, properties: {t: {type: string}}}\n")
    required = optional.replace("{t: {type: string}}}", "{t: {type: string}}, required: [t]}")
    for old, new in ((none, optional), (optional, none)):
        report = compare(*write(tmp_path, old, new), seed=7, examples=20)
        assert all(not r.findings for r in report.directions.values())
    report = compare(*write(tmp_path, none, required), seed=7, examples=20)
    # old producers send no headers; new consumers require one
    assert rules_of(report, NEW) == [("required-property-added", "error")]
    assert report.directions[NEW].findings[0].counterexample == {}
    assert rules_of(report, OLD) == []


def test_message_traits_are_applied(tmp_path):
    doc = """asyncapi: 2.6.0
info: {title: x, version: '1'}
channels:
  orders:
    subscribe:
      message:
        name: Order
        traits:
          - headers: {type: object, required: [HEADER], properties: {tenant: {type: string}, trace: {type: string}}}
        payload: {type: object}
"""
    report = compare(*write(tmp_path, doc.replace("HEADER", "tenant"), doc.replace("HEADER", "tenant, trace")), seed=8)
    assert rules_of(report, NEW) == [("property-became-required", "error")]
    assert rules_of(report, OLD) == []
