"""The Avro promotion table and name matching, checked against fastavro's own schema resolution."""

from __future__ import annotations

import io
from typing import Any

import fastavro
import pytest

from pytest_cdcompat.kinds.avro.avro_schema import PRIMITIVES, Node, build, matches

SAMPLES: dict[str, Any] = {
    "null": None,
    "boolean": True,
    "int": 7,
    "long": 7,
    "float": 1.5,
    "double": 1.5,
    "bytes": b"ab",
    "string": "ab",
}
# the Avro specification's promotions, written down: writer -> reader
SPEC = {
    ("int", "long"),
    ("int", "float"),
    ("int", "double"),
    ("long", "float"),
    ("long", "double"),
    ("float", "double"),
    ("string", "bytes"),
    ("bytes", "string"),
}


def fastavro_reads(writer: Any, reader: Any, datum: Any) -> bool:
    buf = io.BytesIO()
    fastavro.schemaless_writer(buf, fastavro.parse_schema(writer), datum)
    buf.seek(0)
    try:
        fastavro.schemaless_reader(buf, fastavro.parse_schema(writer), fastavro.parse_schema(reader))
    except fastavro.read.SchemaResolutionError:
        return False
    return True


@pytest.mark.parametrize("writer", sorted(PRIMITIVES))
@pytest.mark.parametrize("reader", sorted(PRIMITIVES))
def test_primitive_resolution_agrees_with_the_specification_and_fastavro(writer, reader):
    expected = writer == reader or (writer, reader) in SPEC
    assert matches(Node(writer, ""), Node(reader, "")) is expected
    assert fastavro_reads(writer, reader, SAMPLES[writer]) is expected


def record(name: str, **extra: Any) -> dict[str, Any]:
    return {"type": "record", "name": name, "fields": [{"name": "id", "type": "long"}], **extra}


@pytest.mark.parametrize(
    ("writer", "reader", "expected"),
    [
        (record("Order", namespace="a"), record("Order", namespace="b"), True),  # unqualified names match
        (record("Order"), record("Purchase"), False),
        (record("Order", namespace="a"), record("Purchase", aliases=["a.Order"]), True),
        (record("Order", namespace="a"), record("Purchase", aliases=["Order"]), True),
        (record("Order", namespace="a"), record("Purchase", aliases=["b.Order"]), False),  # another namespace
        (record("Order", namespace="a"), record("Purchase", namespace="b", aliases=["Order"]), True),
        (record("Order", namespace="a"), record("Purchase", namespace="b", aliases=["c.Order"]), False),
        (record("Order"), record("Purchase", aliases=["Orders"]), False),
        ({"type": "enum", "name": "S", "symbols": ["A"]}, {"type": "enum", "name": "T", "symbols": ["A"]}, False),
        ({"type": "fixed", "name": "F", "size": 4}, {"type": "fixed", "name": "F", "size": 4}, True),
        ({"type": "fixed", "name": "F", "size": 4}, {"type": "fixed", "name": "F", "size": 8}, False),
        ({"type": "fixed", "name": "F", "size": 4}, {"type": "fixed", "name": "G", "size": 4}, False),
        ({"type": "array", "items": "int"}, {"type": "array", "items": "string"}, True),  # items judged below
        ({"type": "array", "items": "int"}, {"type": "map", "values": "int"}, False),
        (record("Order"), "string", False),
    ],
)
def test_named_types_match_by_short_name_or_alias(writer, reader, expected):
    assert matches(build(writer, "w.avsc")[0], build(reader, "r.avsc")[0]) is expected
    if isinstance(writer, dict) and writer.get("type") == "record" and isinstance(reader, dict):
        assert _fastavro_resolves(writer, reader) is expected  # the verdict is fastavro's own


def _fastavro_resolves(writer: dict[str, Any], reader: dict[str, Any]) -> bool:
    import io

    from fastavro import parse_schema, schemaless_reader, schemaless_writer

    w = parse_schema(writer)
    buf = io.BytesIO()
    schemaless_writer(buf, w, {"id": 1})
    buf.seek(0)
    try:
        schemaless_reader(buf, w, parse_schema(reader))
    except Exception:  # fastavro's SchemaResolutionError
        return False
    return True


def test_labels_name_what_a_user_wrote():
    node, named = build(
        {
            "type": "record",
            "name": "Order",
            "namespace": "shop",
            "fields": [
                {"name": "lines", "type": {"type": "array", "items": "string"}},
                {"name": "tags", "type": {"type": "map", "values": "long"}},
                {"name": "note", "type": ["null", "string"]},
                {"name": "day", "type": {"type": "int", "logicalType": "date"}},
            ],
        },
        "w.avsc",
    )
    assert node.label() == "record Order" and node.short_name == "Order" and set(named) == {"shop.Order"}
    labels = [f.type.label() for f in node.fields]
    assert labels == ["array<string>", "map<long>", "[null, string]", "int (date)"]
    assert node.field_named("tags") is node.fields[1] and node.field_named("nope") is None


def test_full_names_follow_the_namespaces_as_fastavro_names_them():
    schema = {
        "type": "record",
        "name": "Order",
        "namespace": "com.shop",
        "aliases": ["Purchase", "legacy.Buy"],
        "fields": [
            {"name": "line", "type": {"type": "record", "name": "Line", "fields": [{"name": "n", "type": "int"}]}},
            {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Item", "fields": []}}},
            {"name": "again", "type": "Line"},
            {"name": "other", "type": {"type": "record", "name": "x.Other", "fields": [
                {"name": "code", "type": {"type": "fixed", "name": "Code", "size": 0}}]}},
        ],
    }  # fmt: skip
    node, named = build(schema, "w.avsc")
    expected = {"com.shop.Order", "com.shop.Line", "com.shop.Item", "x.Other", "x.Code"}
    assert set(named) == expected == set(fastavro.parse_schema(schema)["__named_schemas"])
    assert node.aliases == ("com.shop.Purchase", "legacy.Buy")  # relative to the type's namespace, or full
    line, lines, again, other = (f.type for f in node.fields)
    assert again is line is named["com.shop.Line"]
    assert (lines.kind, lines.ptr, lines.items.ptr) == ("array", "/fields/1/type", "/fields/1/type/items")
    assert lines.items is named["com.shop.Item"]
    assert other.fields[0].type.size == 0  # a fixed of no bytes is valid Avro
    # without a namespace a name stays as written, and so do the names defined inside it
    bare = {"type": "record", "name": "Order", "fields": [{"name": "line", "type": {"type": "record", "name": "Line",
                                                                                    "fields": []}}]}  # fmt: skip
    assert set(build(bare, "w.avsc")[1]) == {"Order", "Line"} == set(fastavro.parse_schema(bare)["__named_schemas"])


def test_an_alias_matches_by_its_last_part_within_the_readers_namespace():
    writer = record("Order", namespace="a")
    reader = record("Purchase", namespace="x.y", aliases=["Order"])  # the alias is x.y.Order
    assert build(reader, "r.avsc")[0].aliases == ("x.y.Order",)
    assert matches(build(writer, "w.avsc")[0], build(reader, "r.avsc")[0]) is True
    assert fastavro_reads(writer, reader, {"id": 1}) is True


def test_an_error_type_is_a_record():
    error = {"type": "error", "name": "Oops", "fields": [{"name": "id", "type": "long"}]}
    node = build(error, "w.avsc")[0]
    assert (node.kind, node.name, [f.name for f in node.fields]) == ("record", "Oops", ["id"])
    assert matches(node, build(record("Oops"), "r.avsc")[0]) is True
    assert fastavro_reads(error, record("Oops"), {"id": 1}) is True
    assert matches(node, build(record("Other"), "r.avsc")[0]) is False


def test_logical_types_keep_their_precision_and_scale_on_every_kind_of_node():
    node = build(
        {
            "type": "record",
            "name": "R",
            "fields": [
                {"name": "plain", "type": {"type": "long"}},
                {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
                {"name": "money", "type": {"type": "fixed", "name": "Money", "size": 8, "logicalType": "decimal",
                                           "precision": 18, "scale": 4}},
                {"name": "ids", "type": {"type": "array", "items": "int", "logicalType": "x-id-list"}},
            ],
        },
        "w.avsc",
    )[0]  # fmt: skip
    assert [f.type.logical for f in node.fields] == [
        None,
        ("decimal", 10, 2),
        ("decimal", 18, 4),
        ("x-id-list", None, None),
    ]


def test_a_primitive_written_as_an_object_is_the_same_as_its_name(avro_pair):
    from pytest_cdcompat import compare

    old = {"type": "record", "name": "R", "fields": [{"name": "a", "type": "long"}]}
    new = {"type": "record", "name": "R", "fields": [{"name": "a", "type": {"type": "long"}}]}
    for report in (compare(*avro_pair(old, new), kind="avro", seed=1, examples=10),
                   compare(*avro_pair(new, old), kind="avro", seed=1, examples=10)):  # fmt: skip
        assert [f for r in report.directions.values() for f in r.findings] == []


def test_defaults_are_kept_as_written():
    node = build(
        {
            "type": "record",
            "name": "R",
            "fields": [
                {"name": "n", "type": "int", "default": 5},
                {"name": "o", "type": ["null", "int"], "default": None},
                {"name": "p", "type": "int"},
                {"name": "s", "type": {"type": "enum", "name": "S", "symbols": ["A", "B"], "default": "B"}},
                {"name": "t", "type": {"type": "enum", "name": "T", "symbols": ["A"]}},
            ],
        },
        "w.avsc",
    )[0]
    assert [(f.name, f.has_default, f.default) for f in node.fields[:3]] == [
        ("n", True, 5),
        ("o", True, None),
        ("p", False, None),
    ]
    assert (node.fields[3].type.enum_default, node.fields[4].type.enum_default) == ("B", None)


def test_strip_logical_drops_every_annotation_and_keeps_defaults_as_data():
    from pytest_cdcompat.kinds.avro.avro_schema import strip_logical

    raw = {
        "type": "record",
        "name": "R",
        "logicalType": "x-top",
        "fields": [
            {"name": "day", "type": {"type": "int", "logicalType": "date"}},
            {"name": "m", "type": {"type": "map", "values": {"type": "long", "logicalType": "timestamp-millis"}},
             "default": {"logicalType": "a map key, not an annotation"}},
            {"name": "u", "type": ["null", {"type": "string", "logicalType": "uuid"}], "default": None},
        ],
    }  # fmt: skip
    assert strip_logical(raw) == {
        "type": "record",
        "name": "R",
        "fields": [
            {"name": "day", "type": {"type": "int"}},
            {"name": "m", "type": {"type": "map", "values": {"type": "long"}},
             "default": {"logicalType": "a map key, not an annotation"}},
            {"name": "u", "type": ["null", {"type": "string"}], "default": None},
        ],
    }  # fmt: skip
    assert raw["fields"][0]["type"]["logicalType"] == "date"  # the input is not changed
