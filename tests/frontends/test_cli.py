"""The ``cdcompat`` command: exit codes 0/1/2, one-line errors, formats, REF:PATH and ``check``."""

from __future__ import annotations

import json

import pytest

from frontends.helpers import BREAKING, CI_VARS, OLD, SAFE, commit_all, git, init_repo, write
from pytest_cdcompat.cli import main


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch, tmp_path):
    for var in CI_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def pair(tmp_path):
    write(tmp_path, {"old.json": OLD, "new.json": BREAKING, "safe.json": SAFE})
    return tmp_path


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(err, *needles):
    assert err.startswith("cdcompat: error: "), err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    for n in needles:
        assert n in err


def test_compatible_exits_0(pair, capsys):
    code, out, err = run(capsys, "compare", "old.json", "safe.json", "--seed", "1")
    assert code == 0, out + err
    assert "COMPATIBLE" in out and "INCOMPATIBLE" not in out
    assert "seed: 1," in out


def test_incompatible_exits_1_with_readable_text(pair, capsys):
    code, out, err = run(capsys, "compare", "old.json", "new.json", "--seed", "1", "--examples", "20")
    assert code == 1, out + err
    assert "new consumers against the old producer (new_consumer_old_producer): INCOMPATIBLE" in out
    assert "old consumers against the new producer (old_consumer_new_producer): COMPATIBLE" in out
    assert "deploy order: deploy the producer first" in out
    assert "paid" in out


def test_json_format_keys(pair, capsys):
    code, out, _ = run(capsys, "compare", "old.json", "new.json", "--format", "json", "--seed", "3")
    assert code == 1
    doc = json.loads(out)
    assert list(doc) == ["kind", "old", "new", "directions", "deploy_order"]
    assert doc["kind"] == "jsonschema"
    assert (doc["old"], doc["new"]) == ("old.json", "new.json")
    assert doc["directions"]["new_consumer_old_producer"]["compatible"] is False
    assert doc["directions"]["old_consumer_new_producer"]["compatible"] is True
    finding = doc["directions"]["new_consumer_old_producer"]["findings"][0]
    assert list(finding) == [
        "rule", "severity", "location", "message", "counterexample", "advice", "file", "line", "column"
    ]  # fmt: skip
    assert finding["severity"] == "error"
    assert finding["file"] == "new.json" and isinstance(finding["line"], int) and isinstance(finding["column"], int)


def test_markdown_format(pair, capsys):
    code, out, _ = run(capsys, "compare", "old.json", "new.json", "--format", "markdown", "--seed", "3")
    assert code == 1
    # a pull-request comment: the verdict first
    assert out.startswith("<!-- cdcompat-report -->\n## cdcompat: ❌ INCOMPATIBLE: 1 of 1 contract pair")


def test_same_seed_same_bytes(pair, capsys):
    code, out, _ = run(capsys, "compare", "old.json", "new.json", "--seed", "7")
    assert code == 1
    assert "  seed: 7, examples: 100\n" in out
    # the stored golden of this seed: the counterexample and the deploy order
    assert (
        '    new.json:6:7: error: enum-value-removed at /properties/status/enum\n      enum value "paid" was removed\n'
        in out
    )
    assert '      counterexample:\n        {\n          "status": "paid"\n        }\n' in out
    assert "deploy order: deploy the producer first\n" in out


def test_ci_derives_the_seed_from_the_inputs(pair, capsys, monkeypatch):
    monkeypatch.setenv("CI", "true")
    first = run(capsys, "compare", "old.json", "new.json", "--format", "text")
    assert "  seed: 4264759370, examples: 100\n" in first[1]  # derived from these two inputs' bytes
    other = run(capsys, "compare", "old.json", "safe.json", "--format", "text")
    assert "  seed: 4264759370," not in other[1] and "  seed: " in other[1]  # other inputs, another seed


@pytest.mark.parametrize(
    "argv, needles",
    [
        (["compare", "old.json"], ["required: NEW"]),
        (["compare", "old.json", "new.json", "--examples", "many"], ["--examples", "many"]),
        (["compare", "old.json", "new.json", "--format", "xml"], ["--format"]),
        (["compare", "old.json", "missing.json"], ["missing.json", "file not found"]),
        (["compare", "old.json", "new.json", "--kind", "avro"], [".json"]),
        (["compare", "old.json", "new.json", "--mode", "SIDEWAYS"], ["unknown compatibility mode 'SIDEWAYS'"]),
        (["frobnicate"], ["invalid choice"]),
        ([], ["required"]),
    ],
)
def test_usage_and_input_errors_exit_2(pair, capsys, argv, needles):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert_one_line_error(err, *needles)


def test_invalid_contract_exits_2(pair, capsys):
    write(pair, {"broken.json": "{not json"})
    code, _, err = run(capsys, "compare", "old.json", "broken.json")
    assert code == 2
    assert_one_line_error(err, "broken.json")


def test_ref_path_reads_from_git(tmp_path, capsys):
    init_repo(tmp_path, {"contracts/orders.json": OLD})
    write(tmp_path, {"contracts/orders.json": BREAKING})
    code, out, _ = run(capsys, "compare", "main:contracts/orders.json", "contracts/orders.json", "--seed", "1")
    assert code == 1
    assert "old: main:contracts/orders.json" in out
    code, out, _ = run(capsys, "compare", "HEAD:contracts/orders.json", "HEAD:contracts/orders.json", "--seed", "1")
    assert code == 0


@pytest.mark.parametrize(
    "spec, needle",
    [
        ("nope:contracts/orders.json", "git revision 'nope' does not exist"),
        ("-x:contracts/orders.json", "not a valid git revision: '-x'"),
        ("main:contracts/absent.json", "not found in git revision"),
    ],
)
def test_bad_git_refs_exit_2(tmp_path, capsys, spec, needle):
    init_repo(tmp_path, {"contracts/orders.json": OLD})
    code, _, err = run(capsys, "compare", "--", spec, "contracts/orders.json")
    assert code == 2
    assert_one_line_error(err, needle)


def test_mode_decides_which_direction_fails(pair, capsys):
    code, out, _ = run(capsys, "compare", "old.json", "new.json", "--seed", "1", "--mode", "FORWARD")
    assert code == 0  # only old consumers vs the new producer is required, and that direction is fine
    assert "mode: FORWARD; not required (reported, not failed): new_consumer_old_producer" in out
    code, _, _ = run(capsys, "compare", "old.json", "new.json", "--seed", "1", "--mode", "BACKWARD")
    assert code == 1


def test_waivers_file(pair, capsys):
    code, out, _ = run(capsys, "compare", "old.json", "new.json", "--seed", "1", "--format", "json")
    finding = json.loads(out)["directions"]["new_consumer_old_producer"]["findings"][0]
    write(
        pair,
        {
            "w.yaml": f"- rule: {finding['rule']}\n  location: '{finding['location']}'\n"
            "  reason: paid orders are migrated\n  expires: 2999-01-01\n"
        },
    )
    code, out, _ = run(capsys, "compare", "old.json", "new.json", "--seed", "1", "--waivers", "w.yaml")
    assert code == 0, out
    assert "waived: paid orders are migrated" in out
    code, _, err = run(capsys, "compare", "old.json", "new.json", "--waivers", "nope.yaml")
    assert code == 2
    assert_one_line_error(err, "nope.yaml", "waiver file not found")


def test_check_runs_the_discovery(tmp_path, capsys):
    init_repo(tmp_path, {"contracts/orders.json": OLD, "contracts/gone.json": OLD})
    git(tmp_path, "checkout", "-q", "-b", "feature")
    write(tmp_path, {"contracts/orders.json": BREAKING})
    (tmp_path / "contracts/gone.json").unlink()
    commit_all(tmp_path)
    code, out, err = run(capsys, "check", "--policy", "both-directions", "--seed", "5")
    assert code == 1, out + err
    assert "== contracts/orders.json [changed]" in out
    assert "== contracts/gone.json [removed]" in out
    assert "contract-removed" in out
    assert "2 pair(s) checked, 2 failing" in out
    code, out, _ = run(capsys, "check", "--policy", "both-directions", "--seed", "5", "--format", "json")
    doc = json.loads(out)
    assert [p["contract"] for p in doc["pairs"]] == ["contracts/gone.json", "contracts/orders.json"]
    assert doc["compatible"] is False
    git(tmp_path, "checkout", "-q", "main")
    code, out, _ = run(capsys, "check", "--policy", "both-directions", "--seed", "5")
    assert code == 0, out


def test_check_bad_base_exits_2(tmp_path, capsys):
    init_repo(tmp_path, {"contracts/orders.json": OLD})
    code, _, err = run(capsys, "check", "--base", "does-not-exist")
    assert code == 2
    assert_one_line_error(err, "does-not-exist")


def test_history_adds_earlier_versions(tmp_path, capsys):
    write(tmp_path, {"ev/v1.json": BREAKING, "ev/v2.json": OLD, "ev/v3.json": SAFE})
    code, out, _ = run(capsys, "compare", "ev/v2.json", "ev/v3.json", "--seed", "1", "--format", "json")
    assert code == 0 and isinstance(json.loads(out), dict)
    code, out, _ = run(
        capsys, "compare", "ev/v2.json", "ev/v3.json", "--seed", "1", "--format", "json", "--history", "2"
    )
    doc = json.loads(out)
    assert [(r["old"], r["new"]) for r in doc] == [("ev/v2.json", "ev/v3.json"), ("ev/v1.json", "ev/v3.json")]
    assert code == 1  # v1 -> v3 adds "paid": old readers of v1 reject it


def test_check_migrations_folder_against_git(tmp_path, capsys):
    init_repo(tmp_path, {"contracts/db/0001_init.sql": "CREATE TABLE orders (id INTEGER PRIMARY KEY, status TEXT);\n"})
    git(tmp_path, "checkout", "-q", "-b", "feature")
    write(tmp_path, {"contracts/db/0002_note.sql": "ALTER TABLE orders ADD COLUMN note TEXT NOT NULL;\n"})
    commit_all(tmp_path)
    code, out, err = run(capsys, "check", "--policy", "both-directions", "--seed", "1", "--examples", "5")
    assert code == 1, out + err
    assert "== contracts/db [changed]" in out
    assert "cdcompat: sql contract" in out
    assert "migration db/0002_note.sql" in out or "table orders" in out


def test_check_markdown_nests_reports(tmp_path, capsys):
    init_repo(tmp_path, {"contracts/orders.json": OLD})
    write(tmp_path, {"contracts/orders.json": BREAKING})  # uncommitted, on main: compared with HEAD
    code, out, _ = run(capsys, "check", "--policy", "both-directions", "--seed", "1", "--format", "markdown")
    assert code == 1
    assert out.splitlines()[1].startswith("## cdcompat: ❌ INCOMPATIBLE: 1 of 1 contract pair")
    assert "| `contracts/orders.json` | ❌ INCOMPATIBLE | deploy the producer first | 1 | 0 | 0 | 0 |" in out
    assert "<summary><b>contracts/orders.json</b>: INCOMPATIBLE" in out
    assert "**New consumers against the old producer** (`new_consumer_old_producer`): INCOMPATIBLE" in out


def test_severity_override(pair, capsys):
    code, out, _ = run(
        capsys, "compare", "old.json", "new.json", "--seed", "1", "--severity", "enum-value-removed=warning"
    )
    assert code == 0, out
    assert "warning: enum-value-removed" in out
    code, _, err = run(capsys, "compare", "old.json", "new.json", "--severity", "no-such-rule=info")
    assert code == 2
    assert_one_line_error(err, "unknown rule id 'no-such-rule'")


def test_modes_mapping_on_the_command_line(pair, capsys):
    code, out, _ = run(capsys, "compare", "old.json", "new.json", "--seed", "1", "--modes", "new.json = FORWARD")
    assert code == 0, out
    assert "mode: FORWARD" in out
