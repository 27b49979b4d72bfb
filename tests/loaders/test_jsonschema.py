from __future__ import annotations

import pytest

from pytest_cdcompat.core.errors import ContractLoadError
from pytest_cdcompat.core.model import Party
from pytest_cdcompat.kinds.schema import structural_hash

DRAFTS = {
    "04": "http://json-schema.org/draft-04/schema#",
    "06": "http://json-schema.org/draft-06/schema#",
    "07": "http://json-schema.org/draft-07/schema#",
    "2019-09": "https://json-schema.org/draft/2019-09/schema",
    "2020-12": "https://json-schema.org/draft/2020-12/schema",
}


def message_schema(contract):
    return contract.channels["message"].flows["message"].bodies["message"].schema


def test_one_message_channel(write, load_file):
    contract = load_file(write({"order.schema.json": '{"title": "Order", "type": "object"}'}), "jsonschema")
    assert contract.kind == "jsonschema" and contract.version == DRAFTS["2020-12"]
    channel = contract.channels["message"]
    assert (channel.key, channel.title, channel.location) == ("message", "Order", "")
    flow = channel.flows["message"]
    assert flow.written_by is Party.PRODUCER and flow.body_required and flow.location == ""
    slot = flow.bodies["message"]
    assert (slot.name, slot.required, slot.location) == ("message", True, "")
    assert slot.schema == {"type": ["object"], "x-cdc-loc": ""}


def test_title_defaults_to_the_file_stem(write, load_file):
    contract = load_file(write({"order.yaml": "type: object\n"}), "jsonschema")
    assert contract.channels["message"].title == "order"


@pytest.mark.parametrize("draft", ["04", "06", "07", "2019-09", "2020-12"])
def test_every_draft_loads_to_the_same_canonical_schema(write, load_file, draft):
    old_style = draft in ("04", "06", "07")
    defs = "definitions" if old_style else "$defs"
    minimum = '"minimum": 0, "exclusiveMinimum": true' if draft == "04" else '"exclusiveMinimum": 0'
    tuple_items = (
        '"items": [{"type": "string"}], "additionalItems": false'
        if draft != "2020-12"
        else '"prefixItems": [{"type": "string"}], "items": false'
    )
    deps = '"dependencies": {"a": ["b"]}' if old_style else '"dependentRequired": {"a": ["b"]}'
    text = f"""{{
      "$schema": "{DRAFTS[draft]}",
      "type": "object",
      "properties": {{
        "n": {{"type": "number", {minimum}}},
        "t": {{"type": "array", {tuple_items}}},
        "r": {{"$ref": "#/{defs}/r"}}
      }},
      {deps},
      "{defs}": {{"r": {{"type": ["string", "null"], "enum": ["x", null]}}}}
    }}"""
    schema = message_schema(load_file(write({f"s{draft}.json": text}), "jsonschema"))
    expected = {
        "type": ["object"],
        "dependentRequired": {"a": ["b"]},
        "properties": {
            "n": {"type": ["number"], "exclusiveMinimum": 0},
            "t": {"type": ["array"], "prefixItems": [{"type": ["string"]}], "items": False},
            "r": {"type": ["null", "string"], "enum": ["x", None]},
        },
    }
    assert structural_hash(schema) == structural_hash(expected)
    assert schema["properties"]["r"]["x-cdc-loc"] == f"/{defs}/r"


@pytest.mark.parametrize(
    ("text", "pointer", "message"),
    [
        ('{"type": "strnig"}', "at /type", "invalid JSON Schema"),
        ('{"properties": {"a": {"minLength": -1}}}', "at /properties/a/minLength", "invalid JSON Schema"),
        ('{"$schema": "http://example.com/unknown"}', "at /$schema", "unknown JSON Schema dialect"),
        ('{"$schema": 7}', "at /$schema", "must be a URI"),
        ("[1, 2]", "at /", "a JSON Schema is a mapping or a boolean"),
    ],
)
def test_bad_schema_is_one_clear_error(write, load_file, text, pointer, message):
    with pytest.raises(ContractLoadError) as info:
        load_file(write({"s.json": text}), "jsonschema")
    assert "s.json" in str(info.value) and pointer in str(info.value) and message in str(info.value)


def test_recursive_json_schema(write, load_file):
    schema = message_schema(
        load_file(
            write(
                {
                    "tree.json": """{
      "type": "object",
      "properties": {"children": {"type": "array", "items": {"$ref": "#"}}}
    }"""
                }
            ),
            "jsonschema",
        )
    )
    assert schema["properties"]["children"]["items"] is schema
