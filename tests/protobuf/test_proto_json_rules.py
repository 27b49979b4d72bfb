"""The JSON-only Protobuf breaks have named rules with advice, proved by the protobuf runtime in both directions:
``optional`` <-> ``repeated`` (ProtoJSON writes a list where a scalar is read, or the reverse) and ``string`` <->
``bytes`` (ProtoJSON writes bytes as base64)."""

from __future__ import annotations

import pytest

from pytest_cdcompat import Direction, compare

OLD = Direction.OLD_CONSUMER_NEW_PRODUCER  # new writes
NEW = Direction.NEW_CONSUMER_OLD_PRODUCER  # old writes
DOC = 'syntax = "proto3";\npackage shop;\nmessage Order {{\n  string id = 1;\n  {tag} string tag = 2;\n  {blob} blob = 3;\n}}\n'
V1 = DOC.format(tag="optional", blob="bytes")
V2 = DOC.format(tag="repeated", blob="string")


def by_rule(report, direction):
    return {f.rule: f for f in report.directions[direction].findings}


@pytest.mark.parametrize(("old", "new"), [(V1, V2), (V2, V1)])
def test_json_only_breaks_are_named_both_ways(tmp_path, old, new):
    (tmp_path / "old.proto").write_text(old)
    (tmp_path / "new.proto").write_text(new)
    report = compare(tmp_path / "old.proto", tmp_path / "new.proto", seed=1, examples=20)
    for direction in (OLD, NEW):
        found = by_rule(report, direction)
        assert set(found) == {"proto-field-cardinality-changed", "proto-field-string-bytes-changed"}
        card, sb = found["proto-field-cardinality-changed"], found["proto-field-string-bytes-changed"]
        assert card.location == "/messages/shop.Order/fields/tag" and sb.location == "/messages/shop.Order/fields/blob"
        assert "Order.tag (2)" in card.message and "Order.blob (3)" in sb.message
        assert card.advice and sb.advice and card.counterexample["error"] and sb.counterexample["error"]
        writes_repeated = "written as repeated" in card.message
        # a singular value in JSON is refused by a repeated reader; a list read as a scalar keeps only the last one
        assert card.counterexample["encoding"] == ("binary" if writes_repeated else "json")
        assert sb.counterexample["encoding"] == "json"
        if "written as string" in sb.message:
            assert "base64" in sb.counterexample["error"]
