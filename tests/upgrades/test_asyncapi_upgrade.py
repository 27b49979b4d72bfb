"""AsyncAPI 2.6 -> 3.0 upgrades: messages are matched across versions by messageId, name, the 3.0 messages-map key
(the official converter's key for 2.x) and payload identity, so a conversion alone is no finding, in both orders,
while a real change made during the upgrade is still found on the right message."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_cdcompat import Direction, compare

OLD = Direction.OLD_CONSUMER_NEW_PRODUCER
NEW = Direction.NEW_CONSUMER_OLD_PRODUCER
HERE = Path(__file__).parent / "asyncapi"
V2, V3 = (HERE / "shop-2.6.yaml").read_text(), (HERE / "shop-3.0.yaml").read_text()


def findings(report):
    return {d: [(f.rule, f.location) for f in r.findings] for d, r in report.directions.items()}


def write(tmp_path: Path, old: str, new: str) -> tuple[Path, Path]:
    (tmp_path / "old.yaml").write_text(old)
    (tmp_path / "new.yaml").write_text(new)
    return tmp_path / "old.yaml", tmp_path / "new.yaml"


@pytest.mark.parametrize(("old", "new"), [("shop-2.6.yaml", "shop-3.0.yaml"), ("shop-3.0.yaml", "shop-2.6.yaml")])
def test_a_converted_document_is_compatible_both_ways(old, new):
    """oneOf members (messageId and name differ; name only; a component $ref), a received message, an Avro
    payload on a channel with x-channelId and a message with neither messageId nor name."""
    report = compare(HERE / old, HERE / new, seed=1, examples=20)
    assert findings(report) == {OLD: [], NEW: []}
    assert report.compatible


def test_a_message_with_neither_messageid_nor_name_gives_a_note():
    report = compare(HERE / "shop-2.6.yaml", HERE / "shop-3.0.yaml", seed=1, examples=0)
    notes = [n for n in report.notes if "neither 'messageId' nor 'name'" in n]
    assert any("/channels/shop~1heartbeat/subscribe/message" in n and "shop-2.6.yaml" in n for n in notes), notes


def test_a_change_made_during_the_upgrade_is_found_on_the_matched_message(tmp_path):
    """2.x flow ``send:OrderPlaced`` (messageId) is 3.0 ``send:orderPlaced`` (name): their payloads are compared."""
    changed = V3.replace("qty: {type: integer, minimum: 1}", "qty: {type: integer, minimum: 0}")
    assert changed != V3
    report = compare(*write(tmp_path, V2, changed), seed=2, examples=20)
    (f,) = report.directions[OLD].findings  # new producer sends qty 0, old consumers require 1
    assert f.rule == "minimum-decreased"
    assert (
        f.location
        == "/channels/shop~1orders/messages/OrderPlaced/payload/properties/lines/items/properties/qty/minimum"
    )
    assert "from >= 1 to >= 0" in f.message
    assert findings(report)[NEW] == []
    assert not any(f.rule.startswith("asyncapi-message") for r in report.directions.values() for f in r.findings)


def test_an_avro_payload_matched_by_the_converter_key(tmp_path):
    """The audit message has neither messageId nor name: 2.x key ``subscribe.message`` = the 3.0 map key."""
    changed = V3.replace("symbols: [create, update, delete]", "symbols: [create, update, delete, archive]")
    report = compare(*write(tmp_path, V2, changed), seed=3, examples=20)
    (f,) = report.directions[OLD].findings
    assert f.rule == "avro-enum-symbol-added"
    assert f.location.startswith("/channels/audit/messages/subscribe.message/payload/schema")
    assert "archive" in f.message
    assert findings(report)[NEW] == []


HEARTBEAT_3 = """asyncapi: 3.0.0
info: {{title: t, version: '2'}}
channels:
  beat:
    address: shop/heartbeat
    messages:
      {key}:
        payload: {{type: object, properties: {{at: {{type: string, format: {fmt}}}}}}}
operations:
  beat: {{action: send, channel: {{$ref: '#/channels/beat'}}}}
"""
HEARTBEAT_2 = """asyncapi: 2.6.0
info: {title: t, version: '1'}
channels:
  shop/heartbeat:
    subscribe:
      message:
        payload: {type: object, properties: {at: {type: string, format: date-time}}}
"""


def test_one_message_per_side_is_matched_by_payload_identity(tmp_path):
    """Another key (``tick``) and no messageId or name: the one message on each side with the same payload is one
    message; with another payload it is a message removed and one added."""
    same = compare(*write(tmp_path, HEARTBEAT_2, HEARTBEAT_3.format(key="tick", fmt="date-time")), seed=4)
    assert findings(same) == {OLD: [], NEW: []}
    other = compare(*write(tmp_path, HEARTBEAT_2, HEARTBEAT_3.format(key="tick", fmt="date")), seed=4)
    assert findings(other) == {
        OLD: [("asyncapi-message-removed", "/channels/shop~1heartbeat/subscribe/message")],
        NEW: [("asyncapi-message-added", "/channels/beat/messages/tick")],
    }
    message = other.directions[OLD].findings[0].message
    assert "shop/heartbeat" in message and "subscribe-0" in message


def test_contradicting_message_ids_are_two_messages(tmp_path):
    """Same name, different messageIds: not the same message, even though the flow names are equal."""
    doc = """asyncapi: 2.6.0
info: {{title: t, version: '1'}}
channels:
  orders:
    subscribe:
      message: {{messageId: {mid}, name: order, payload: {{type: object}}}}
"""
    report = compare(*write(tmp_path, doc.format(mid="OrderV1"), doc.format(mid="OrderV2")), seed=5, examples=0)
    assert [f.rule for f in report.directions[OLD].findings] == ["asyncapi-message-removed"]
    assert [f.rule for f in report.directions[NEW].findings] == ["asyncapi-message-added"]
    assert "'OrderV1'" in report.directions[OLD].findings[0].message


@pytest.mark.parametrize(("old", "new"), [("shop-2.6.yaml", "shop-3.0.yaml"), ("shop-3.0.yaml", "shop-2.6.yaml")])
def test_the_changelog_of_a_converted_document_lists_nothing(old, new):
    from pytest_cdcompat.report.changelog import changelog

    log = changelog(HERE / old, HERE / new, examples=0)
    assert [(e.rule, e.location) for e in log.entries] == []


def test_message_headers_are_a_schema_not_a_map(tmp_path):
    """An AsyncAPI message's (or trait's) ``headers`` is a schema: its ``properties`` are header names, and no
    location marker may appear among them as if it were one."""
    from pytest_cdcompat.core.settings import Settings
    from pytest_cdcompat.kinds.asyncapi.asyncapi_loader import load
    from pytest_cdcompat.sources.source import file_source

    doc = (
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nchannels:\n  lights:\n    address: lights\n"
        "    messages:\n      turn: {$ref: '#/components/messages/turn'}\noperations:\n  send:\n    action: send\n"
        "    channel: {$ref: '#/channels/lights'}\ncomponents:\n  messages:\n    turn:\n      payload: {type: string}\n"
        "      headers: {type: object, properties: {own: {type: string}}}\n"
        "      traits: [{$ref: '#/components/messageTraits/common'}]\n"
        "  messageTraits:\n    common:\n      headers: {type: object, properties: {level: {type: integer}}}\n"
    )
    (tmp_path / "a.yaml").write_text(doc)
    contract = load(file_source(tmp_path / "a.yaml"), Settings())
    headers = [s.schema for ch in contract.channels.values() for f in ch.flows.values() for k, s in f.bodies.items()
               if k == "headers"]  # fmt: skip
    assert headers and all(set(h["properties"]) <= {"own", "level"} for h in headers), headers
