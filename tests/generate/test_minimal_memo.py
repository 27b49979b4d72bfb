"""Minimal values that need hypothesis (a ``pattern`` string) are drawn once per distinct schema, not once per
place that meets it; recursive schemas, which have no finite text, are drawn each time."""

from __future__ import annotations

from pytest_cdcompat.kinds.schema import canonicalise
from pytest_cdcompat.kinds.schema.generate import minimal
from pytest_cdcompat.kinds.schema.generate.validate import is_valid


def _counting(monkeypatch):
    calls = []
    draw = minimal._draw

    def counted(schema, context):
        calls.append(schema)
        return draw(schema, context)

    monkeypatch.setattr(minimal, "_draw", counted)
    monkeypatch.setattr(minimal, "_FOUND", {})
    return calls


def test_a_pattern_met_in_many_places_is_drawn_once(monkeypatch):
    calls = _counting(monkeypatch)
    values = []
    for n in range(20):  # the same property in twenty components, each with its own location
        schema = canonicalise({"type": "string", "pattern": "^r[0-9]+$", "x-cdc-loc": f"/components/schemas/R{n}/id"})
        values.append(minimal.minimal_instance(schema))
    assert len(calls) == 1
    assert len(set(values)) == 1 and is_valid({"pattern": "^r[0-9]+$"}, values[0])


def test_different_patterns_get_their_own_values(monkeypatch):
    calls = _counting(monkeypatch)
    a = minimal.minimal_instance(canonicalise({"type": "string", "pattern": "^a[0-9]$"}))
    b = minimal.minimal_instance(canonicalise({"type": "string", "pattern": "^b[0-9]$"}))
    assert len(calls) == 2 and a.startswith("a") and b.startswith("b")


def test_a_shared_node_has_no_exact_text_and_is_not_memoised():
    leaf = {"type": ["string"], "pattern": "^x$", "x-cdc-loc": "/a"}
    tree = minimal._tree_text({"type": ["object"], "properties": {"a": leaf}})
    moved = minimal._tree_text({"type": ["object"], "properties": {"a": {**leaf, "x-cdc-loc": "/b"}}})
    assert tree is not None and tree == moved  # the location is not part of what the schema says
    assert minimal._tree_text({"type": ["object"], "properties": {"a": leaf, "b": leaf}}) is None
    cyclic: dict = {"type": ["object"], "properties": {}}
    cyclic["properties"]["next"] = cyclic
    assert minimal._tree_text(cyclic) is None
