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
        (record("Order", namespace="a"), record("Purchase", aliases=["b.Order"]), True),
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
