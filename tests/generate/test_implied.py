"""The local check that skips a counterexample search: it may say "implied" only where no search could succeed.

Each case that says ``True`` is also searched, with the generator, to show there really is nothing to find; each
``False`` case names the value that breaks the reader (found by the search), so the check never hides a break.
"""

from __future__ import annotations

import pytest

from pytest_cdcompat.kinds.schema import canonicalise
from pytest_cdcompat.kinds.schema.generate.counterexample import find_counterexample
from pytest_cdcompat.kinds.schema.hashing import Hasher
from pytest_cdcompat.kinds.schema.implied import implied

S = {"type": "string"}
OBJ = "object"

IMPLIED = [
    ("reader says nothing", {"type": "string", "maxLength": 3}, {}, "message"),
    ("same schema", {"type": "integer", "minimum": 1}, {"type": "integer", "minimum": 1}, "message"),
    ("looser bounds", {"type": "string", "minLength": 2, "maxLength": 5}, {"type": "string", "maxLength": 50}, "message"),
    ("wider type", {"type": "integer"}, {"type": ["number", "null"]}, "message"),
    ("larger enum", {"type": "string", "enum": ["a", "b"]}, {"type": "string", "enum": ["a", "b", "c"]}, "message"),
    ("fewer required", {"type": OBJ, "properties": {"a": S, "b": S}, "required": ["a", "b"]},
     {"type": OBJ, "properties": {"a": S, "b": S}, "required": ["a"]}, "message"),
    ("writer adds a property the open reader ignores", {"type": OBJ, "properties": {"a": S, "z": {"type": "integer"}}},
     {"type": OBJ, "properties": {"a": S}}, "message"),
    ("reader declares a property the closed writer never sends", {"type": OBJ, "properties": {"a": S}},
     {"type": OBJ, "properties": {"a": S, "b": {"type": "integer"}}}, "message"),
    ("a read-only required property excused by both in a request",
     {"type": OBJ, "properties": {"id": {"type": "string", "readOnly": True}}, "required": ["id"]},
     {"type": OBJ, "properties": {"id": {"type": "string", "readOnly": True}}, "required": ["id"]}, "request"),
]  # fmt: skip

NOT_IMPLIED = [
    ("tighter bound", {"type": "string"}, {"type": "string", "maxLength": 3}, "message"),
    ("lower maximum", {"type": "integer", "maximum": 10}, {"type": "integer", "maximum": 5}, "message"),
    ("narrower type", {"type": "number"}, {"type": "integer"}, "message"),
    ("smaller enum", {"type": "string", "enum": ["a", "b"]}, {"type": "string", "enum": ["a"]}, "message"),
    ("more required", {"type": OBJ, "properties": {"a": S, "b": S}, "required": ["a"]},
     {"type": OBJ, "properties": {"a": S, "b": S}, "required": ["a", "b"]}, "message"),
    ("a property both declare, narrowed", {"type": OBJ, "properties": {"a": {"type": "string"}}, "required": ["a"]},
     {"type": OBJ, "properties": {"a": {"type": "string", "maxLength": 1}}}, "message"),
    ("a closed reader meets the writer's extra property", {"type": OBJ, "properties": {"a": S, "z": S}, "required": ["z"]},
     {"type": OBJ, "properties": {"a": S}, "additionalProperties": False}, "message"),
    ("a writer map may send the reader's property", {"type": OBJ, "additionalProperties": {"type": "integer"}},
     {"type": OBJ, "properties": {"b": {"type": "string"}}}, "message"),
    ("a pattern the writer lacks", {"type": "string"}, {"type": "string", "pattern": "^a$"}, "message"),
    ("excused by the writer only", {"type": OBJ, "properties": {"id": {"type": "string", "readOnly": True}},
                                    "required": ["id"]},
     {"type": OBJ, "properties": {"id": {"type": "string"}}, "required": ["id"]}, "request"),
]  # fmt: skip


def _canon(schema):
    return canonicalise({"$schema": "https://json-schema.org/draft/2020-12/schema", **schema})


@pytest.mark.parametrize(("case", "writer", "reader", "context"), IMPLIED, ids=[c[0] for c in IMPLIED])
def test_implied_only_where_no_search_finds_a_break(case, writer, reader, context):
    w, r = _canon(writer), _canon(reader)
    assert implied(w, r, Hasher().hash, context, strict=False), case
    assert find_counterexample(w, r, examples=200, seed=3, context=context) is None


@pytest.mark.parametrize(("case", "writer", "reader", "context"), NOT_IMPLIED, ids=[c[0] for c in NOT_IMPLIED])
def test_not_implied_where_a_search_finds_a_break(case, writer, reader, context):
    w, r = _canon(writer), _canon(reader)
    assert not implied(w, r, Hasher().hash, context, strict=False), case
    found = find_counterexample(w, r, examples=200, seed=3, context=context)
    assert found is not None and found.reader_errors, case


def test_strict_mode_does_not_trust_a_closed_writer():
    w = _canon({"type": OBJ, "properties": {"a": S}})
    r = _canon({"type": OBJ, "properties": {"a": S, "b": {"type": "integer"}}})
    assert implied(w, r, Hasher().hash, "message", strict=False)
    assert not implied(w, r, Hasher().hash, "message", strict=True)
    found = find_counterexample(w, r, examples=300, seed=1, strict=True)
    assert found is not None and "b" in found.value


def test_a_writer_with_an_applicator_may_declare_more_names():
    w = _canon({"type": OBJ, "properties": {"a": S}, "anyOf": [{"properties": {"b": S}, "required": ["b"]}]})
    r = _canon({"type": OBJ, "properties": {"a": S, "b": {"type": "integer"}}})
    assert not implied(w, r, Hasher().hash, "message", strict=False)
