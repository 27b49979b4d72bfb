"""Every shape fastavro accepts works in the report: empty records, ``null`` as a whole schema or a branch, unions.

Counterexamples are rendered in Avro's JSON encoding by our own walk (``avro/render.py``), checked here against
fastavro's own JSON writer wherever that writer can take the shape, and read back with fastavro's JSON reader.
"""

from __future__ import annotations

import io
import json

import pytest
from fastavro import json_writer, parse_schema

from pytest_cdcompat import Direction, Severity, compare
from pytest_cdcompat.kinds.avro.avro_schema import build
from pytest_cdcompat.kinds.avro.render import to_json
from pytest_cdcompat.report import render

OLD = Direction.OLD_CONSUMER_NEW_PRODUCER  # new writes, old reads
NEW = Direction.NEW_CONSUMER_OLD_PRODUCER  # old writes, new reads
EMPTY = {"type": "record", "name": "Ping", "fields": []}
ONE = {"type": "record", "name": "Ping", "fields": [{"name": "at", "type": "long"}]}


def errors(report, direction):
    return [f for f in report.directions[direction].findings if f.severity is Severity.ERROR]


def test_empty_record_gaining_a_required_field_is_reported_with_its_message(avro_pair, really_fails):
    old, new = avro_pair(EMPTY, ONE)
    report = compare(old, new, kind="avro", seed=2, examples=20)
    assert report.directions[OLD].compatible  # old readers ignore the new field
    (f,) = errors(report, NEW)
    assert f.rule == "avro-field-added-without-default" and f.location == "/fields/0"
    assert f.counterexample["message"] == {}
    assert really_fails(f.counterexample["message"], old, new)
    for fmt in ("text", "json", "markdown"):
        assert "avro-field-added-without-default" in render(report, fmt)


def test_empty_record_against_itself_and_with_a_defaulted_field(avro_pair):
    defaulted = {"type": "record", "name": "Ping", "fields": [{"name": "at", "type": "long", "default": 0}]}
    for old, new in ((EMPTY, EMPTY), (EMPTY, defaulted), (defaulted, EMPTY)):
        report = compare(*avro_pair(old, new), kind="avro", seed=2, examples=20)
        assert report.deploy_order == "any order", (old, new)


@pytest.mark.parametrize(("old", "new"), [("null", "string"), ("string", "null"), ("null", ["int", "string"])])
def test_null_as_a_whole_schema_is_demonstrated_both_ways(avro_pair, really_fails, old, new):
    paths = avro_pair(old, new)
    report = compare(*paths, kind="avro", seed=4, examples=20)
    for direction, (w, r) in ((OLD, paths[::-1]), (NEW, paths)):
        found = errors(report, direction)
        assert found and {f.rule for f in found} <= {"avro-type-changed", "avro-union-branch-added"}, found
        for f in found:
            assert "not demonstrated" not in f.message
            assert really_fails(f.counterexample["message"], w, r)
    (from_null,) = errors(report, NEW if old == "null" else OLD)  # null writes: the datum null is the proof
    assert from_null.counterexample["message"] is None
    assert "null is not" in from_null.counterexample["error"]


def test_null_branch_removed_from_a_union_is_demonstrated(avro_pair, really_fails):
    old = {"type": "record", "name": "R", "fields": [{"name": "note", "type": ["null", "string"], "default": None}]}
    new = {"type": "record", "name": "R", "fields": [{"name": "note", "type": "string", "default": ""}]}
    paths = avro_pair(old, new)
    report = compare(*paths, kind="avro", seed=4, examples=20)
    assert report.directions[OLD].compatible  # a string is read by the [null, string] reader
    (f,) = errors(report, NEW)
    assert f.rule == "avro-union-branch-removed" and f.counterexample["message"] == {"note": None}
    assert really_fails(f.counterexample["message"], *paths)


NAMED = {"type": "record", "name": "N", "namespace": "x", "fields": [{"name": "b", "type": "bytes"}]}
SHAPES = [
    (["null", "string", NAMED, {"type": "array", "items": "int"}], None),
    (["null", "string", NAMED, {"type": "array", "items": "int"}], "é"),
    (["null", "string", NAMED, {"type": "array", "items": "int"}], {"b": b"\x00\xff"}),
    (["null", "string", NAMED, {"type": "array", "items": "int"}], [1, 2]),
    ({"type": "map", "values": ["float", "double"]}, {"k": 1.5}),
    ({"type": "fixed", "name": "F", "size": 2}, b"\x01\x80"),
    ({"type": "enum", "name": "E", "symbols": ["A", "B"]}, "B"),
    (["int", "long"], 2**40),
]


@pytest.mark.parametrize(("schema", "datum"), SHAPES)
def test_rendering_agrees_with_fastavro_json_writer(schema, datum):
    out = io.StringIO()
    json_writer(out, parse_schema(schema), [datum])
    node, _ = build(schema, "s.avsc")
    assert to_json(datum, node) == json.loads(out.getvalue())


def test_rendering_takes_what_fastavro_json_writer_cannot():
    with pytest.raises(Exception, match="Internal Parser Exception"):
        json_writer(io.StringIO(), parse_schema(EMPTY), [{}])
    node, _ = build(EMPTY, "s.avsc")
    assert to_json({}, node) == {}
