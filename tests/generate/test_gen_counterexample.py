"""Counterexamples are writer-valid, reader-invalid, shrunk and reproducible; compatible pairs give none."""

from __future__ import annotations

import pytest
from gen_schemas import linked_list

from pytest_cdcompat.kinds.schema.generate import canonical_json, find_counterexample, is_valid, search_at


def obj(props, required=(), **extra):
    return {"type": ["object"], "properties": props, "required": list(required), **extra}


STR = {"type": ["string"]}
INT = {"type": ["integer"]}

INCOMPATIBLE = {
    "enum-value-removed": (
        obj({"s": {"type": ["string"], "enum": ["a", "b", "c"]}}, ["s"]),
        obj({"s": {"type": ["string"], "enum": ["a", "b"]}}, ["s"]),
    ),
    "max-length-decreased": (
        obj({"n": {"type": ["string"], "maxLength": 10}}),
        obj({"n": {"type": ["string"], "maxLength": 3}}),
    ),
    "required-added": (obj({"a": STR, "b": STR}, ["a"]), obj({"a": STR, "b": STR}, ["a", "b"])),
    "type-narrowed": (obj({"v": {"type": ["integer", "string"]}}, ["v"]), obj({"v": INT}, ["v"])),
    "nullable-removed": (obj({"v": {"type": ["integer", "null"]}}, ["v"]), obj({"v": INT}, ["v"])),
    "maximum-decreased": ({"type": ["integer"], "maximum": 100}, {"type": ["integer"], "maximum": 50}),
    "min-items-increased": ({"type": ["array"], "items": INT}, {"type": ["array"], "items": INT, "minItems": 2}),
    "pattern-added": (STR, {"type": ["string"], "pattern": "^[a-z]+$"}),
    "format-added": (STR, {"type": ["string"], "format": "date"}),
    "one-of-branch-removed": ({"oneOf": [INT, STR]}, {"oneOf": [INT]}),
    "recursive-field-narrowed": (
        linked_list(),
        {**linked_list(), "properties": {**linked_list()["properties"], "value": {"type": ["integer"], "minimum": 0}}},
    ),
}

COMPATIBLE = {
    "identical": (obj({"a": STR, "b": INT}, ["a"]), obj({"a": STR, "b": INT}, ["a"])),
    "enum-value-added": ({"enum": ["a", "b"]}, {"enum": ["a", "b", "c"]}),
    "max-length-increased": ({"type": ["string"], "maxLength": 3}, {"type": ["string"], "maxLength": 10}),
    "required-removed": (obj({"a": STR}, ["a"]), obj({"a": STR})),
    "type-widened": (INT, {"type": ["integer", "null", "string"]}),
    "optional-property-added-open": (obj({"a": STR}), obj({"a": STR, "b": INT})),
    "closed-reader-tolerant": (obj({"a": STR}), obj({"a": STR}, additionalProperties=False)),
    "recursive-identical": (linked_list(), linked_list()),
}


@pytest.mark.parametrize("name", sorted(INCOMPATIBLE))
def test_counterexample_is_writer_valid_and_reader_invalid(name):
    writer, reader = INCOMPATIBLE[name]
    found = find_counterexample(writer, reader, seed=1)
    assert found is not None, name
    assert is_valid(writer, found.value)
    assert not is_valid(reader, found.value)
    assert found.reader_errors


@pytest.mark.parametrize("name", sorted(COMPATIBLE))
def test_compatible_pairs_have_no_counterexample(name):
    writer, reader = COMPATIBLE[name]
    assert find_counterexample(writer, reader, seed=1) is None


def test_closed_reader_breaks_only_in_strict_mode():
    writer, reader = obj({"a": STR}), obj({"a": STR}, additionalProperties=False)
    assert find_counterexample(writer, reader) is None
    found = find_counterexample(writer, reader, strict=True)
    assert found is not None
    assert set(found.value) - {"a"}
    assert "Additional properties" in found.reader_errors[0][1]


def test_counterexamples_are_shrunk():
    writer, reader = INCOMPATIBLE["max-length-decreased"]
    found = find_counterexample(writer, reader)
    assert found.value == {"n": "0000"}  # the shortest too-long string, the only property present
    writer, reader = INCOMPATIBLE["maximum-decreased"]
    assert find_counterexample(writer, reader).value == 51
    writer, reader = INCOMPATIBLE["required-added"]
    assert find_counterexample(writer, reader).value == {"a": ""}
    assert find_counterexample(writer, reader).reader_errors == (((), "'b' is a required property"),)


@pytest.mark.parametrize("name", ["enum-value-removed", "type-narrowed", "recursive-field-narrowed"])
def test_same_seed_same_counterexample(name):
    writer, reader = INCOMPATIBLE[name]
    for seed in (0, 7):
        first = find_counterexample(writer, reader, seed=seed)
        second = find_counterexample(writer, reader, seed=seed)
        assert canonical_json(first.value) == canonical_json(second.value)
        assert first.reader_errors == second.reader_errors


def test_zero_examples_turns_generation_off():
    writer, reader = INCOMPATIBLE["enum-value-removed"]
    assert find_counterexample(writer, reader, examples=0) is None
    assert search_at(writer, reader, ["s"], examples=0) is None


def test_unsatisfiable_writer_has_no_counterexample():
    assert find_counterexample(False, INT) is None
    assert find_counterexample({"type": ["integer"], "minimum": 3, "maximum": 1}, False) is None


def test_search_at_counts_only_errors_at_the_path():
    writer = obj({"a": {"type": ["string"], "maxLength": 9}, "b": {"type": ["integer"], "maximum": 9}}, ["a", "b"])
    reader = obj({"a": {"type": ["string"], "maxLength": 2}, "b": {"type": ["integer"], "maximum": 2}}, ["a", "b"])
    at_b = search_at(writer, reader, ["b"])
    assert at_b is not None
    assert at_b.value["b"] > 2
    assert all(path == ("b",) for path, _ in at_b.reader_errors)
    only_a = obj({"a": {"type": ["string"], "maxLength": 2}, "b": {"type": ["integer"], "maximum": 9}}, ["a", "b"])
    assert search_at(writer, only_a, ["b"]) is None


def test_search_at_sees_missing_properties_and_branch_causes():
    writer = obj({"a": STR, "b": STR}, ["a"])
    reader = obj({"a": STR, "b": STR}, ["a", "b"])
    found = search_at(writer, reader, ["b"])
    assert found is not None and "b" not in found.value
    writer = {"anyOf": [{"type": ["null"]}, obj({"x": INT}, ["x"])]}
    reader = {"anyOf": [{"type": ["null"]}, obj({"x": {"type": ["integer"], "minimum": 0}}, ["x"])]}
    found = search_at(writer, reader, ["x"])
    assert found is not None and found.value["x"] < 0


def test_request_context_forgives_read_only_required():
    schema = obj({"id": {"type": ["integer"], "readOnly": True}, "name": STR}, ["id", "name"])
    assert find_counterexample(schema, schema, context="request") is None


def test_a_simple_identical_pair_has_no_counterexample():
    writer, reader = COMPATIBLE["identical"]
    assert find_counterexample(writer, reader, examples=100) is None


def test_same_seed_same_counterexample_across_processes():
    import subprocess
    import sys

    script = (
        "from pytest_cdcompat.kinds.schema.generate import canonical_json, find_counterexample\n"
        "w = {'type': ['object'], 'properties': {'a': {'type': ['string'], 'maxLength': 9},"
        " 'b': {'enum': ['x', 'y', 'z']}, 'c': {'type': ['array'], 'items': {'type': ['number']}}}}\n"
        "r = {'type': ['object'], 'properties': {'a': {'type': ['string'], 'maxLength': 3},"
        " 'b': {'enum': ['x']}, 'c': {'type': ['array'], 'maxItems': 1}}}\n"
        "print(canonical_json(find_counterexample(w, r, seed=42).value))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={"PYTHONHASHSEED": str(h), "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for h in (1, 2, 3)
    }
    assert len(outputs) == 1, outputs
    assert outputs.pop().startswith("{")


def _deep(enum):
    leaf = {"type": ["object"], "properties": {"d": {"enum": enum}, "e": STR}}
    level = {"type": ["array"], "items": leaf}
    for name in ("c", "b", "a"):
        level = obj({name: level, **{f"pad{i}": STR for i in range(8)}})
    return level


@pytest.mark.parametrize("seed", range(4))
def test_search_at_reaches_deep_optional_places(seed):
    writer, reader = _deep(["x", "y", "z"]), _deep(["x"])
    found = search_at(writer, reader, ["a", "b", "c", 0, "d"], seed=seed, examples=30)
    assert found is not None
    assert found.value["a"]["b"]["c"][0]["d"] in ("y", "z")
    assert is_valid(writer, found.value) and not is_valid(reader, found.value)
