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
