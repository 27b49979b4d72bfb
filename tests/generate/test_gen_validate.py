"""The validator: asserted formats, cyclic schemas, ignored extensions, errors with paths, context forgiveness."""

from __future__ import annotations

import pytest
from gen_schemas import linked_list

from pytest_cdcompat.kinds.schema.generate import accepts, canonical_json, canonical_value, errors, errors_at, is_valid
from pytest_cdcompat.kinds.schema.generate.validate import validator_for


@pytest.mark.parametrize(
    ("fmt", "good", "bad"),
    [
        ("int32", 2**31 - 1, 2**31),
        ("int64", -(2**63), 2**63),
        ("float", 3.0e38, 1e39),
        ("byte", "aGVsbG8=", "not base64!"),
        ("date-time", "2024-02-29T10:00:00+01:00", "2024-02-30T10:00:00Z"),
        ("date", "2024-02-29", "2024-13-01"),
        ("email", "a@b.c", "no-at-sign"),
        ("uuid", "12345678-1234-1234-1234-123456789abc", "1234"),
        ("ipv4", "10.0.0.1", "10.0.0.256"),
        ("uri", "https://example.com/x", "not a uri"),
        ("hostname", "api.example.com", "-bad-.com"),
    ],
)
def test_formats_are_asserted(fmt, good, bad):
    schema = {"format": fmt}
    assert is_valid(schema, good)
    assert not is_valid(schema, bad)


def test_unknown_formats_and_extensions_are_ignored():
    schema = {
        "type": ["string"],
        "format": "x-anything",
        "x-cdc-loc": "/a",
        "discriminator": {"propertyName": "k"},
        "readOnly": True,
        "$dynamicRef": "#meta",
    }
    assert is_valid(schema, "whatever")
    assert not is_valid(schema, 1)


def test_a_pattern_python_cannot_compile_accepts_everything():
    assert is_valid({"type": ["string"], "pattern": "\\p{L}+"}, "x")


def test_cyclic_schema_validates_deep_values():
    schema = linked_list()
    good = {"value": 1, "next": {"value": 2, "next": {"value": 3, "next": None}}}
    assert is_valid(schema, good)
    bad = {"value": 1, "next": {"value": 2, "next": {"value": "three"}}}
    assert errors(schema, bad) == [
        (("next",), "{'value': 2, 'next': {'value': 'three'}} is not valid under any of the given schemas")
    ]
    assert errors_at(schema, bad, ["next", "next", "value"])
    assert not errors_at(schema, bad, ["value"])


def test_validators_are_cached_per_schema_object():
    schema = {"type": ["integer"]}
    assert validator_for(schema) is validator_for(schema)
    assert validator_for(dict(schema)) is not validator_for(schema)


def test_errors_are_sorted_with_paths():
    schema = {
        "type": ["object"],
        "properties": {"b": {"type": ["integer"]}, "a": {"type": ["integer"]}},
        "required": ["c"],
    }
    assert errors(schema, {"a": "x", "b": "y"}) == [
        ((), "'c' is a required property"),
        (("a",), "'x' is not of type 'integer'"),
        (("b",), "'y' is not of type 'integer'"),
    ]


def test_errors_at_knows_missing_and_unexpected_properties():
    schema = {"type": ["object"], "properties": {"a": {}}, "required": ["a"], "additionalProperties": False}
    assert errors_at(schema, {"z": 1}, ["a"]) == [((), "'a' is a required property")]
    assert errors_at(schema, {"a": 1, "z": 1}, ["z"])
    assert not errors_at(schema, {"a": 1, "z": 1}, ["a"])
    assert errors_at({"type": ["array"], "items": {"type": ["integer"]}}, [1, "x"], ["1"])


def test_context_forgives_read_only_in_requests_and_write_only_in_responses():
    schema = {
        "type": ["object"],
        "required": ["id", "pw"],
        "properties": {"id": {"readOnly": True}, "pw": {"writeOnly": True}},
    }
    assert accepts(schema, {"pw": "x"}, "request")
    assert not accepts(schema, {"id": 1}, "request")
    assert accepts(schema, {"id": 1}, "response")
    assert not accepts(schema, {"id": 1}, "message")


def test_canonical_encoding():
    value = {"b": [1.0, 2.5, True, (3,)], "a": {"y": None, "x": -0.0}}
    assert canonical_json(value) == '{"a":{"x":0,"y":null},"b":[1,2.5,true,[3]]}'
    assert canonical_value(value) == {"a": {"x": 0, "y": None}, "b": [1, 2.5, True, [3]]}
    assert list(canonical_value(value)) == ["a", "b"]
    assert canonical_json(1e300) == "1e+300"
    assert canonical_json("é") == '"é"'


def test_merge_keeps_items_over_the_other_sides_prefix():
    from pytest_cdcompat.kinds.schema.generate.merge import merge

    merged = merge({"items": {"type": ["integer"]}}, {"prefixItems": [True, {"minimum": 3}], "minItems": 2})
    assert merged["prefixItems"] == [{"type": ["integer"]}, {"allOf": [{"type": ["integer"]}, {"minimum": 3}]}]
    assert merged["items"] == {"type": ["integer"]}
