"""Deploy policy: this repository ships the producer, so expand steps pass with their follow-up; what old consumers
read must stay; messages and database data keep their checks; declarations, ships, modes and strict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from frontends.helpers import CI_VARS, write

from pytest_cdcompat.cli import main
from release.repos import NO_STATUS, V1, feature_repo, step

pytest_plugins = ["pytester"]
FIXTURES = Path(__file__).parent / "fixtures"
QUIET = ("-p", "no:cacheprovider", "-p", "no:benchmark", "--cd-compat-seed", "1", "--cd-compat-examples", "5")
ONP, NOP = "old_consumer_new_producer", "new_consumer_old_producer"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for var in CI_VARS:
        monkeypatch.delenv(var, raising=False)


def check_json(capsys, monkeypatch, where, *argv):
    monkeypatch.chdir(where)
    code = main(["check", "--examples", "5", "--seed", "1", "--format", "json", *argv])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def errors(pair, direction):
    return sorted(f["rule"] for f in pair["report"]["directions"][direction]["findings"] if f["severity"] == "error")


def expand_repo(root):
    feature_repo(
        root,
        {
            "contracts/orders.yaml": fixture("orders-v1.yaml"),
            "contracts/db/0001_init.sql": fixture("db/0001_init.sql"),
        },
    )
    step(root, "Add currency and GET /orders", {"contracts/orders.yaml": fixture("orders-expand.yaml")})
    step(
        root,
        "Add a nullable column",
        {"contracts/db/0002_note.sql": "ALTER TABLE customers ADD COLUMN nickname varchar(50);\n"},
    )
    step(
        root,
        "Rename email to contact_email with a sync trigger",
        {"contracts/db/0003_contact_email.sql": fixture("db/0002_rename_with_trigger.sql")},
    )


def test_pure_expand_steps_pass_with_the_follow_up(tmp_path, capsys, monkeypatch):
    expand_repo(tmp_path)
    code, doc, _ = check_json(capsys, monkeypatch, tmp_path)
    assert code == 0, [(p["contract"], p["versions"], p["follow_up"]) for p in doc["pairs"]]
    assert doc["compatible"] is True
    api = next(p for p in doc["pairs"] if p["contract"] == "contracts/orders.yaml")
    assert errors(api, NOP) == ["operation-added"] and errors(api, ONP) == []  # new endpoint: breaks only NOP
    assert api["policy"] == "ships producer" and api["required"] == [ONP]
    assert "expand step: consumers may adopt the new shape" in api["follow_up"][NOP]
    assert "deployed on merge while old consumers still run" in api["why"][ONP]
    db = [p for p in doc["pairs"] if p["contract"] == "contracts/db"]
    assert db and all(not errors(p, ONP) for p in db)
    assert any(errors(p, NOP) for p in db)  # the new application needs the migrated schema: migrate first
    assert all("the migration runs first" in p["follow_up"][NOP] for p in db if errors(p, NOP))


def test_the_same_branch_fails_with_both_directions(tmp_path, capsys, monkeypatch):
    expand_repo(tmp_path)
    code, doc, _ = check_json(capsys, monkeypatch, tmp_path, "--policy", "both-directions")
    assert code == 1
    api = next(p for p in doc["pairs"] if p["contract"] == "contracts/orders.yaml")
    assert api["policy"] == "both-directions" and api["required"] == [ONP, NOP] and not api["follow_up"]


def test_contract_step_removing_what_old_consumers_read_fails(tmp_path, capsys, monkeypatch):
    feature_repo(tmp_path, {"contracts/orders.yaml": fixture("orders-v1.yaml")})
    step(tmp_path, "Drop total", {"contracts/orders.yaml": fixture("orders-contract.yaml")})
    code, doc, _ = check_json(capsys, monkeypatch, tmp_path)
    assert code == 1
    (pair,) = doc["pairs"]
    assert errors(pair, ONP) == ["required-property-removed"]
    assert pair["report"]["directions"][ONP]["findings"][0]["location"].endswith("/required")


def test_copy_only_rename_fails_with_the_lost_write(tmp_path, capsys, monkeypatch):
    feature_repo(tmp_path, {"contracts/db/0001_init.sql": fixture("db/0001_init.sql")})
    step(tmp_path, "Copy email once", {"contracts/db/0002_contact_email.sql": fixture("db/0002_rename_copy_only.sql")})
    code, doc, _ = check_json(capsys, monkeypatch, tmp_path)
    assert code == 1
    (pair,) = doc["pairs"]
    assert "write-lost-during-transition" in errors(pair, ONP)


def test_lost_write_fails_even_in_a_direction_the_policy_does_not_require(tmp_path, capsys, monkeypatch):
    feature_repo(tmp_path, {"contracts/db/0001_init.sql": fixture("db/0001_init.sql")})
    step(tmp_path, "Copy email once", {"contracts/db/0002_contact_email.sql": fixture("db/0002_rename_copy_only.sql")})
    # Only the consumer ships here: old_consumer_new_producer is not required, but data that persists is checked.
    # (The new application's own needs are made warnings, so that only the lost write is left to fail.)
    quiet = [a for r in ("insert-rejected", "select-failed", "column-added") for a in ("--severity", f"{r}=warning")]
    code, doc, _ = check_json(capsys, monkeypatch, tmp_path, "--ships", "consumer", *quiet)
    assert code == 1
    (pair,) = doc["pairs"]
    assert pair["required"] == [NOP] and errors(pair, NOP) == []
    assert errors(pair, ONP) == ["write-lost-during-transition"]


AVRO_V1 = json.dumps({"type": "record", "name": "Order", "fields": [{"name": "id", "type": "string"}]})
AVRO_V2 = json.dumps(
    {"type": "record", "name": "Order", "fields": [{"name": "id", "type": "string"}, {"name": "n", "type": "int"}]}
)


def test_message_contracts_keep_both_directions(tmp_path, capsys, monkeypatch):
    feature_repo(tmp_path, {"contracts/order.avsc": AVRO_V1})
    step(tmp_path, "Add a field without default", {"contracts/order.avsc": AVRO_V2})
    code, doc, _ = check_json(capsys, monkeypatch, tmp_path)
    assert code == 1
    (pair,) = doc["pairs"]
    assert errors(pair, ONP) == [] and errors(pair, NOP)  # new readers cannot read old messages still in the topic
    assert pair["required"] == [ONP, NOP] and "messages persist" in pair["why"][NOP]


def test_repository_shipping_both_sides_requires_both(tmp_path, capsys, monkeypatch):
    expand_repo(tmp_path)
    code, doc, _ = check_json(capsys, monkeypatch, tmp_path, "--ships", "producer", "--ships", "consumer")
    assert code == 1
    api = next(p for p in doc["pairs"] if p["contract"] == "contracts/orders.yaml")
    assert api["policy"] == "ships producer and consumers" and "rolling deploy mixes" in api["why"][NOP]


def test_declared_parties_and_ships_by_name(tmp_path, capsys, monkeypatch):
    declared = fixture("orders-v1.yaml") + "x-cd-compat:\n  producer: orders-service\n  consumers: [web, mobile]\n"
    expanded = fixture("orders-expand.yaml") + "x-cd-compat:\n  producer: orders-service\n  consumers: [web, mobile]\n"
    feature_repo(tmp_path, {"contracts/orders.yaml": declared})
    step(tmp_path, "New endpoint", {"contracts/orders.yaml": expanded})
    code, doc, _ = check_json(capsys, monkeypatch, tmp_path, "--ships", "web")  # this repository is the web client
    assert code == 1  # the consumer ships on merge: it must work with the old producer, which lacks GET /orders
    (pair,) = doc["pairs"]
    assert pair["required"] == [NOP] and "ships web, mobile" in pair["why"][NOP]
    code, doc, _ = check_json(capsys, monkeypatch, tmp_path, "--ships", "orders-service")
    assert code == 0 and doc["pairs"][0]["policy"] == "ships producer"


@pytest.mark.parametrize(
    "files, argv, needle",
    [
        ({"x-cd-compat:\n  producer: ''\n": None}, (), "x-cd-compat producer: declares no name"),
        ({"x-cd-compat:\n  consumers: []\n": None}, (), "x-cd-compat consumers: the list names no consumer"),
        ({}, ("--ships", "billing"), "cd_compat_ships: 'billing' is neither producer, consumer nor a party"),
        ({}, ("--parties", "nowhere/*.yaml = producer: x"), "cd_compat_parties: 'nowhere/*.yaml' matches no contract"),
        ({}, ("--policy", "sideways"), "policy: unknown deploy policy 'sideways'"),
    ],
)
def test_bad_declarations_are_one_error(tmp_path, capsys, monkeypatch, files, argv, needle):
    tail = next(iter(files), "")
    feature_repo(tmp_path, {"contracts/orders.yaml": fixture("orders-v1.yaml") + tail})
    step(tmp_path, "New endpoint", {"contracts/orders.yaml": fixture("orders-expand.yaml") + tail})
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--examples", "5", *argv])
    _, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and needle in err, err


def test_mode_and_strict_win_over_the_policy(tmp_path, capsys, monkeypatch):
    expand_repo(tmp_path)
    code, doc, _ = check_json(capsys, monkeypatch, tmp_path, "--mode", "FULL")
    assert code == 1 and doc["pairs"][0]["policy"] == "mode FULL"
    code, doc, _ = check_json(capsys, monkeypatch, tmp_path, "--strict")
    assert code == 1 and all(p["policy"] == "strict" for p in doc["pairs"])


def test_plugin_expand_step_passes_with_a_warning_in_the_summary(pytester):
    feature_repo(pytester.path, {"contracts/orders.yaml": fixture("orders-v1.yaml")})
    step(pytester.path, "Add GET /orders", {"contracts/orders.yaml": fixture("orders-expand.yaml")})
    result = pytester.runpytest("--cd-compat", *QUIET)
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "cdcompat: seed=1, semantics=tolerant, base=main (*), policy=ships (*)",
            "*warning: contracts/orders.yaml: new_consumer_old_producer: expand step: consumers may adopt*",
        ]
    )
    result = pytester.runpytest("--cd-compat", *QUIET, "--cd-compat-policy=both-directions")
    result.assert_outcomes(passed=1, failed=1)


def test_plugin_break_then_repair_names_the_commit(pytester):
    feature_repo(pytester.path)
    broken = step(pytester.path, "Drop the status field", {"contracts/order.json": NO_STATUS})
    step(pytester.path, "Put it back", {"contracts/order.json": V1})
    result = pytester.runpytest("--cd-compat", *QUIET)
    # The whole branch (2 items) passes; the breaking commit fails for old consumers; putting the required field back
    # is an expand step (passes, with the follow-up).
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(
        [f"*contracts/order.json::commit-{broken[:7]}: old consumers against the new producer: INCOMPATIBLE*"]
    )
    write(pytester.path, {"pytest.ini": "[pytest]\ncd_compat_each_commit = false\n"})
    pytester.runpytest("--cd-compat", *QUIET).assert_outcomes(passed=2)
