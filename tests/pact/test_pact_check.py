"""The offline Pact check: each interaction against both versions of its provider's spec, in the right direction,
named with the consumer, the interaction and its provider state; consumer-aware static findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_cdcompat.cli import main
from tests.pact.helpers import interaction, obj, pact, spec, write

REPO = Path(__file__).resolve().parents[2]
ORDERS = REPO / "contracts" / "orders-api"
WEB_CHECKOUT = REPO / "contracts" / "pacts" / "web-checkout-orders-api.json"
OCNP, NCOP = "old_consumer_new_producer", "new_consumer_old_producer"
STR, INT = {"type": "string"}, {"type": "integer"}


def compare(capsys, old, new, *pacts, fmt="json"):
    args = ["compare", str(old), str(new), "--seed", "1", "--examples", "50", "--format", fmt]
    for p in pacts:
        args += ["--pact", str(p)]
    code = main(args)
    out, err = capsys.readouterr()
    return code, (json.loads(out) if fmt == "json" and out else out), err


def pact_findings(doc, direction):
    return [f for f in doc["directions"][direction]["findings"] if f["rule"].startswith("pact-")]


def test_the_repository_pact_breaks_at_the_contract_step(capsys):
    code, doc, _ = compare(capsys, ORDERS / "v2.yaml", ORDERS / "v3.yaml", WEB_CHECKOUT)
    assert code == 1
    [finding] = pact_findings(doc, OCNP)
    assert finding["rule"] == "pact-response-mismatch"
    assert finding["location"] == "/paths/~1orders~1{id}/get/responses/200/content/application~1json/schema"
    assert finding["message"] == (
        "consumer web-checkout, interaction 'a request for an order' (given 'order o-1 exists'): the consumer reads "
        "`customer`, which the new spec does not declare (so a response may lack it)"
    )
    assert "customer" not in finding["counterexample"]["body"] and finding["counterexample"]["status"] == 200
    assert pact_findings(doc, NCOP) == []
    static = {
        f["rule"]: f["message"] for f in doc["directions"][OCNP]["findings"] if f["location"].endswith("/required")
    }
    assert static["required-property-removed"].endswith("[affects web-checkout (1 interaction)]")


def test_the_repository_pact_passes_the_expand_step(capsys):
    _, doc, _ = compare(capsys, ORDERS / "v1.yaml", ORDERS / "v2.yaml", WEB_CHECKOUT)
    assert pact_findings(doc, OCNP) == [] and pact_findings(doc, NCOP) == []


def test_text_report_names_the_consumers_who_must_move_first(capsys):
    _, out, _ = compare(capsys, ORDERS / "v2.yaml", ORDERS / "v3.yaml", WEB_CHECKOUT, fmt="text")
    assert "pact: web-checkout (2 interactions, Pact specification v3" in out
    assert (
        "pact: consumers that must move first (deploy them before the producer): web-checkout (GET /orders/{id})" in out
    )
    assert (
        "property 'customer_id' became required [no known consumer is affected: web-checkout (1 interaction) still passes]"
        in out
    )


def test_a_removal_no_consumer_reads_is_reported_with_no_known_consumer(tmp_path, capsys):
    old = write(tmp_path, "old.yaml", spec(obj(["id", "legacyCode"], id=STR, legacyCode=STR)))
    new = write(tmp_path, "new.yaml", spec(obj(["id"], id=STR)))
    p = write(tmp_path, "pact.json", pact(interaction({"id": "t-1"}, {"$.id": {"match": "type"}})))
    code, doc, _ = compare(capsys, old, new, p)
    assert code == 1  # still a break: unknown consumers exist
    assert pact_findings(doc, OCNP) == [] and pact_findings(doc, NCOP) == []
    [static] = [f for f in doc["directions"][OCNP]["findings"] if f["rule"] == "required-property-removed"]
    assert static["message"].endswith("[no known consumer reads `legacyCode`]")


def test_a_field_only_the_new_spec_has_breaks_new_consumers_against_the_old_producer(tmp_path, capsys):
    old = write(tmp_path, "old.yaml", spec(obj(["id"], id=STR)))
    new = write(tmp_path, "new.yaml", spec(obj(["id", "size"], id=STR, size=INT)))
    p = write(tmp_path, "pact.json", pact(interaction({"id": "t-1", "size": 3})))
    _, doc, _ = compare(capsys, old, new, p)
    assert pact_findings(doc, OCNP) == []
    [finding] = pact_findings(doc, NCOP)
    assert "the consumer reads `size`, which the old spec does not declare" in finding["message"]
    assert finding["location"] == "/paths/~1things~1{id}/get/responses/200/content/application~1json/schema"


@pytest.mark.parametrize(
    ("schema", "body", "rules", "breaks"),
    [
        (obj(["n"], n={"type": "number"}), {"n": 2}, {"$.n": {"match": "integer"}}, "is not of type 'integer'"),
        (obj(["n"], n=INT), {"n": 2}, {"$.n": {"match": "integer"}}, None),
        (obj(["s"], s={"enum": ["new", "old"]}), {"s": "new"}, {"$.s": {"match": "equality"}}, "was expected"),
        (obj(["s"], s={"const": "new"}), {"s": "new"}, {"$.s": {"match": "equality"}}, None),
        (
            obj(["s"], s={"enum": ["t-1", "x"]}),
            {"s": "t-1"},
            {"$.s": {"match": "regex", "regex": "t-\\d"}},
            "does not match",
        ),
        (
            obj(["s"], s={"type": "string", "pattern": "^t-[0-9]$"}),
            {"s": "t-1"},
            {"$.s": {"match": "regex", "regex": "t-\\d"}},
            None,
        ),
        (
            obj(["a"], a={"type": "array", "items": STR}),
            {"a": ["x"]},
            {"$.a": {"match": "type", "min": 1}},
            "should be non-empty",
        ),
        (
            obj(["a"], a={"type": "array", "items": STR, "minItems": 1}),
            {"a": ["x"]},
            {"$.a": {"match": "type", "min": 1}},
            None,
        ),
        (
            obj(["s"], s={"enum": ["ab-x", "c"]}),
            {"s": "ab-x"},
            {"$.s": {"match": "include", "value": "ab"}},
            "does not match",
        ),
        (obj(["s"], s={"enum": ["pending", "paid"]}), {"s": "pending"}, None, None),  # no rule: the type only
        (obj(["s"], s={"type": ["string", "null"]}), {"s": "x"}, None, "is not of type 'string'"),
    ],
    ids=[
        "integer-break",
        "integer-ok",
        "equality-break",
        "equality-ok",
        "regex-break",
        "regex-ok",
        "min-break",
        "min-ok",
        "include-break",
        "type-ok",
        "nullable-break",
    ],
)
def test_matching_rules_are_honoured_against_every_response_the_spec_allows(tmp_path, capsys, schema, body, rules,
                                                                             breaks):  # fmt: skip
    doc_spec = spec(schema)
    old = write(tmp_path, "old.yaml", doc_spec)
    new = write(tmp_path, "new.yaml", doc_spec)
    p = write(tmp_path, "pact.json", pact(interaction(body, rules)))
    code, doc, _ = compare(capsys, old, new, p)
    found = pact_findings(doc, OCNP)
    if breaks is None:
        assert found == [] and code == 0
    else:
        assert code == 1
        [finding] = found
        assert finding["rule"] == "pact-response-mismatch"
        assert breaks in finding["message"], finding["message"]
        assert "consumer shop-web, interaction 'a thing' (given 'thing t-1 exists')" in finding["message"]
        assert len(pact_findings(doc, NCOP)) == 1  # the same spec on both sides: both directions


def test_a_request_the_new_spec_rejects(tmp_path, capsys):
    thing = obj(["id"], id=STR)
    old = write(tmp_path, "old.yaml", spec(thing, request=obj(["name"], name=STR)))
    new = write(tmp_path, "new.yaml", spec(thing, request=obj(["name", "owner"], name=STR, owner=STR)))
    p = write(tmp_path, "pact.json", pact(interaction(None, method="POST", path="/things", status=201,
                                                      request_body={"name": "box"}, description="creating a thing")))  # fmt: skip
    _, doc, _ = compare(capsys, old, new, p)
    assert pact_findings(doc, NCOP) == []
    [finding] = pact_findings(doc, OCNP)
    assert finding["rule"] == "pact-request-rejected"
    assert finding["location"] == "/paths/~1things/post"
    assert (
        "the new spec rejects the request: the body is rejected by the schema at /: 'owner' is a required property"
        in finding["message"]
    )
    assert finding["counterexample"] == {"method": "POST", "path": "/things", "content_type": "application/json",
                                         "body": {"name": "box"}}  # fmt: skip


def test_query_parameters_are_read_as_their_schema_type(tmp_path, capsys):
    limit = {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 10}}
    old = write(tmp_path, "old.yaml", spec(obj(["id"], id=STR), query=[limit]))
    new = write(
        tmp_path, "new.yaml", spec(obj(["id"], id=STR), query=[{**limit, "schema": {"type": "integer", "maximum": 5}}])
    )
    p = write(tmp_path, "pact.json", pact(interaction({"id": "t"}, query={"limit": ["8"]})))
    _, doc, _ = compare(capsys, old, new, p)
    assert pact_findings(doc, NCOP) == []
    [finding] = pact_findings(doc, OCNP)
    assert (
        "the query parameter 'limit' = '8' is rejected at /: 8 is greater than the maximum of 5" in finding["message"]
    )


def test_an_operation_removed_in_the_new_spec(tmp_path, capsys):
    thing = obj(["id"], id=STR)
    old = write(tmp_path, "old.yaml", spec(thing, request=obj([], name=STR)))
    new = write(tmp_path, "new.yaml", spec(thing))
    p = write(tmp_path, "pact.json", pact(interaction(None, method="POST", path="/things", status=201,
                                                      request_body={"name": "box"})))  # fmt: skip
    _, doc, _ = compare(capsys, old, new, p)
    [finding] = pact_findings(doc, OCNP)
    assert finding["rule"] == "pact-operation-missing"
    assert "POST /things matches no operation of the new spec" in finding["message"]
    [static] = [f for f in doc["directions"][OCNP]["findings"] if f["rule"] == "operation-removed"]
    assert static["message"].endswith("[affects shop-web (1 interaction)]")


# -- bad input --------------------------------------------------------------------------------------------------


def _error(capsys, *args):
    code = main(["compare", *map(str, args), "--examples", "0"])
    _, err = capsys.readouterr()
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cdcompat: error: "), err
    return lines[0]


def test_an_interaction_matching_no_operation_of_either_version(tmp_path, capsys):
    s = write(tmp_path, "s.yaml", spec(obj(["id"], id=STR)))
    p = write(tmp_path, "pact.json", pact(interaction({"id": "x"}, path="/widgets/1", description="a widget")))
    line = _error(capsys, s, s, "--pact", p)
    assert (
        f"{p} at /interactions/0/request: interaction 'a widget' (given 'thing t-1 exists'): GET /widgets/1 "
        "matches no operation of the old or the new spec" in line
    )


def test_an_unsupported_matching_rule_is_named(tmp_path, capsys):
    s = write(tmp_path, "s.yaml", spec(obj(["id"], id=STR)))
    p = write(
        tmp_path, "pact.json", pact(interaction({"id": "x"}, {"$.id": {"match": "arrayContains", "variants": []}}))
    )
    line = _error(capsys, s, s, "--pact", p)
    assert "the response body matching rule 'arrayContains' at $.id is not supported (supported: boolean, " in line
    assert f"{p} at /interactions/0/response/matchingRules" in line


def test_a_pact_for_another_provider_given_explicitly(tmp_path, capsys):
    s = write(tmp_path, "s.yaml", spec(obj(["id"], id=STR), title="Billing"))
    p = write(tmp_path, "pact.json", pact(interaction({"id": "x"})))
    line = _error(capsys, s, s, "--pact", p)
    assert "the Pact file's provider 'things-api' is not" in line and "(info.title 'Billing')" in line


def test_not_json_and_unknown_version_on_the_command_line(tmp_path, capsys):
    s = write(tmp_path, "s.yaml", spec(obj(["id"], id=STR)))
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    assert f"{bad}:1:2: not JSON" in _error(capsys, s, s, "--pact", bad)
    p = write(tmp_path, "pact.json", pact(interaction({"id": "x"}), version="9.1"))
    assert "Pact specification version '9.1' is not one we know (1.1, 2, 3 and 4 are)" in _error(
        capsys, s, s, "--pact", p
    )


def test_x_cd_compat_provider_ties_a_pact_to_its_spec(tmp_path, capsys):
    s = write(tmp_path, "things.yaml", spec(obj(["id"], id=STR), title="Something else"))
    doc = {**pact(interaction({"id": "x", "size": 1})), "x-cd-compat": {"provider": "things.yaml"}}
    p = write(tmp_path, "pact.json", doc)
    code, out, _ = compare(capsys, s, s, p)
    assert code == 1
    assert "the consumer reads `size`" in pact_findings(out, OCNP)[0]["message"]
