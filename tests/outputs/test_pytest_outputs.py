"""``pytest --cd-compat``: the short summary line starts with the rule id, a failure ends with a waiver entry to
paste, warnings of passing items appear in the ``cdcompat`` section without ``-rA``, ``--cd-compat-fail-on
warning`` (ini ``cd_compat_fail_on``) fails on them, and ``--cd-compat-report FORMAT=FILE`` writes CI reports."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml
from frontends.helpers import BREAKING, CI_VARS, OLD, commit_all, git, init_repo, order_schema, write

pytest_plugins = ["pytester"]
# the deploy policy that requires both directions (the default policy is tested in tests/release)
QUIET = ("-p", "no:cacheprovider", "-p", "no:benchmark", "--cd-compat-policy=both-directions")
# a new *optional* enum value in a message: old consumers may get a value they do not know -> a warning via an
# override, so a passing run has a warning to show
WARNED = order_schema("new", "paid", "void")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for var in CI_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("COLUMNS", "240")  # short summary lines are cut to the terminal width


@pytest.fixture
def repo(pytester):
    init_repo(pytester.path, {"contracts/orders.json": OLD})
    git(pytester.path, "checkout", "-q", "-b", "feature")
    return pytester


def run(pytester, *args):
    return pytester.runpytest("--cd-compat", *QUIET, "--cd-compat-seed", "1", "--cd-compat-examples", "5", *args)


def test_failure_names_the_rule_first_and_ends_with_a_waiver_entry(repo):
    write(repo.path, {"contracts/orders.json": BREAKING})
    commit_all(repo.path)
    result = run(repo, "-rf")
    result.assert_outcomes(passed=1, failed=1)
    short = [line for line in result.outlines if line.startswith("FAILED ")]
    assert len(short) == 1 and " - enum-value-removed: contracts/orders.json: " in short[0], short
    text = result.stdout.str()
    start = text.index("To accept this break after review, add")
    snippet = text[text.index("\n", start) + 1 :].split("\n\n", 1)[0]
    (entry,) = yaml.safe_load(snippet.split("=====")[0])
    assert entry["rule"] == "enum-value-removed" and entry["location"] == "/properties/status/enum"
    assert entry["contract"] == "contracts/orders.json" and entry["direction"] == "new_consumer_old_producer"
    assert entry["expires"] == dt.date.today() + dt.timedelta(days=30)
    assert entry["reason"].startswith("<why")


def test_warnings_of_passing_items_are_in_the_summary(repo):
    write(repo.path, {"contracts/orders.json": WARNED})
    commit_all(repo.path)
    result = run(repo, "--cd-compat-severity", "enum-value-added=warning")
    result.assert_outcomes(passed=2)
    text = result.stdout.str()
    assert any(x.startswith("=") and " cdcompat " in x for x in text.splitlines())
    line = next(x for x in result.outlines if "warning: enum-value-added at /properties/status/enum" in x)
    assert line.startswith("contracts/orders.json:") and "[contracts/orders.json, old_consumer_new_producer]" in line


def test_fail_on_warning(repo):
    write(repo.path, {"contracts/orders.json": WARNED})
    commit_all(repo.path)
    result = run(repo, "--cd-compat-severity", "enum-value-added=warning", "--cd-compat-fail-on", "warning", "-rf")
    result.assert_outcomes(passed=1, failed=1)
    assert any(" - enum-value-added: " in x and "--fail-on warning" in x for x in result.outlines)


def test_fail_on_from_the_ini_file(repo):
    write(repo.path, {"contracts/orders.json": WARNED})
    commit_all(repo.path)
    repo.makeini("[pytest]\ncd_compat_fail_on = warning\ncd_compat_severity = enum-value-added = warning\n")
    result = run(repo)
    result.assert_outcomes(passed=1, failed=1)


def test_report_files(repo):
    write(repo.path, {"contracts/orders.json": BREAKING})
    commit_all(repo.path)
    result = run(repo, "--cd-compat-report", "sarif=out.sarif", "--cd-compat-report", "gitlab=cq.json")
    result.assert_outcomes(passed=1, failed=1)
    sarif = json.loads((repo.path / "out.sarif").read_text())
    assert sarif["runs"][0]["results"][0]["ruleId"] == "enum-value-removed"
    assert json.loads((repo.path / "cq.json").read_text())[0]["location"]["path"] == "contracts/orders.json"


def test_bad_report_target_is_a_usage_error(repo):
    result = run(repo, "--cd-compat-report", "sarif=nowhere/out.sarif")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "report: nowhere/out.sarif: the folder 'nowhere' does not exist" in result.stderr.str()
