"""Overlapping ``oneOf`` branches: removing one of two overlapping branches widens what the union accepts, so the
direction where the new version writes breaks, proved by a value that matched two branches of the old reader."""

from __future__ import annotations

import json

import jsonschema
import pytest

from pytest_cdcompat import Direction, compare

OLD = Direction.OLD_CONSUMER_NEW_PRODUCER  # new producer writes, old consumers read
NEW = Direction.NEW_CONSUMER_OLD_PRODUCER
S = "https://json-schema.org/draft/2020-12/schema"
SHAPE = {"type": "object", "properties": {"email": {"type": "string"}, "phone": {"type": "string"}}}
EMAIL = {**SHAPE, "required": ["email"]}
PHONE = {**SHAPE, "required": ["phone"]}
BOTH = {**SHAPE, "required": ["email", "phone"]}  # a subset of EMAIL: the two overlap on every BOTH value


def doc(*branches):
    return {
        "$schema": S,
        "type": "object",
        "required": ["contact"],
        "properties": {"contact": {"oneOf": list(branches)}},
    }


def run(tmp_path, old, new, **kw):
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    return compare(tmp_path / "old.json", tmp_path / "new.json", seed=1, examples=30, **kw)


def matches(branch, value):
    return jsonschema.Draft202012Validator(branch).is_valid(value)


def test_removing_an_overlapping_branch_breaks_old_readers(tmp_path):
    """BOTH is a subset of EMAIL: the old union rejected values with both fields, the new one accepts them."""
    report = run(tmp_path, doc(EMAIL, BOTH), doc(EMAIL))
    (f,) = report.directions[OLD].findings
    assert (f.rule, f.severity.value) == ("oneof-overlap-removed", "error")
    assert f.location == "/properties/contact/oneOf/1"
    assert "branches #0 and #1 overlapped before" in f.message
    value = f.counterexample["contact"]
    assert matches(EMAIL, value) and matches(BOTH, value)  # matched two old branches
    assert not jsonschema.Draft202012Validator(doc(EMAIL, BOTH)).is_valid(f.counterexample)
    assert jsonschema.Draft202012Validator(doc(EMAIL)).is_valid(f.counterexample)
    assert "consumers first" in f.advice
    assert report.directions[NEW].findings == ()


def test_adding_an_overlapping_branch_breaks_new_readers(tmp_path):
    report = run(tmp_path, doc(EMAIL), doc(EMAIL, BOTH))
    (f,) = report.directions[NEW].findings
    assert (f.rule, f.location) == ("oneof-overlap-added", "/properties/contact/oneOf/1")
    assert "now overlap" in f.message
    value = f.counterexample["contact"]
    assert matches(EMAIL, value) and matches(BOTH, value)
    assert report.directions[OLD].findings == ()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (doc({"type": "string"}, {"type": "integer"}), doc({"type": "string"})),  # disjoint branch removed
        (doc(EMAIL, PHONE), doc(PHONE, EMAIL)),  # reordered
        (
            doc(
                {**EMAIL, "additionalProperties": False, "properties": {"email": {"type": "string"}}},
                {**PHONE, "additionalProperties": False, "properties": {"phone": {"type": "string"}}},
            ),
            doc({**EMAIL, "additionalProperties": False, "properties": {"email": {"type": "string"}}}),
        ),  # exclusive
    ],
)
def test_no_overlap_no_finding(tmp_path, old, new):
    for a, b in ((old, new), (new, old)):
        report = run(tmp_path, a, b)
        assert not [f for r in report.directions.values() for f in r.findings if f.rule.startswith("oneof-overlap")]


def test_an_overlap_the_writer_itself_excludes_is_no_finding(tmp_path):
    """The writer keeps the same overlapping oneOf and only a third, disjoint branch goes: values in the overlap are
    rejected by the writer too, so nothing it sends matches two reader branches."""
    s, s5 = {"type": "string"}, {"type": "string", "maxLength": 5}
    report = run(tmp_path, doc(s, s5, {"type": "integer"}), doc(s, s5))
    assert [f.rule for f in report.directions[OLD].findings] == []
    assert [f.rule for f in report.directions[NEW].findings] == ["variant-removed"]  # old writers' integers


def tagged(tag_values, **extra):
    kind = {"enum": list(tag_values)}
    return {"type": "object", "properties": {"kind": kind, **extra}, "required": ["kind"]}


def test_branches_whose_required_tags_share_a_value_still_overlap(tmp_path):
    # the tag lists are not disjoint ("b" is on both): a value tagged "b" matches both new branches
    old = doc(tagged(["a"]), tagged(["c"]))
    new = doc(tagged(["a", "b"]), tagged(["b", "c"]))
    report = run(tmp_path, old, new)
    rules = [f.rule for d in report.directions.values() for f in d.findings]
    assert "oneof-overlap-added" not in rules  # old writers never send "b"
    report = run(tmp_path, doc(tagged(["a", "b"]), tagged(["c"])), new)
    (f,) = [f for f in report.directions[NEW].findings if f.rule == "oneof-overlap-added"]
    assert f.counterexample["contact"]["kind"] == "b"
    assert matches(tagged(["a", "b"]), f.counterexample["contact"]) and matches(
        tagged(["b", "c"]), f.counterexample["contact"]
    )


@pytest.mark.parametrize(
    "branches",
    [
        ({"type": "string"}, {"type": "object"}),  # disjoint types
        ({"type": "integer"}, {"allOf": [{"type": "object"}, {"required": ["x"]}]}),  # typed by its members
        (tagged(["a"]), tagged(["b"])),  # disjoint required tags
    ],
)
def test_branches_that_cannot_overlap_give_no_overlap_finding(tmp_path, branches):
    old, new = doc(*branches), doc(*branches, {"type": "boolean"})
    report = run(tmp_path, old, new)
    assert all(f.rule.startswith("oneof-overlap") is False for d in report.directions.values() for f in d.findings)
