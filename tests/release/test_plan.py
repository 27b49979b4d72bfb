"""``cdcompat plan`` and the plan section of ``pytest --cd-compat``: steps in order with phase and deploy order, the
release order, conflicts, and the missing step named for each unsafe case, in text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from frontends.helpers import CI_VARS

from pytest_cdcompat.cli import main
from release.repos import NO_STATUS, V1, WITH_NOTE, event, feature_repo, step
from release.test_toggles import PLAIN, WRAPPED, flagd

pytest_plugins = ["pytester"]
FIXTURES = Path(__file__).parent / "fixtures"
QUIET = ("-p", "no:cacheprovider", "-p", "no:benchmark", "--cd-compat-seed", "1", "--cd-compat-examples", "5")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for var in CI_VARS:
        monkeypatch.delenv(var, raising=False)


def plan(capsys, monkeypatch, where, *argv, fmt="json"):
    monkeypatch.chdir(where)
    code = main(["plan", "--examples", "5", "--seed", "1", "--format", fmt, *argv])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if fmt == "json" else out), err


def test_plan_of_a_safe_branch(tmp_path, capsys, monkeypatch):
    feature_repo(tmp_path)
    sha = step(tmp_path, "Add a note", {"contracts/order.json": WITH_NOTE})
    code, doc, _ = plan(capsys, monkeypatch, tmp_path)
    assert code == 0 and doc["safe"] is True and doc["missing"] == []
    assert set(doc) >= {"base", "safe", "steps", "missing", "toggles", "order", "conflicts"}
    (s,) = doc["steps"]
    assert (s["commit"], s["contract"], s["compatible"]) == (f"{sha[:7]} 'Add a note'", "contracts/order.json", True)
    assert {"phase", "deploy_order", "deployers"} <= set(s)


def test_contract_step_names_the_missing_transition(tmp_path, capsys, monkeypatch):
    feature_repo(tmp_path)
    broken = step(tmp_path, "Drop the status field", {"contracts/order.json": NO_STATUS})
    step(tmp_path, "Put it back", {"contracts/order.json": V1})
    code, doc, _ = plan(capsys, monkeypatch, tmp_path)
    assert code == 1 and doc["safe"] is False
    phases = [(s["commit"], s["phase"], s["compatible"]) for s in doc["steps"]]
    assert phases == [
        (f"{broken[:7]} 'Drop the status field'", "contract", False),
        (phases[1][0], "expand", True),
    ]
    (m,) = doc["missing"]
    assert (m["commit"], m["contract"], m["phase"]) == (
        f"{broken[:7]} 'Drop the status field'",
        "contracts/order.json",
        "contract",
    )
    assert "old consumers may still use" in m["message"] and m["advice"].startswith("transition first")
    code, text, _ = plan(capsys, monkeypatch, tmp_path, fmt="text")
    assert "missing steps:" in text and f"{broken[:7]} 'Drop the status field': contracts/order.json (contract)" in text
    assert "the branch as a whole (base against head): safe to roll back to the base" in text


def test_copy_only_column_names_the_missing_trigger(tmp_path, capsys, monkeypatch):
    feature_repo(tmp_path, {"contracts/db/0001_init.sql": (FIXTURES / "db/0001_init.sql").read_text()})
    step(tmp_path, "Copy email", {"contracts/db/0002_c.sql": (FIXTURES / "db/0002_rename_copy_only.sql").read_text()})
    code, doc, _ = plan(capsys, monkeypatch, tmp_path)
    assert code == 1
    messages = [m["message"] for m in doc["missing"]]
    assert any("copies a column without a trigger or double write" in msg for msg in messages)
    assert any("add a trigger" in m["advice"] for m in doc["missing"])
    assert doc["order"][0] == "migrate the database"
    code, text, _ = plan(capsys, monkeypatch, tmp_path, fmt="markdown")
    assert text.startswith("# Release plan:") and "## missing steps:" in text


def test_toggle_turned_on_too_early_is_named(tmp_path, capsys, monkeypatch):
    feature_repo(tmp_path, {"contracts/order.json": PLAIN, "contracts/feature-toggles.json": flagd("DISABLED")})
    step(tmp_path, "gift wrap behind a toggle", {"contracts/order.json": WRAPPED})
    flip = step(tmp_path, "Turn gift wrap on", {"contracts/feature-toggles.json": flagd("ENABLED")})
    code, doc, _ = plan(capsys, monkeypatch, tmp_path)
    assert code == 1
    flips = [s for s in doc["steps"] if s["phase"] == "toggle-on"]
    assert [s["commit"] for s in flips] == [f"{flip[:7]} 'Turn gift wrap on'"]
    (m,) = [m for m in doc["missing"] if m["phase"] == "toggle-on"]
    assert "toggle is turned on before" in m["message"]
    assert doc["toggles"]["file"] == "contracts/feature-toggles.json" and doc["toggles"]["states"] == {
        "gift-wrap": True
    }


def test_consumer_first_step_without_a_toggle(tmp_path, capsys, monkeypatch):
    feature_repo(tmp_path, {"contracts/orders.yaml": (FIXTURES / "orders-v1.yaml").read_text()})
    step(tmp_path, "Call GET /orders", {"contracts/orders.yaml": (FIXTURES / "orders-expand.yaml").read_text()})
    code, doc, _ = plan(capsys, monkeypatch, tmp_path, "--ships", "consumer")
    assert code == 1
    (m,) = doc["missing"]
    assert "consumer-first step without a toggle" in m["message"] and "feature toggle" in m["advice"]


def test_conflict_within_one_commit(tmp_path, capsys, monkeypatch):
    feature_repo(tmp_path, {"contracts/a.json": V1, "contracts/b.json": V1})
    needs_note = event(required=("id", "status", "note"), extra={"note": {"type": "string"}})
    sha = step(tmp_path, "Both at once", {"contracts/a.json": NO_STATUS, "contracts/b.json": needs_note})
    code, doc, _ = plan(capsys, monkeypatch, tmp_path, "--policy", "both-directions")
    assert code == 1
    (c,) = doc["conflicts"]
    assert c["commit"] == f"{sha[:7]} 'Both at once'"
    assert c["message"] == "needs the producer first for contracts/b.json and the consumers first for contracts/a.json"
    assert c["advice"] == "split the change into two commits, expand first"


def test_plugin_ends_with_the_plan(pytester):
    feature_repo(pytester.path)
    broken = step(pytester.path, "Drop the status field", {"contracts/order.json": NO_STATUS})
    step(pytester.path, "Put it back", {"contracts/order.json": V1})
    result = pytester.runpytest("--cd-compat", *QUIET)
    result.stdout.fnmatch_lines(
        [
            "*cdcompat release plan*",
            "release plan: base main (*), 2 step(s), UNSAFE",
            f"  1. {broken[:7]} 'Drop the status field': contracts/order.json: contract, *FAILS",
            "missing steps:",
            f"  - {broken[:7]} 'Drop the status field': contracts/order.json (contract): *",
        ]
    )


def test_plan_in_ci_formats_annotates_the_unsafe_step(tmp_path, capsys, monkeypatch):
    from outputs.test_formats import sarif_validator

    feature_repo(tmp_path)
    step(tmp_path, "Drop the status field", {"contracts/order.json": NO_STATUS})
    code, out, _ = plan(capsys, monkeypatch, tmp_path, fmt="github")
    assert code == 1
    errors = [line for line in out.splitlines() if line.startswith("::error ")]
    assert errors and all("file=contracts/order.json" in line for line in errors)
    assert any(
        "title=required-property-removed" in line and "'status' was removed [old_consumer_new_producer]" in line
        for line in errors
    )
    code, out, _ = plan(capsys, monkeypatch, tmp_path, fmt="sarif")
    assert code == 1
    doc = json.loads(out)
    assert list(sarif_validator().iter_errors(doc)) == []
    results = doc["runs"][0]["results"]
    assert results and {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {
        "contracts/order.json"
    }
