"""AsyncAPI deprecation and sunset (2.x and 3.0): ``deprecated: true`` with ``x-sunset`` on a message, on the
operation that sends it, or on its channel; removing it before the date is an error, after it a warning."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pytest_cdcompat.api import compare
from pytest_cdcompat.core.errors import ContractLoadError
from pytest_cdcompat.core.findings import Direction, Severity

ONP = Direction.OLD_CONSUMER_NEW_PRODUCER
FUTURE, PAST = "'2999-12-31'", "'2001-01-31'"

V2_OLD = """
asyncapi: 2.6.0
info: {title: shop, version: "1"}
channels:
  orders:
    subscribe:
      message:
        oneOf:
          - $ref: '#/components/messages/OrderCreated'
          - $ref: '#/components/messages/OrderLegacy'
  legacy:
    CHANNEL_MARKS
    subscribe:
      OPERATION_MARKS
      message:
        $ref: '#/components/messages/OrderCreated'
components:
  messages:
    OrderCreated:
      payload:
        type: object
        properties:
          id: {type: string}
          note: {type: string, PROPERTY_MARKS}
        required: [id, note]
    OrderLegacy:
      MESSAGE_MARKS
      payload: {type: object, properties: {id: {type: string}}, required: [id]}
"""
V2_NEW = """
asyncapi: 2.6.0
info: {title: shop, version: "1"}
channels:
  orders:
    subscribe:
      message:
        oneOf:
          - $ref: '#/components/messages/OrderCreated'
components:
  messages:
    OrderCreated:
      payload: {type: object, properties: {id: {type: string}}, required: [id]}
"""
V3_OLD = """
asyncapi: 3.0.0
info: {title: shop, version: "1"}
channels:
  orders:
    address: orders
    messages:
      OrderCreated: {$ref: '#/components/messages/OrderCreated'}
      OrderLegacy: {$ref: '#/components/messages/OrderLegacy'}
  legacy:
    address: legacy
    CHANNEL_MARKS
    messages:
      OrderCreated: {$ref: '#/components/messages/OrderCreated'}
operations:
  sendOrder:
    action: send
    channel: {$ref: '#/channels/orders'}
  sendLegacy:
    action: send
    OPERATION_MARKS
    channel: {$ref: '#/channels/legacy'}
components:
  messages:
    OrderCreated:
      payload:
        type: object
        properties:
          id: {type: string}
          note: {type: string, PROPERTY_MARKS}
        required: [id, note]
    OrderLegacy:
      MESSAGE_MARKS
      payload: {type: object, properties: {id: {type: string}}, required: [id]}
"""
V3_NEW = """
asyncapi: 3.0.0
info: {title: shop, version: "1"}
channels:
  orders:
    address: orders
    messages:
      OrderCreated: {$ref: '#/components/messages/OrderCreated'}
operations:
  sendOrder:
    action: send
    channel: {$ref: '#/channels/orders'}
components:
  messages:
    OrderCreated:
      payload: {type: object, properties: {id: {type: string}}, required: [id]}
"""
VERSIONS = {
    "2.6": (V2_OLD, V2_NEW, "/channels/legacy/subscribe/message", "/channels/orders/subscribe/message/oneOf/1",
            "/channels/orders/subscribe/message/oneOf/0/payload/required"),
    "3.0": (V3_OLD, V3_NEW, "/channels/legacy/messages/OrderCreated", "/channels/orders/messages/OrderLegacy",
            "/channels/orders/messages/OrderCreated/payload/required"),
}  # fmt: skip


def marks(date: str | None, indent: int) -> str:
    return "" if date is None else f"deprecated: true\n{' ' * indent}x-sunset: {date}"


def findings(root: Path, version: str, *, channel=None, operation=None, message=None, prop=None, bare=False):
    old, new, *_ = VERSIONS[version]
    # the placeholders sit at different depths in the two documents
    depth = {"CHANNEL_MARKS": 4, "OPERATION_MARKS": 6 if version == "2.6" else 4, "MESSAGE_MARKS": 6}
    for key, date in (("CHANNEL_MARKS", channel), ("OPERATION_MARKS", operation), ("MESSAGE_MARKS", message)):
        text = "deprecated: true" if bare and date else marks(date, depth[key])
        old = old.replace(key, text or "x-other: 1")
    old = old.replace("PROPERTY_MARKS", f"deprecated: true, x-sunset: {prop}" if prop else "x-other: 1")
    (root / "old.yaml").write_text(textwrap.dedent(old))
    (root / "new.yaml").write_text(textwrap.dedent(new))
    report = compare("old.yaml", "new.yaml", examples=0)
    return report, {f.location: f for f in report.directions[ONP].findings}


@pytest.fixture(autouse=True)
def _here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("version", VERSIONS)
def test_nothing_deprecated_keeps_the_removal_rules(tmp_path, version):
    _, _, channel_msg, legacy_msg, required = VERSIONS[version]
    report, found = findings(tmp_path, version)
    assert found[channel_msg].rule == "asyncapi-message-removed"
    assert found[legacy_msg].rule == "asyncapi-message-removed"
    assert found[required].severity is Severity.ERROR and found[required].rule != "removed-before-sunset"
    assert not report.compatible


@pytest.mark.parametrize("version", VERSIONS)
def test_deprecated_message_removed_before_its_sunset_is_an_error(tmp_path, version):
    legacy_msg = VERSIONS[version][3]
    report, found = findings(tmp_path, version, message=FUTURE)
    f = found[legacy_msg]
    assert not report.compatible
    assert (f.rule, f.severity) == ("removed-before-sunset", Severity.ERROR)
    assert "message 'OrderLegacy' was deprecated with sunset 2999-12-31 and removed before that date" in f.message
    assert f.file == "old.yaml" and f.in_old


@pytest.mark.parametrize("version", VERSIONS)
def test_deprecated_message_removed_after_its_sunset_is_a_warning(tmp_path, version):
    legacy_msg = VERSIONS[version][3]
    _, found = findings(tmp_path, version, message=PAST)
    f = found[legacy_msg]
    assert (f.rule, f.severity) == ("removed-after-sunset", Severity.WARNING)
    assert "message 'OrderLegacy' was deprecated with sunset 2001-01-31, which has passed" in f.message


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(("date", "rule"), [(FUTURE, "removed-before-sunset"), (PAST, "removed-after-sunset")])
def test_a_deprecated_channel_covers_its_messages(tmp_path, version, date, rule):
    channel_msg, legacy_msg = VERSIONS[version][2:4]
    _, found = findings(tmp_path, version, channel=date)
    assert found[channel_msg].rule == rule
    assert f"message 'OrderCreated' was deprecated with sunset {date.strip(chr(39))}" in found[channel_msg].message
    assert found[legacy_msg].rule == "asyncapi-message-removed"  # another channel's message: not covered


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(("date", "rule"), [(FUTURE, "removed-before-sunset"), (PAST, "removed-after-sunset")])
def test_a_deprecated_operation_covers_its_messages(tmp_path, version, date, rule):
    channel_msg = VERSIONS[version][2]
    _, found = findings(tmp_path, version, operation=date)
    assert found[channel_msg].rule == rule


@pytest.mark.parametrize("version", VERSIONS)
def test_the_operations_date_comes_before_the_channels(tmp_path, version):
    channel_msg = VERSIONS[version][2]
    _, found = findings(tmp_path, version, channel=FUTURE, operation=PAST)
    assert found[channel_msg].rule == "removed-after-sunset"


@pytest.mark.parametrize("version", VERSIONS)
def test_deprecated_without_a_sunset_keeps_its_rule(tmp_path, version):
    channel_msg, legacy_msg = VERSIONS[version][2:4]
    _, found = findings(tmp_path, version, channel=FUTURE, message=FUTURE, bare=True)
    assert found[channel_msg].rule == "asyncapi-message-removed"
    assert found[legacy_msg].rule == "asyncapi-message-removed"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_deprecated_payload_property_removed_after_its_sunset_is_a_warning(tmp_path, version):
    required = VERSIONS[version][4]
    _, found = findings(tmp_path, version, prop=PAST)
    f = found[required]
    assert (f.rule, f.severity) == ("removed-after-sunset", Severity.WARNING)
    assert "property 'note' was deprecated with sunset 2001-01-31" in f.message


@pytest.mark.parametrize("version", VERSIONS)
def test_a_sunset_that_is_not_a_date_is_one_clear_error(tmp_path, version):
    with pytest.raises(ContractLoadError, match=r"^old\.yaml:\d+:\d+: x-sunset 'soon' is not a date \(YYYY-MM-DD\)$"):
        findings(tmp_path, version, message="soon")


@pytest.mark.parametrize("version", VERSIONS)
def test_deprecating_a_message_is_in_the_changelog(tmp_path, version):
    from pytest_cdcompat.report.changelog import changelog

    old, *_ = VERSIONS[version]
    plain = old.replace("PROPERTY_MARKS", "x-other: 1")
    for key in ("CHANNEL_MARKS", "OPERATION_MARKS", "MESSAGE_MARKS"):
        plain = plain.replace(key, "x-other: 1")
    marked = plain.replace(
        "OrderLegacy:\n      x-other: 1", "OrderLegacy:\n      deprecated: true\n      x-sunset: '2027-03-01'"
    )
    assert marked != plain
    (tmp_path / "old.yaml").write_text(textwrap.dedent(plain))
    (tmp_path / "new.yaml").write_text(textwrap.dedent(marked))
    log = changelog("old.yaml", "new.yaml", examples=0)
    assert [(e.rule, e.message) for e in log.entries] == [
        ("element-deprecated", "message 'OrderLegacy' was deprecated (sunset 2027-03-01)")
    ]
