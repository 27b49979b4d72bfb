"""Per-service toggle files in a monorepo (``services/*/contracts``): each service's toggle file switches the
elements of its own contracts only; a toggle a service's contracts name but only another service defines is an
unknown toggle for it. Checked with ``cdcompat check``, ``cdcompat plan`` and ``pytest --cd-compat``."""

from __future__ import annotations

import json

import pytest
from frontends.helpers import CI_VARS

from pytest_cdcompat.cli import main
from release.repos import feature_repo, step
from release.test_toggles import PLAIN, QUIET, WRAPPED

pytest_plugins = ["pytester"]
ONP = "old_consumer_new_producer"
A, B = "services/a/contracts/order.json", "services/b/contracts/order.json"
A_FLAGS, B_FLAGS = "services/a/contracts/feature-toggles.yaml", "services/b/contracts/feature-toggles.yaml"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for var in CI_VARS:
        monkeypatch.delenv(var, raising=False)


def monorepo(root, a_flags: str, b_flags: str) -> None:
    """Two services, each with its own toggle file; the branch adds a gift-wrap-toggled property to both."""
    feature_repo(root, {A: PLAIN, B: PLAIN, A_FLAGS: a_flags, B_FLAGS: b_flags})
    step(root, "Send gift_wrap behind its toggle", {A: WRAPPED, B: WRAPPED})


def run(capsys, monkeypatch, where, command, *argv):
    monkeypatch.chdir(where)
    code = main([command, "services/*/contracts", "--examples", "5", "--seed", "1", "--format", "json", *argv])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.startswith("{") else out), err


def pair_of(doc, contract):
    (pair,) = [p for p in doc["pairs"] if p["contract"] == contract and p["versions"] is None]
    return pair


def onp(pair):
    return pair["report"]["directions"][ONP]


def test_each_services_toggle_switches_its_own_contracts_only(tmp_path, capsys, monkeypatch):
    monorepo(tmp_path, "gift-wrap: off\n", "gift-wrap: on\n")
    code, doc, _ = run(capsys, monkeypatch, tmp_path, "check")
    assert code == 1, doc
    a, b = pair_of(doc, A), pair_of(doc, B)
    assert onp(a)["compatible"]  # off in service a's file: the break is hidden
    assert onp(a)["findings"] and all(f["severity"] == "info" for f in onp(a)["findings"])
    assert all(f["message"].startswith("behind toggle gift-wrap, off: ") for f in onp(a)["findings"])
    assert not onp(b)["compatible"]  # on in service b's file: a's "off" must not hide b's break
    assert {f["rule"] for f in onp(b)["findings"] if f["severity"] == "error"} == {"property-added"}
    assert all(p["contract"] in (A, B) for p in doc["pairs"])  # the toggle files are not contracts


def test_the_other_way_round(tmp_path, capsys, monkeypatch):
    monorepo(tmp_path, "gift-wrap: on\n", "gift-wrap: off\n")
    code, doc, _ = run(capsys, monkeypatch, tmp_path, "check")
    assert code == 1
    assert not onp(pair_of(doc, A))["compatible"] and onp(pair_of(doc, B))["compatible"]


def test_a_toggle_only_another_service_defines_is_unknown(tmp_path, capsys, monkeypatch):
    monorepo(tmp_path, "gift-wrap: off\n", "other: off\n")
    code, doc, _ = run(capsys, monkeypatch, tmp_path, "check")
    assert code == 1  # b's gift-wrap is checked as if on: a typo or a missing entry must not hide a break
    assert onp(pair_of(doc, A))["compatible"] and not onp(pair_of(doc, B))["compatible"]
    warning = (
        f"warning: {B} marks an element x-feature-toggle: gift-wrap, but the toggle file ({B_FLAGS}) does not "
        "define 'gift-wrap'"
    )
    assert any(n.startswith(warning) for n in doc["notes"]), doc["notes"]
    assert not any(n.startswith(f"warning: {A} marks") for n in doc["notes"])
    assert (
        "toggle clean-up: other: no contract mentions it any more: remove it from the toggle file " + B_FLAGS
        in (doc["notes"])
    )
    monkeypatch.setenv("CI", "true")
    code, _, err = run(capsys, monkeypatch, tmp_path, "check")
    assert code == 2 and f"({B_FLAGS}) does not define 'gift-wrap'" in err and err.count("\n") == 1


def test_a_service_without_a_toggle_file_does_not_borrow_another(tmp_path, capsys, monkeypatch):
    feature_repo(tmp_path, {A: PLAIN, B: PLAIN, A_FLAGS: "gift-wrap: off\n", "services/c/contracts/x.json": PLAIN})
    step(tmp_path, "Send gift_wrap behind its toggle", {A: WRAPPED, B: WRAPPED})
    (tmp_path / "services/c/contracts/feature-toggles.yaml").write_text("unrelated: on\n")  # two files: per service
    code, doc, _ = run(capsys, monkeypatch, tmp_path, "check")
    assert code == 1
    assert onp(pair_of(doc, A))["compatible"] and not onp(pair_of(doc, B))["compatible"]
    assert any(
        f"{B} marks an element x-feature-toggle: gift-wrap, but the toggle file (none)" in n for n in doc["notes"]
    )


def test_flipping_one_services_toggle_is_a_step_of_that_service_only(tmp_path, capsys, monkeypatch):
    monorepo(tmp_path, "gift-wrap: off\n", "gift-wrap: off\n")
    flip = step(tmp_path, "Turn gift wrap on in a", {A_FLAGS: "gift-wrap: on\n"})
    code, doc, _ = run(capsys, monkeypatch, tmp_path, "check")
    assert code == 1
    flips = [p for p in doc["pairs"] if p["versions"] == f"commit-{flip[:7]}"]
    assert [p["contract"] for p in flips] == [A]
    assert not onp(flips[0])["compatible"]
    assert onp(pair_of(doc, B))["compatible"]


def test_plan_names_the_flip_of_one_service(tmp_path, capsys, monkeypatch):
    monorepo(tmp_path, "gift-wrap: off\n", "gift-wrap: off\n")
    flip = step(tmp_path, "Turn gift wrap on in a", {A_FLAGS: "gift-wrap: on\n"})
    code, doc, _ = run(capsys, monkeypatch, tmp_path, "plan")
    assert code == 1, doc
    assert not doc["safe"]
    unsafe = [s for s in doc["steps"] if not s["compatible"]]
    assert {(s["commit"][:7], s["contract"]) for s in unsafe} == {(flip[:7], A)}
    assert doc["toggles"]["files"] == {A_FLAGS: {"gift-wrap": True}, B_FLAGS: {"gift-wrap": False}}


def test_plan_is_safe_when_only_the_other_services_toggle_is_off(tmp_path, capsys, monkeypatch):
    monorepo(tmp_path, "gift-wrap: off\n", "gift-wrap: off\n")
    code, doc, _ = run(capsys, monkeypatch, tmp_path, "plan")
    assert code == 0 and doc["safe"], doc


def test_plugin_reads_each_services_toggle_file(pytester):
    monorepo(pytester.path, "gift-wrap: off\n", "gift-wrap: on\n")
    result = pytester.runpytest("--cd-compat", "--cd-compat-paths", "services/*/contracts", *QUIET)
    result.assert_outcomes(passed=3, failed=1)  # two contracts, two directions each
    result.stdout.fnmatch_lines([f"property-added: {B}: old consumers against the new producer: INCOMPATIBLE*"])
    result.stdout.fnmatch_lines([f"FAILED {B}::old-consumer-vs-new-producer*"])
    result.stdout.fnmatch_lines([f"info: {A}: old_consumer_new_producer: *behind toggle gift-wrap, off*"])
    result.stdout.fnmatch_lines([f"toggles ({A_FLAGS}): gift-wrap=off", f"toggles ({B_FLAGS}): gift-wrap=on"])


def test_a_single_toggle_file_in_another_services_folder_serves_that_service_only(tmp_path, capsys, monkeypatch):
    feature_repo(tmp_path, {A: PLAIN, B: PLAIN, B_FLAGS: "gift-wrap: off\n"})
    step(tmp_path, "Send gift_wrap behind its toggle", {A: WRAPPED, B: WRAPPED})
    code, doc, _ = run(capsys, monkeypatch, tmp_path, "check")
    assert code == 1
    assert onp(pair_of(doc, B))["compatible"]  # b's own file: off
    assert not onp(pair_of(doc, A))["compatible"]  # a has no file and borrows none
    assert any(
        f"{A} marks an element x-feature-toggle: gift-wrap, but the toggle file (none)" in n for n in doc["notes"]
    )
