"""A union branch is paired by what it can be: a branch with no ``type`` of its own is typed by its ``allOf``
members, so a new integer variant next to an ``allOf`` chain of objects is one added variant, not a change of
every member's type and required names."""

from __future__ import annotations

import json

import jsonschema

from pytest_cdcompat import Direction, compare

OLD = Direction.OLD_CONSUMER_NEW_PRODUCER  # new producer writes, old consumers read
NEW = Direction.NEW_CONSUMER_OLD_PRODUCER
S = "https://json-schema.org/draft/2020-12/schema"
DEFS = {
    "B0": {"type": "object", "properties": {"l0": {"type": "string"}}, "required": ["l0"]},
    "B1": {"allOf": [{"$ref": "#/$defs/B0"}, {"type": "object", "properties": {"l1": {"type": "string"}}}]},
    "B2": {"allOf": [{"$ref": "#/$defs/B1"}, {"type": "object", "required": ["l1"]}]},
}


def doc(*extra):
    branches = [{"type": "string"}, {"$ref": "#/$defs/B2"}, *extra]
    return {"$schema": S, "$defs": DEFS, "type": "object", "properties": {"payload": {"oneOf": branches}}}


def run(tmp_path, old, new):
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    return compare(tmp_path / "old.json", tmp_path / "new.json", seed=1, examples=0)


def test_a_new_integer_variant_beside_an_allof_chain_is_one_added_variant(tmp_path):
    report = run(tmp_path, doc(), doc({"type": "integer", "minimum": 3}))
    (f,) = report.directions[OLD].findings
    assert (f.rule, f.severity.value, f.location) == ("variant-added", "error", "/properties/payload/oneOf/2")
    assert "variant #2 was added (oneOf)" in f.message
    assert f.counterexample == {"payload": 3}
    assert not jsonschema.Draft202012Validator(doc()).is_valid(f.counterexample)
    assert report.directions[NEW].findings == ()


def test_removing_it_again_breaks_the_other_direction_only(tmp_path):
    report = run(tmp_path, doc({"type": "integer", "minimum": 3}), doc())
    assert report.directions[OLD].findings == ()
    (f,) = report.directions[NEW].findings
    assert (f.rule, f.location) == ("variant-removed", "/properties/payload/oneOf/2")
    assert f.counterexample == {"payload": 3}


def test_an_allof_branch_still_pairs_with_an_object_variant(tmp_path):
    # the object variant gains a required name inside the chain: a real change, found at the member
    b2 = {"allOf": [{"$ref": "#/$defs/B1"}, {"type": "object", "required": ["l1", "l2"]}]}
    new = {**doc(), "$defs": {**DEFS, "B2": b2}}
    report = run(tmp_path, doc(), new)
    rules = {(f.rule, f.location) for f in report.directions[NEW].findings}
    assert ("required-property-added", "/properties/payload/oneOf/1/allOf/1/required") in rules
    assert all(f.rule != "type-changed" for d in report.directions.values() for f in d.findings)
