"""``--strict`` (set semantics): every property name a writer may send as an extra meets what the reader declares
for it (``properties``, ``patternProperties``, ``dependentSchemas``, ``dependentRequired``/``dependencies``), and the
generator emits the reader's names as extras, so each break is an error with a counterexample. In the tolerant
default an open writer sends only what it declares: no finding; a declared map is compared in both modes."""

from __future__ import annotations

import json

import jsonschema
import pytest

from pytest_cdcompat import Direction, compare
from pytest_cdcompat.kinds.schema.canonical import canonicalise
from pytest_cdcompat.kinds.schema.generate.counterexample import find_counterexample

OLD = Direction.OLD_CONSUMER_NEW_PRODUCER  # the new version writes (a JSON Schema is written by the producer)
NEW = Direction.NEW_CONSUMER_OLD_PRODUCER  # the old version writes
D = "https://json-schema.org/draft/2020-12/schema"
ID = {"id": {"type": "string"}}
OPEN = {"type": "object", "properties": ID}
MAP = {"type": "object", "properties": ID, "additionalProperties": {"type": "integer"}}
UNEVALUATED = {"type": "object", "properties": ID, "unevaluatedProperties": {"type": "integer"}}
DECLARES = {"type": "object", "properties": {**ID, "note": {"type": "string"}}}
PATTERN = {"type": "object", "properties": ID, "patternProperties": {"^x-": {"type": "string"}}}
DEPENDENT = {"type": "object", "properties": ID, "dependentSchemas": {"flag": {"required": ["reason"]}}}
DEPENDENCIES_07 = {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "properties": ID,
                   "dependencies": {"flag": ["reason"]}}  # fmt: skip


def run(tmp_path, old, new, strict):
    for name, doc in (("old", old), ("new", new)):
        (tmp_path / f"{name}.json").write_text(json.dumps({"$schema": D, **doc}))
    return compare(tmp_path / "old.json", tmp_path / "new.json", seed=1, examples=50, strict=strict)


def only(report, direction):
    assert report.directions[OLD if direction is NEW else NEW].findings == ()
    (f,) = report.directions[direction].findings
    assert f.severity.value == "error" and f.counterexample is not None
    return f


def proved(f, writer, reader):
    """The counterexample really is sent by the writer (as an extra) and rejected by the reader."""
    assert jsonschema.validate(f.counterexample, {"$schema": D, **writer}) is None
    assert not jsonschema.Draft202012Validator({"$schema": D, **reader}).is_valid(f.counterexample) or (
        "$schema" in reader and not jsonschema.Draft7Validator(reader).is_valid(f.counterexample)
    )


@pytest.mark.parametrize(
    ("old", "new", "direction", "rule", "location", "name"),
    [
        # the reader declares `note`; the open old writer may send any value under it
        (OPEN, DECLARES, NEW, "type-narrowed", "/properties/note/type", "note"),
        (DECLARES, OPEN, OLD, "type-widened", "/properties/note/type", "note"),
        (OPEN, PATTERN, NEW, "type-narrowed", "/patternProperties/^x-/type", "x-a"),
        (PATTERN, OPEN, OLD, "type-widened", "/patternProperties/^x-/type", "x-a"),
        (OPEN, DEPENDENT, NEW, "dependent-schema-added", "/dependentSchemas/flag", "flag"),
        (DEPENDENT, OPEN, OLD, "dependent-schema-removed", "/dependentSchemas/flag", "flag"),
        (OPEN, DEPENDENCIES_07, NEW, "dependent-required-added", "/dependentRequired/flag", "flag"),
    ],
)
def test_an_extra_the_open_writer_may_send_meets_the_reader(tmp_path, old, new, direction, rule, location, name):
    report = run(tmp_path, old, new, strict=True)
    assert report.semantics == "strict"
    f = only(report, direction)
    assert (f.rule, f.location) == (rule, location)
    assert name in f.counterexample and name not in (OPEN["properties"])
    writer, reader = (new, old) if direction is OLD else (old, new)
    proved(f, writer, reader)
    # tolerant: an open writer sends only what it declares
    tolerant = run(tmp_path, old, new, strict=False)
    assert [f for r in tolerant.directions.values() for f in r.findings if f.severity.value == "error"] == []


@pytest.mark.parametrize("writer", [MAP, UNEVALUATED])
def test_a_writer_map_meets_a_declared_property_in_both_modes(tmp_path, writer):
    """A map of integers may send `note: 0`, which a reader declaring `note` as a string rejects; and the other way
    the new writer's string `note` is an entry the old map reader wants as an integer."""
    for strict in (False, True):
        report = run(tmp_path, writer, DECLARES, strict=strict)
        (n,) = report.directions[NEW].findings
        assert (n.rule, n.location, n.counterexample) == ("type-changed", "/properties/note/type", {"note": 0})
        assert "integer value sent by old writers is rejected" in n.message
        (o,) = report.directions[OLD].findings
        assert (o.rule, o.counterexample) == ("type-changed", {"note": ""})


def test_a_closed_writer_sends_no_extras(tmp_path):
    closed = {**OPEN, "additionalProperties": False}
    for reader in (DECLARES, PATTERN, DEPENDENT):
        report = run(tmp_path, closed, reader, strict=True)
        assert report.directions[NEW].findings == (), reader


def test_the_generator_emits_the_readers_names_as_extras():
    """Random names never hit `flag`; the generator draws the names the reader declares, in strict mode only."""
    writer = canonicalise(OPEN, D)
    reader = canonicalise(DEPENDENT, D)
    found = find_counterexample(writer, reader, examples=50, seed=1, strict=True)
    assert found is not None and "flag" in found.value and "reason" not in found.value
    assert found.reader_errors == (((), "'reason' is a required property"),)
    assert find_counterexample(writer, reader, examples=50, seed=1, strict=False) is None
    pattern = find_counterexample(writer, canonicalise(PATTERN, D), examples=50, seed=1, strict=True)
    assert pattern is not None and any(k.startswith("x-") for k in pattern.value)
