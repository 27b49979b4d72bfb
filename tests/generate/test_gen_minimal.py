"""Minimal instances are valid and deterministic; embed places witnesses and absences where asked."""

from __future__ import annotations

import pytest
from gen_schemas import SCHEMAS, UNSATISFIABLE, linked_list, pets, tree

from pytest_cdcompat.catalogue.base import NOTHING
from pytest_cdcompat.kinds.schema.generate import accepts, canonical_json, embed, is_valid, minimal_instance


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_minimal_instance_is_valid_and_deterministic(name):
    schema = SCHEMAS[name]
    value = minimal_instance(schema)
    assert value is not NOTHING
    assert is_valid(schema, value), value
    assert canonical_json(minimal_instance(schema)) == canonical_json(value)


@pytest.mark.parametrize("name", sorted(UNSATISFIABLE))
def test_minimal_instance_of_an_empty_schema_is_nothing(name):
    assert minimal_instance(UNSATISFIABLE[name]) is NOTHING


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": ["integer"], "minimum": 3, "multipleOf": 2}, 4),
        ({"type": ["integer"], "exclusiveMaximum": -2}, -3),
        ({"type": ["string"], "minLength": 3}, "aaa"),
        ({"type": ["string"], "format": "date-time"}, "2000-01-01T00:00:00Z"),
        ({"type": ["string", "null"], "enum": ["x", None]}, "x"),
        ({"type": ["array"], "items": {"type": ["boolean"]}, "minItems": 2}, [False, False]),
        (SCHEMAS["object"], {"id": 0}),
        (linked_list(), {"value": 0}),
        (pets(), {"petType": "cat", "lives": 1}),
    ],
)
def test_minimal_instance_is_small(schema, expected):
    assert minimal_instance(schema) == expected


def test_minimal_instance_respects_context():
    schema = SCHEMAS["read-write-only"]
    assert minimal_instance(schema, context="request") == {"secret": "", "name": ""}
    assert minimal_instance(schema, context="response") == {"id": 0, "name": ""}


def test_embed_places_a_witness_deep_inside():
    schema = tree()
    value = embed(schema, ["children", 1, "name"], "toolong")
    assert value == {"name": "", "children": [{"name": ""}, {"name": "toolong"}]}
    assert embed(schema, ["children", 0, "name"], "ok") == {"name": "", "children": [{"name": "ok"}]}


def test_embed_without_witness_is_a_valid_instance_reaching_the_path():
    schema = SCHEMAS["object"]
    value = embed(schema, ["tags", 0])
    assert value == {"id": 0, "tags": [""]}
    assert is_valid(schema, value)


def test_embed_missing_leaves_the_place_absent():
    schema = {
        "type": ["object"],
        "properties": {"a": {"type": ["string"]}, "b": {"type": ["integer"]}},
        "required": ["a", "b"],
    }
    assert embed(schema, ["b"], missing=True) == {"a": ""}
    nested = {"type": ["object"], "properties": {"inner": schema}, "required": ["inner"]}
    assert embed(nested, ["inner", "a"], missing=True) == {"inner": {"b": 0}}


def test_embed_follows_branches_that_host_the_path():
    schema = {"anyOf": [{"type": ["null"]}, {"type": ["object"], "properties": {"x": {"type": ["integer"]}}}]}
    assert embed(schema, ["x"], 5) == {"x": 5}
    value = embed(linked_list(), ["next", "next", "value"], -1)
    assert value == {"value": 0, "next": {"value": 0, "next": {"value": -1}}}
    deep = embed(linked_list(), ["next"] * 5 + ["value"], 7)
    assert deep["next"]["next"]["next"]["next"]["next"] == {"value": 7}
    assert is_valid(linked_list(), deep)
    assert embed(SCHEMAS["all-of"], ["extra"], True) == {"id": 10, "extra": True}
    assert embed(pets(), ["bark"], True) == {"petType": "dog", "bark": True}


def test_embed_prefers_a_result_the_schema_accepts():
    schema = {
        "oneOf": [
            {"type": ["object"], "properties": {"k": {"const": "a"}, "v": {"type": ["integer"]}}, "required": ["k"]},
            {"type": ["object"], "properties": {"k": {"const": "b"}, "v": {"type": ["string"]}}, "required": ["k"]},
        ]
    }
    value = embed(schema, ["v"], "text")
    assert value == {"k": "b", "v": "text"}
    assert accepts(schema, value)


def test_embed_in_pattern_and_additional_properties():
    assert embed(SCHEMAS["map"], ["anything"], 3) == {"anything": 3}
    assert embed(SCHEMAS["pattern-properties"], ["x-id"], "v") == {"x-id": "v"}


def test_embed_cannot_host_the_path():
    assert embed({"type": ["integer"]}, ["a"], 1) is NOTHING
    assert embed({"type": ["object"], "properties": {"a": {"type": ["integer"]}}}, [0], 1) is NOTHING
    assert embed(False, ["a"], 1) is NOTHING


def test_embed_takes_the_first_hosting_branch_only_when_the_whole_value_is_accepted():
    """The quick embedding passes unions unchecked and keeps its value only when the whole schema accepts it; else the
    value is built again checking every union level, so the branch that accepts the witness is found."""
    from pytest_cdcompat.kinds.schema.generate.minimal import embed

    a = {"type": "object", "properties": {"x": {"type": "integer"}, "a": {"const": 1}}, "required": ["x", "a"]}
    b = {"type": "object", "properties": {"x": {"type": "string"}, "b": {"const": 2}}, "required": ["x", "b"]}
    schema = {"type": "object", "properties": {"item": {"oneOf": [a, b]}}}
    assert embed(schema, ["item", "x"], 5) == {"item": {"x": 5, "a": 1}}  # the first branch: accepted as it is
    assert embed(schema, ["item", "x"], "s") == {"item": {"x": "s", "b": 2}}  # built again: the second branch
