"""Golden-file tests of the text, Markdown and JSON renderers, and of grouping findings by operation or message."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from frontends.helpers import sample_report
from pytest_cdcompat.core.findings import Direction, DirectionResult, Finding, Severity
from pytest_cdcompat.report import channel_of, render, render_markdown, render_text

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("CDCOMPAT_UPDATE_GOLDEN") == "1"


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs (CDCOMPAT_UPDATE_GOLDEN=1 rewrites it)"


@pytest.mark.parametrize("fmt, name", [("text", "report.txt"), ("markdown", "report.md"), ("json", "report.json")])
def test_golden(fmt, name):
    check_golden(name, render(sample_report(), fmt))


def test_golden_compatible_report():
    empty = {d: DirectionResult(d, ()) for d in Direction}
    check_golden("compatible.txt", render_text(sample_report(directions=empty, notes=(), seed=None)))


def test_same_report_same_bytes():
    assert render_text(sample_report()) == render_text(sample_report())
    assert render_markdown(sample_report()) == render_markdown(sample_report())


def test_text_content():
    text = render_text(sample_report())
    assert "cdcompat: openapi contract" in text
    assert "old: main:contracts/orders.yaml" in text and "new: contracts/orders.yaml" in text
    assert "semantics: tolerant reader" in text
    assert "seed: 12345, examples: 100" in text
    # Old consumers are incompatible (an unwaived error); new consumers only have a waived error.
    assert "old consumers against the new producer (old_consumer_new_producer): INCOMPATIBLE" in text
    assert "new consumers against the old producer (new_consumer_old_producer): COMPATIBLE" in text
    assert "  GET /orders/{id}\n" in text and "  POST /orders\n" in text
    assert "waived: accepted until the mobile app 5.2 ships" in text
    assert '"id": 7,\n' in text  # pretty JSON, sorted keys: "id" before "status"
    assert text.index('"id": 7') < text.index('"status": "refunded"')
    assert "deploy order: deploy consumers first" in text
    assert "OpenAPI 3.0 nullable" in text
    # path:line:column first, so terminals and editors can jump to the element; a removal says where it points
    assert "\n    contracts/orders.yaml:41:15: error: response-enum-value-added at /paths/" in text
    assert "main:contracts/orders.yaml:12:5: error: operation-removed" in text
    assert "(gone in the new version: the position is in the old version)" in text


def test_text_one_direction():
    text = render_text(sample_report(), directions=[Direction.NEW_CONSUMER_OLD_PRODUCER])
    assert "new_consumer_old_producer" in text
    assert "old_consumer_new_producer" not in text
    assert "deploy order:" in text


def test_json_is_the_interface():
    doc = json.loads(render(sample_report(), "json"))
    assert list(doc) == ["kind", "old", "new", "directions", "deploy_order"]
    assert list(doc["directions"]) == ["old_consumer_new_producer", "new_consumer_old_producer"]
    finding = doc["directions"]["old_consumer_new_producer"]["findings"][0]
    assert list(finding) == [
        "rule", "severity", "location", "message", "counterexample", "advice", "file", "line", "column"
    ]  # fmt: skip
    assert (finding["file"], finding["line"], finding["column"]) == ("contracts/orders.yaml", 41, 15)
    removed = doc["directions"]["new_consumer_old_producer"]["findings"][0]
    assert (removed["file"], removed["line"]) == ("main:contracts/orders.yaml", 12)
    assert doc["directions"]["old_consumer_new_producer"]["compatible"] is False
    assert doc["directions"]["new_consumer_old_producer"]["compatible"] is True


def test_markdown_escapes_table_cells():
    md = render_markdown(sample_report())
    assert "is now required \\| pipes are escaped" in md
    assert "## Old consumers against the new producer: **INCOMPATIBLE**" in md
    assert "```json" in md


@pytest.mark.parametrize(
    "location, channel",
    [
        ("/paths/~1orders/post/requestBody", "POST /orders"),
        ("/paths/~1orders~1{id}/get", "GET /orders/{id}"),
        ("/paths/~1orders~1{id}/parameters/0", "/orders/{id}"),
        ("/paths/~1a~0b/patch", "PATCH /a~b"),
        ("/channels/orderPlaced/messages/m", "channel orderPlaced"),
        ("/operations/sendOrder/messages", "operation sendOrder"),
        ("/webhooks/newPet/post", "webhook POST newPet"),
        ("/properties/status/enum", "whole document"),
        ("", "whole document"),
        ("/fields/1/type", "whole document"),
        ("orders.status", "table orders"),
        ("orders", "table orders"),
        ("db/0002_note.sql:1", "migration db/0002_note.sql"),
        ("migrations/versions/ab12_x.py:7", "migration migrations/versions/ab12_x.py"),
    ],
)
def test_channel_of(location, channel):
    assert channel_of(location) == channel


def test_findings_grouped_in_order():
    f = [
        Finding("a-rule-x", Severity.ERROR, "/paths/~1b/get/x", "m"),
        Finding("a-rule-y", Severity.ERROR, "/paths/~1a/get/x", "m"),
        Finding("a-rule-z", Severity.WARNING, "/paths/~1b/get/y", "m"),
    ]
    d = Direction.OLD_CONSUMER_NEW_PRODUCER
    report = sample_report(
        directions={
            d: DirectionResult(d, tuple(f)),
            Direction.NEW_CONSUMER_OLD_PRODUCER: DirectionResult(Direction.NEW_CONSUMER_OLD_PRODUCER, ()),
        }
    )
    text = render_text(report)
    assert text.count("GET /b") == 1  # both /b findings under one heading
    assert text.index("GET /b") < text.index("GET /a")
