"""Reading Pact files of specification v1.1, v2, v3 and v4 into one model, and refusing what we cannot read."""

from __future__ import annotations

import json

import pytest

from pytest_cdcompat.pact import PactError
from pytest_cdcompat.pact.pact_model import NO_BODY, load_pact, parse_path

V2 = {
    "consumer": {"name": "shop-web"},
    "provider": {"name": "things-api"},
    "interactions": [
        {
            "description": "a thing",
            "providerState": "thing t-1 exists",
            "request": {"method": "get", "path": "/things/t-1", "query": "limit=2&tag=a&tag=b"},
            "response": {
                "status": 200,
                "headers": {"Content-Type": "application/json; charset=utf-8"},
                "body": {"id": "t-1", "tags": ["a"]},
                "matchingRules": {"$.body.id": {"match": "regex", "regex": "t-\\d+"}, "$.body.tags": {"min": 1}},
            },
        }
    ],
    "metadata": {"pactSpecification": {"version": "2.0.0"}},
}
V3_RULES = {"body": {"$.id": {"matchers": [{"match": "regex", "regex": "t-\\d+"}], "combine": "AND"},
                     "$.tags": {"matchers": [{"match": "type", "min": 1}]}}}  # fmt: skip


def _v3() -> dict:
    doc = json.loads(json.dumps(V2))
    inter = doc["interactions"][0]
    del inter["providerState"]
    inter["providerStates"] = [{"name": "thing t-1 exists", "params": {"id": "t-1"}}]
    inter["request"]["query"] = {"limit": ["2"], "tag": ["a", "b"]}
    inter["response"]["matchingRules"] = V3_RULES
    doc["metadata"] = {"pactSpecification": {"version": "3.0.0"}}
    return doc


def _v4() -> dict:
    doc = _v3()
    inter = doc["interactions"][0]
    inter["type"] = "Synchronous/HTTP"
    inter["response"]["body"] = {"content": {"id": "t-1", "tags": ["a"]}, "contentType": "application/json",
                                 "encoded": False}  # fmt: skip
    doc["interactions"].append({"type": "Asynchronous/Messages", "description": "thing created", "contents": {}})
    doc["metadata"] = {"pactSpecification": {"version": "4.0"}}
    return doc


@pytest.mark.parametrize("make", [lambda: V2, _v3, _v4], ids=["v2", "v3", "v4"])
def test_every_version_reads_into_the_same_model(tmp_path, make):
    path = tmp_path / "pact.json"
    path.write_text(json.dumps(make()))
    pact = load_pact(path)
    assert (pact.consumer, pact.provider) == ("shop-web", "things-api")
    [inter] = pact.interactions
    assert inter.label == "'a thing' (given 'thing t-1 exists')"
    assert (inter.request.method, inter.request.path) == ("GET", "/things/t-1")
    assert inter.request.query == {"limit": ["2"], "tag": ["a", "b"]}
    assert inter.request.body is NO_BODY
    assert inter.response.status == 200
    assert inter.response.body == {"id": "t-1", "tags": ["a"]}
    rules = {r.path: [(m.match, m.params) for m in r.matchers] for r in inter.response.rules["body"]}
    assert rules == {("id",): [("regex", {"regex": "t-\\d+"})], ("tags",): [("type", {"min": 1})]}
    if pact.version == "4":
        assert pact.notes and "Asynchronous/Messages interaction: not checked" in pact.notes[0]


def test_rule_paths():
    assert parse_path("$.items[*].sku", "p", "") == ("items", "*", "sku")
    assert parse_path("$['odd key'][0]", "p", "") == ("odd key", 0)
    assert parse_path("$.body.a.*", "p", "") == ("body", "a", "*")
    with pytest.raises(PactError, match=r"cannot read the matching rule path '\$\.a\[x\]'"):
        parse_path("$.a[x]", "p.json", "/x")


def test_not_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"consumer": {"name": "a"},\n  "provider": oops}')
    with pytest.raises(PactError) as e:
        load_pact(path)
    assert str(e.value) == f"{path}:2:15: not JSON: Expecting value"


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ({"pactSpecification": {"version": "5.0.0"}}, "Pact specification version '5.0.0' is not one we know"),
        ({}, "no Pact specification version (metadata.pactSpecification.version)"),
    ],
)
def test_unknown_or_missing_version(tmp_path, metadata, message):
    doc = {**V2, "metadata": metadata}
    path = tmp_path / "pact.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(PactError) as e:
        load_pact(path)
    assert message in str(e.value) and str(path) in str(e.value)


def test_not_a_pact(tmp_path):
    path = tmp_path / "pact.json"
    path.write_text('{"openapi": "3.1.0"}')
    with pytest.raises(PactError, match="not a Pact file: expected an object with 'consumer', 'provider'"):
        load_pact(path)


def test_missing_file(tmp_path):
    with pytest.raises(PactError, match="Pact file not found"):
        load_pact(tmp_path / "nope.json")
