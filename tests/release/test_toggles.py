"""Feature toggles: an off toggle hides its elements in both versions (breaks reported as info), the commit that
turns it on is checked off before and on after, unknown names warn (error with CI), bad files are one error."""

from __future__ import annotations

import json

import pytest
from frontends.helpers import CI_VARS

from pytest_cdcompat.cli import main
from pytest_cdcompat.release.toggles import parse_toggles
from release.repos import SCHEMA, feature_repo, step

pytest_plugins = ["pytester"]
QUIET = ("-p", "no:cacheprovider", "-p", "no:benchmark", "--cd-compat-seed", "1", "--cd-compat-examples", "5")
ONP = "old_consumer_new_producer"


def reader(**extra: object) -> str:
    """A closed event schema: old consumers reject any property they do not know."""
    props: dict[str, object] = {"id": {"type": "string"}}
    props.update(extra)
    doc = {"$schema": SCHEMA, "type": "object", "properties": props, "required": ["id"], "additionalProperties": False}
    return json.dumps(doc, indent=2) + "\n"


PLAIN = reader()
WRAPPED = reader(gift_wrap={"type": "boolean", "x-feature-toggle": "gift-wrap"})


def flagd(state: str, default: str = "on") -> str:
    flag = {"state": state, "variants": {"on": True, "off": False}, "defaultVariant": default}
    return json.dumps({"$schema": "https://flagd.dev/schema/v0/flags.json", "flags": {"gift-wrap": flag}}) + "\n"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for var in CI_VARS:
        monkeypatch.delenv(var, raising=False)


def check(capsys, monkeypatch, where, *argv):
    monkeypatch.chdir(where)
    code = main(["check", "--examples", "5", "--seed", "1", "--format", "json", *argv])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.startswith("{") else out), err


def toggled_repo(root):
    feature_repo(root, {"contracts/order.json": PLAIN, "contracts/feature-toggles.json": flagd("DISABLED")})
    add = step(root, "Send gift_wrap behind its toggle", {"contracts/order.json": WRAPPED})
    return add


def test_toggled_break_passes_while_off_as_info(tmp_path, capsys, monkeypatch):
    toggled_repo(tmp_path)
    code, doc, _ = check(capsys, monkeypatch, tmp_path)
    assert code == 0, doc
    (pair,) = doc["pairs"]  # the toggle file is not a contract
    findings = pair["report"]["directions"][ONP]["findings"]
    assert findings and all(f["severity"] == "info" for f in findings)
    assert all(f["message"].startswith("behind toggle gift-wrap, off: ") for f in findings)


def test_flip_commit_fails(tmp_path, capsys, monkeypatch):
    toggled_repo(tmp_path)
    flip = step(tmp_path, "Turn gift wrap on", {"contracts/feature-toggles.json": flagd("ENABLED")})
    code, doc, _ = check(capsys, monkeypatch, tmp_path)
    assert code == 1
    failing = [p for p in doc["pairs"] if not p["report"]["directions"][ONP]["compatible"]]
    assert {p["commit"] for p in failing} >= {f"{flip[:7]} 'Turn gift wrap on'"}
    flip_pair = next(p for p in failing if p["commit"] == f"{flip[:7]} 'Turn gift wrap on'")
    assert flip_pair["versions"] == f"commit-{flip[:7]}"
    assert all(f["severity"] == "error" for f in flip_pair["report"]["directions"][ONP]["findings"])


def test_plain_mapping_and_yaml_file(tmp_path, capsys, monkeypatch):
    feature_repo(tmp_path, {"contracts/order.json": PLAIN, "contracts/feature-toggles.yaml": "gift-wrap: off\n"})
    step(tmp_path, "Send gift_wrap behind its toggle", {"contracts/order.json": WRAPPED})
    code, _, _ = check(capsys, monkeypatch, tmp_path)
    assert code == 0
    step(tmp_path, "on", {"contracts/feature-toggles.yaml": "gift-wrap: on\n"})
    code, _, _ = check(capsys, monkeypatch, tmp_path)
    assert code == 1


def test_flagd_on_needs_enabled_and_a_true_default_variant():
    assert parse_toggles(flagd("ENABLED").encode(), "t.json") == {"gift-wrap": True}
    assert parse_toggles(flagd("DISABLED").encode(), "t.json") == {"gift-wrap": False}
    assert parse_toggles(flagd("ENABLED", "off").encode(), "t.json") == {"gift-wrap": False}


@pytest.mark.parametrize(
    "text, needle",
    [
        (
            '{"flags": {"gift-wrap": {"state": "ON", "variants": {"on": true}, "defaultVariant": "on"}}}',
            "/flags/gift-wrap/state",
        ),
        (
            '{"flags": {"gift-wrap": {"state": "ENABLED", "variants": {"on": true}, "defaultVariant": "yes"}}}',
            "defaultVariant 'yes' is not one of the variants",
        ),
        (
            '{"flags": {"gift-wrap": {"state": "ENABLED", "variants": {"on": true}}}}',
            "'defaultVariant' is a required property",
        ),
        ("gift-wrap: maybe\n", "toggle 'gift-wrap': expected on or off"),
        ("[1, 2]\n", "not a toggle file"),
        ("{broken\n", "toggle file: invalid"),
    ],
)
def test_bad_toggle_file_is_one_error(tmp_path, capsys, monkeypatch, text, needle):
    name = "contracts/feature-toggles.yaml" if not text.startswith('{"') else "contracts/feature-toggles.json"
    feature_repo(tmp_path, {"contracts/order.json": WRAPPED, name: text})
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--examples", "5"])
    _, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and needle in err and "feature-toggles" in err, err


def test_unknown_toggle_name_warns_and_is_an_error_with_ci(tmp_path, capsys, monkeypatch):
    typo = reader(gift_wrap={"type": "boolean", "x-feature-toggle": "gift-warp"})
    feature_repo(tmp_path, {"contracts/order.json": PLAIN, "contracts/feature-toggles.json": flagd("DISABLED")})
    step(tmp_path, "typo", {"contracts/order.json": typo})
    code, doc, _ = check(capsys, monkeypatch, tmp_path)
    assert code == 1  # checked as if on: the break is not hidden
    assert any("does not define 'gift-warp'" in n for n in doc["notes"])
    monkeypatch.setenv("CI", "true")
    code, _, err = check(capsys, monkeypatch, tmp_path)
    assert code == 2 and "does not define 'gift-warp'" in err


def test_named_toggle_file_must_exist(tmp_path, capsys, monkeypatch):
    feature_repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--toggles", "flags.json"]) == 2
    assert "flags.json: toggle file not found" in capsys.readouterr().err


def test_clean_up_list(tmp_path, capsys, monkeypatch):
    both = json.dumps(
        {
            "flags": {
                "gift-wrap": {"state": "ENABLED", "variants": {"on": True}, "defaultVariant": "on"},
                "old-thing": {"state": "DISABLED", "variants": {"on": True, "off": False}, "defaultVariant": "off"},
            }
        }
    )
    feature_repo(tmp_path, {"contracts/order.json": WRAPPED, "contracts/feature-toggles.json": both})
    step(tmp_path, "docs", {"docs/a.md": "x\n"})
    code, doc, _ = check(capsys, monkeypatch, tmp_path)
    assert code == 0
    notes = doc["notes"]
    assert "toggle clean-up: gift-wrap: on since the base: remove the toggle and its x-feature-toggle marks" in notes
    assert "toggle clean-up: old-thing: no contract mentions it any more: remove it from the toggle file" in notes


def test_avro_field_and_proto_field_toggles(tmp_path, capsys, monkeypatch):
    avro1 = json.dumps({"type": "record", "name": "O", "fields": [{"name": "id", "type": "string"}]})
    avro2 = json.dumps(
        {
            "type": "record",
            "name": "O",
            "fields": [{"name": "id", "type": "string"}, {"name": "n", "type": "int", "x-feature-toggle": "gift-wrap"}],
        }
    )
    proto1 = 'syntax = "proto3";\npackage p;\nmessage A {\n  int32 x = 1;\n  string y = 2;\n}\n'
    proto2 = 'syntax = "proto3";\npackage p;\nmessage A {\n  int32 x = 1;\n  int64 y = 2; // cd-compat: toggle=gift-wrap\n}\n'
    feature_repo(
        tmp_path,
        {"contracts/o.avsc": avro1, "contracts/a.proto": proto1, "contracts/feature-toggles.yaml": "gift-wrap: off\n"},
    )
    step(tmp_path, "toggled", {"contracts/o.avsc": avro2, "contracts/a.proto": proto2})
    code, doc, _ = check(capsys, monkeypatch, tmp_path)
    avro = next(p for p in doc["pairs"] if p["contract"] == "contracts/o.avsc")
    assert avro["report"]["directions"]["new_consumer_old_producer"]["compatible"]
    assert any(
        "behind toggle gift-wrap, off" in f["message"]
        for d in avro["report"]["directions"].values()
        for f in d["findings"]
    )
    step(tmp_path, "on", {"contracts/feature-toggles.yaml": "gift-wrap: on\n"})
    code, doc, _ = check(capsys, monkeypatch, tmp_path)
    assert code == 1


def test_plugin_shows_the_toggled_break_in_the_summary(pytester):
    toggled_repo(pytester.path)
    result = pytester.runpytest("--cd-compat", *QUIET)
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        ["*info: contracts/order.json: old_consumer_new_producer: *behind toggle gift-wrap, off*"]
    )
