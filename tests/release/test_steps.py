"""Every commit is a deploy step: a break repaired by a later commit still fails, naming the commit; each-commit off
compares base with head only; steps skip content already compared; pytest ids carry the commit and work with -k."""

from __future__ import annotations

import json

import pytest
from frontends.helpers import CI_VARS, git, write

from pytest_cdcompat.cli import main
from pytest_cdcompat.run.discovery import discover
from pytest_cdcompat.run.options import RunOptions
from release.repos import NO_STATUS, V1, WITH_NOTE, feature_repo, step

pytest_plugins = ["pytester"]
QUIET = ("-p", "no:cacheprovider", "-p", "no:benchmark", "--cd-compat-seed", "1", "--cd-compat-examples", "5")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for var in CI_VARS:
        monkeypatch.delenv(var, raising=False)


def check(capsys, monkeypatch, where, *argv):
    monkeypatch.chdir(where)
    code = main(["check", "--examples", "5", "--seed", "1", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def break_and_repair(root):
    feature_repo(root)
    broken = step(root, "Drop the status field", {"contracts/order.json": NO_STATUS})
    step(root, "Put the status field back", {"contracts/order.json": V1})
    return broken


def test_break_repaired_later_fails_naming_the_commit(tmp_path, capsys, monkeypatch):
    broken = break_and_repair(tmp_path)
    code, out, _ = check(capsys, monkeypatch, tmp_path, "--format", "json")
    assert code == 1
    doc = json.loads(out)
    failing = [p for p in doc["pairs"] if not p["report"]["directions"]["old_consumer_new_producer"]["compatible"]]
    assert [(p["versions"], p["commit"]) for p in failing] == [
        (f"commit-{broken[:7]}", f"{broken[:7]} 'Drop the status field'")
    ]
    finding = failing[0]["report"]["directions"]["old_consumer_new_producer"]["findings"][0]
    assert (finding["rule"], finding["location"]) == ("required-property-removed", "/required")
    whole = next(p for p in doc["pairs"] if p["versions"] is None)
    assert whole["report"]["directions"]["old_consumer_new_producer"]["compatible"]  # base and head are identical


def test_each_commit_off_compares_base_with_head_only(tmp_path, capsys, monkeypatch):
    break_and_repair(tmp_path)
    code, out, _ = check(capsys, monkeypatch, tmp_path, "--no-each-commit")
    assert code == 0 and "1 pair(s) checked, 0 failing" in out and "commit-" not in out
    code, out, _ = check(capsys, monkeypatch, tmp_path, "--each-commit", "no")
    assert code == 0
    write(tmp_path, {"pyproject.toml": "[tool.cdcompat]\neach_commit = false\n"})
    code, out, _ = check(capsys, monkeypatch, tmp_path)
    assert code == 0 and "commit-" not in out


def test_each_commit_value_is_validated(tmp_path, capsys, monkeypatch):
    break_and_repair(tmp_path)
    code, _, err = check(capsys, monkeypatch, tmp_path, "--each-commit", "sometimes")
    assert code == 2 and err == "cdcompat: error: each-commit: 'sometimes' is not yes or no\n"


def test_single_step_is_the_whole_branch_and_named(tmp_path, capsys, monkeypatch):
    feature_repo(tmp_path)
    sha = step(tmp_path, "Drop the status field", {"contracts/order.json": NO_STATUS})
    code, out, _ = check(capsys, monkeypatch, tmp_path)
    assert code == 1 and "1 pair(s) checked" in out  # not compared twice
    assert f"deploy step {sha[:7]} 'Drop the status field': the branch's only change to this contract" in out


def test_repeated_content_is_compared_once(tmp_path):
    feature_repo(tmp_path)
    step(tmp_path, "add note", {"contracts/order.json": WITH_NOTE})
    step(tmp_path, "back", {"contracts/order.json": V1})
    step(tmp_path, "add note again", {"contracts/order.json": WITH_NOTE})
    step(tmp_path, "unrelated", {"docs/x.md": "x\n"})
    plan = discover(RunOptions(paths=(tmp_path / "contracts",)), tmp_path, {})
    subs = [p.sub for p in plan.pairs]
    # The whole branch (V1 -> WITH_NOTE) and the one step whose content it does not cover (WITH_NOTE -> V1): the
    # first and third steps are the whole branch's comparison again.
    assert subs[0] is None and len(subs) == 2 and plan.pairs[1].step is not None and "'back'" in plan.pairs[1].step
    assert plan.pairs[0].step is None  # three steps touch it: not "the branch's only change"
    assert any("3 deploy step(s)" in n and "1 step comparison(s), 2 skipped" in n for n in plan.notes)


def test_steps_of_a_migrations_folder_and_a_removed_contract(tmp_path, capsys, monkeypatch):
    feature_repo(tmp_path, {"contracts/order.json": V1, "contracts/db/0001_init.sql": "CREATE TABLE t (id int);\n"})
    drop = step(tmp_path, "Drop the order event", {}, remove=("contracts/order.json",))
    step(tmp_path, "Bring it back", {"contracts/order.json": V1})
    mig = step(tmp_path, "Add a column", {"contracts/db/0002_add.sql": "ALTER TABLE t ADD COLUMN a int;\n"})
    step(tmp_path, "Add another", {"contracts/db/0003_add.sql": "ALTER TABLE t ADD COLUMN b int;\n"})
    plan = discover(RunOptions(paths=(tmp_path / "contracts",)), tmp_path, {})
    got = [(p.name, p.status) for p in plan.pairs]
    assert ("contracts/order.json::commit-" + drop[:7], "removed") in got
    assert ("contracts/db::commit-" + mig[:7], "changed") in got
    code, out, _ = check(capsys, monkeypatch, tmp_path)
    assert code == 1 and "contract-removed" in out and f"deploy step: commit {drop[:7]} 'Drop the order event'" in out


def test_pytest_items_carry_the_commit_and_work_with_k(pytester):
    broken = break_and_repair(pytester.path)
    result = pytester.runpytest("--cd-compat", *QUIET, "--collect-only", "-q")
    ids = [line for line in result.outlines if "::" in line]
    assert f"contracts/order.json::commit-{broken[:7]}::old-consumer-vs-new-producer" in ids
    assert all("->" not in i for i in ids)
    result = pytester.runpytest("--cd-compat", *QUIET, "-k", f"commit-{broken[:7]} and old-consumer")
    result.assert_outcomes(failed=1, deselected=5)
    result.stdout.fnmatch_lines([f"*deploy step: commit {broken[:7]} 'Drop the status field'*"])
    result = pytester.runpytest("--cd-compat", *QUIET, "--cd-compat-each-commit=no")
    result.assert_outcomes(passed=2)


def test_version_pair_ids_work_with_k(pytester):
    write(pytester.path, {"contracts/ev/v1.json": V1, "contracts/ev/v2.json": WITH_NOTE})
    git(pytester.path, "init", "-q", "-b", "main")
    result = pytester.runpytest("--cd-compat", *QUIET, "-k", "v1-to-v2")
    result.assert_outcomes(passed=2)
