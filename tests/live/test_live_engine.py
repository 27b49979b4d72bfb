"""Live checks against the example orders service, started on loopback: behaviour changes the specifications do not
show fail the right direction, identical behaviour passes, and no server is left running."""

from __future__ import annotations

import shlex

from tests.live.conftest import SPECS, alive, as_json

V1, V2 = str(SPECS / "v1.yaml"), str(SPECS / "v2.yaml")
OCNP, NCOP = "old_consumer_new_producer", "new_consumer_old_producer"


def live(doc, direction):
    """The live findings of one direction (the static ones of the spec pair are other tests' business)."""
    return [f for f in doc["directions"][direction]["findings"] if f["rule"].startswith("live-")]


def test_behaviour_change_fails_old_clients_against_the_new_server(servers, run_live):
    code, out, err = run_live(V1, V2, "--old-cmd", servers["v1"], "--new-cmd", servers["v2"], "--format", "json")
    assert code == 1, err
    doc = as_json(out)
    assert live(doc, NCOP) == []
    assert not doc["directions"][OCNP]["compatible"]
    [finding] = live(doc, OCNP)
    assert finding["rule"] == "live-response-rejected"
    assert finding["location"] == "/paths/~1orders~1{orderId}/get/responses/200/content/application~1json/schema"
    assert "at /items/0/quantity: '2' is not of type 'integer'" in finding["message"]
    assert "the spec did not change here: the behaviour did" in finding["message"]
    example = finding["counterexample"]
    assert example["request"]["method"] == "GET"
    assert example["request"]["url"].startswith("http://127.0.0.1:")
    assert example["response"]["status"] == 200
    assert example["response"]["body"]["items"][0]["quantity"] == "2"
    replay = shlex.split(example["replay"])
    assert replay[:5] == ["curl", "-sS", "-i", "-X", "GET"] and replay[5] == example["request"]["url"]
    assert not alive(servers["marker"])


def test_identical_behaviour_passes_both_directions(servers, run_live):
    _, out, _ = run_live(V1, V2, "--old-cmd", servers["v1"], "--new-cmd", servers["v1"], "--format", "json")
    doc = as_json(out)
    assert live(doc, OCNP) == [] and live(doc, NCOP) == []
    assert doc["directions"][OCNP]["compatible"]


def test_the_new_server_checked_against_new_clients_too(servers, run_live):
    # Swapped roles: the v2 server plays the OLD version, so new clients (v2 spec) against it are the ones to break.
    code, out, _ = run_live(V1, V2, "--old-cmd", servers["v2"], "--new-cmd", servers["v1"], "--format", "json")
    assert code == 1
    doc = as_json(out)
    assert live(doc, OCNP) == []
    [finding] = live(doc, NCOP)
    assert finding["rule"] == "live-response-rejected"
    assert finding["location"] == "/paths/~1orders~1{id}/get/responses/200/content/application~1json/schema"
    assert finding["message"].startswith("new clients' GET /orders/{id}:")


def test_unsafe_methods_only_on_request_and_server_errors_are_failures(servers, run_live):
    base = (V1, V2, "--old-cmd", servers["v1"], "--new-cmd", servers["v2"], "--format", "json")
    safe = as_json(run_live(*base)[1])
    assert {f["location"].split("/")[2] for f in safe["directions"][OCNP]["findings"]} == {"~1orders~1{orderId}"}
    code, out, _ = run_live(*base, "--live-unsafe", "--live-examples", "40")
    assert code == 1
    found = {(f["rule"], f["location"]) for f in as_json(out)["directions"][OCNP]["findings"]}
    assert ("live-server-error", "/paths/~1orders/post/responses") in found
    server_error = next(f for f in as_json(out)["directions"][OCNP]["findings"] if f["rule"] == "live-server-error")
    assert server_error["counterexample"]["response"]["status"] == 500
    # shrunk: the smallest order the new server fails on has four items, each as small as the schema allows
    assert len(server_error["counterexample"]["request"]["body"]["items"]) == 4
    assert not alive(servers["marker"])


def test_text_report_and_static_findings_in_one_report(servers, run_live):
    code, out, _ = run_live(
        V2, str(SPECS / "v3.yaml"), "--old-cmd", servers["v2"], "--new-cmd", servers["v2"], "--format", "text"
    )
    assert code == 1
    assert "required-property-removed" in out or "property-became-required" in out  # the static step v2 -> v3
    assert "live-response-rejected" in out  # the v2 server's string quantities, seen by v2 and v3 clients
    assert "live: " in out and "requests in" in out


def test_markdown_and_github_formats_carry_the_live_findings(servers, run_live):
    code, out, _ = run_live(V1, V2, "--old-cmd", servers["v1"], "--new-cmd", servers["v2"], "--format", "markdown")
    assert code == 1
    assert "INCOMPATIBLE" in out and "live-response-rejected" in out
    code, out, _ = run_live(V1, V2, "--old-cmd", servers["v1"], "--new-cmd", servers["v2"], "--format", "github")
    assert code == 1
    assert "::error " in out and "title=live-response-rejected" in out
    assert not alive(servers["marker"])
