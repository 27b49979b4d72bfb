"""A rule's witness is placed constructively before any search: along the union branch the claim is about, and as
the writer node's own minimal value when the rule's sample breaks the writer's other keywords."""

from __future__ import annotations

import json

import jsonschema

from pytest_cdcompat import Direction, compare

OLD = Direction.OLD_CONSUMER_NEW_PRODUCER  # the new version writes
S = "https://json-schema.org/draft/2020-12/schema"


def doc(payload_b: dict[str, object]) -> dict[str, object]:
    a_payload = {"type": ["integer", "object"]}  # takes the witness too, so only the claim's branch shows the break
    a = {"type": "object", "properties": {"kind": {"const": "a"}, "payload": a_payload}, "required": ["kind"]}
    b = {"type": "object", "properties": {"kind": {"const": "b"}, "payload": payload_b}, "required": ["kind"]}
    return {"$schema": S, "type": "object", "properties": {"events": {"type": "array", "items": {"oneOf": [a, b]}}}}


def test_witness_lands_in_the_claims_branch_with_the_writers_own_value(tmp_path):
    old, new = doc({"type": "string"}), doc({"type": "integer", "minimum": 5})
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    report = compare(tmp_path / "old.json", tmp_path / "new.json", seed=1, examples=0)  # no search at all
    (f,) = report.directions[OLD].findings
    assert (f.rule, f.location) == ("type-changed", "/properties/events/items/oneOf/1/properties/payload/type")
    # the rule's sample of an integer is 0, which ``minimum: 5`` rejects, and the first branch with a payload is
    # ``a``, whose readers take an integer: the value is built in branch ``b`` with the writer's own minimal integer
    assert f.counterexample == {"events": [{"kind": "b", "payload": 5}]}
    assert jsonschema.Draft202012Validator(new).is_valid(f.counterexample)
    assert not jsonschema.Draft202012Validator(old).is_valid(f.counterexample)


def union_doc(extra_a: list[dict[str, object]], extra_b: list[dict[str, object]]) -> dict[str, object]:
    def event(kind: str, extra: list[dict[str, object]]) -> dict[str, object]:
        payload = {"oneOf": [{"type": "string"}, *extra]}
        return {"type": "object", "properties": {"kind": {"const": kind}, "payload": payload}, "required": ["kind"]}

    items = {"oneOf": [event("a", extra_a), event("b", extra_b)]}
    return {"$schema": S, "type": "object", "properties": {"events": {"type": "array", "items": items}}}


def test_a_counterexample_is_a_value_of_the_branch_the_claim_is_about(tmp_path):
    # ``a`` gains two overlapping integer variants: any integer of the second (>= 11) also matches the first, so
    # ``a`` can never send one; ``b`` gains one from 7. The integer 11 sent as a ``b`` event is a real break, but
    # it shows ``b``'s variant, not ``a``'s: it must not be the counterexample of ``a``'s claim.
    old = union_doc([], [])
    new = union_doc(
        [{"type": "integer", "minimum": 3}, {"type": "integer", "minimum": 11}], [{"type": "integer", "minimum": 7}]
    )
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    report = compare(tmp_path / "old.json", tmp_path / "new.json", seed=1, examples=50)
    found = {f.location: f for f in report.directions[OLD].findings if f.rule == "variant-added"}
    base = "/properties/events/items/oneOf"
    assert sorted(found) == [
        f"{base}/0/properties/payload/oneOf/1",
        f"{base}/0/properties/payload/oneOf/2",
        f"{base}/1/properties/payload/oneOf/1",
    ]
    assert found[f"{base}/0/properties/payload/oneOf/1"].counterexample == {"events": [{"kind": "a", "payload": 3}]}
    assert found[f"{base}/1/properties/payload/oneOf/1"].counterexample == {"events": [{"kind": "b", "payload": 7}]}
    unreachable = found[f"{base}/0/properties/payload/oneOf/2"]
    assert unreachable.severity.value == "warning" and unreachable.counterexample is None
    assert "not demonstrated" in unreachable.message


def test_passes_through_follows_the_branches_the_value_matches():
    from pytest_cdcompat.kinds.schema.generate.validate import passes_through

    eleven = {"type": "integer", "minimum": 11}
    a = {"type": "object", "properties": {"kind": {"const": "a"}, "payload": {"oneOf": [{"type": "string"}, eleven]}}}
    b = {"type": "object", "properties": {"kind": {"const": "b"}, "payload": {"type": "integer"}}}
    schema = {"type": "array", "items": {"anyOf": [a, b]}}
    assert passes_through(schema, [{"kind": "a", "payload": 11}], eleven, [0, "payload"])
    assert not passes_through(schema, [{"kind": "b", "payload": 11}], eleven, [0, "payload"])  # another branch
    assert not passes_through(schema, [{"kind": "a", "payload": "x"}], eleven, [0, "payload"])  # another variant
    assert not passes_through(schema, [{"kind": "a"}], eleven, [0, "payload"])  # nothing at the place
    # a node the walk cannot reach along the path claims nothing
    assert passes_through(schema, [{"kind": "b", "payload": 11}], {"type": "integer"}, [0, "other"])
    # ``if``/``then``/``else`` as ``if`` decides
    cond = {"if": {"properties": {"kind": {"const": "a"}}}, "then": {"properties": {"n": eleven}}, "else": b}
    assert passes_through(cond, {"kind": "a", "n": 11}, eleven, ["n"])
    assert not passes_through(cond, {"kind": "c", "n": 11}, eleven, ["n"])


def test_a_branch_is_told_by_its_own_keywords_not_by_validating_every_level():
    from pytest_cdcompat.kinds.schema.generate.validate import passes_through

    # the branch ``deep`` requires a nested field the value lacks deeper down, but its own keywords (its tag) say it
    # is the branch the item took: it governs the place; a value whose tag names the other branch does not pass
    leaf = {"type": "string", "maxLength": 3}
    deep = {
        "type": "object",
        "properties": {"kind": {"const": "d"}, "note": leaf, "more": {"required": ["x"]}},
        "required": ["kind"],
    }
    other = {"type": "object", "properties": {"kind": {"const": "o"}, "note": {"type": "string"}}}
    schema = {"type": "array", "items": {"oneOf": [deep, other]}}
    assert passes_through(schema, [{"kind": "d", "note": "abcd", "more": {}}], leaf, [0, "note"])
    assert not passes_through(schema, [{"kind": "o", "note": "abcd"}], leaf, [0, "note"])
    bounded = {"type": "integer", "minimum": 11}
    assert not passes_through({"anyOf": [{"type": "integer", "minimum": 3}, bounded]}, 5, bounded, [])
    assert passes_through({"anyOf": [{"type": "integer", "minimum": 3}, bounded]}, 12, bounded, [])
    one = {"const": 1}
    assert not passes_through({"oneOf": [{"type": "boolean"}, one]}, True, one, [])  # true is not 1 in JSON


def test_a_branch_every_value_of_which_another_branch_takes_is_not_searched(tmp_path, monkeypatch):
    import pytest_cdcompat.kinds.schema.generate.counterexample as counterexample

    searched: list[object] = []
    real = counterexample.search_at

    def spy(*args, **kwargs):
        searched.append(args[2])
        return real(*args, **kwargs)

    monkeypatch.setattr(counterexample, "search_at", spy)
    old = union_doc([], [])
    new = union_doc([{"type": "integer", "minimum": 3}, {"type": "integer", "minimum": 11}], [])
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    report = compare(tmp_path / "old.json", tmp_path / "new.json", seed=1, examples=50)
    found = {f.location: f for f in report.directions[OLD].findings if f.rule == "variant-added"}
    shadowed = found["/properties/events/items/oneOf/0/properties/payload/oneOf/2"]
    assert shadowed.severity.value == "warning" and shadowed.counterexample is None
    assert searched == []  # from 11 up, every integer is also one from 3: no value to search for
    shown = found["/properties/events/items/oneOf/0/properties/payload/oneOf/1"]
    assert shown.counterexample == {"events": [{"kind": "a", "payload": 3}]}
