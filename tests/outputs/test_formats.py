"""The CI formats from ``cdcompat compare|check``: SARIF (validated against the official schema), GitHub workflow
commands and job summary, GitLab code quality, JUnit (compared with pytest's own ``--junitxml``), and the bad-input
errors of choosing and writing them."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from frontends.helpers import CI_VARS, OLD, SAFE, order_schema, write

from pytest_cdcompat.cli import main

SAMPLES = Path(__file__).parent / "samples"
BREAKING = order_schema("new")  # "paid" removed: new consumers reject what the old producer sends
# a required property added: old producers omit it, new consumers reject that
ADDED = json.dumps(
    {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {"status": {"enum": ["new", "paid"]}, "note": {"type": "string"}},
        "required": ["status", "note"],
    },
    indent=2,
)

REQUIRED_LINE = ADDED.splitlines().index('  "required": [') + 1


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch, tmp_path):
    for var in (*CI_VARS, "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"old.json": OLD, "new.json": BREAKING, "safe.json": SAFE, "added.json": ADDED})


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def sarif_validator():
    schema = json.loads((SAMPLES / "sarif-schema-2.1.0.json").read_text())
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def test_sarif_validates_against_the_official_schema(capsys):
    code, out, _ = run(capsys, "compare", "old.json", "new.json", "--format", "sarif", "--examples", "5")
    assert code == 1
    doc = json.loads(out)
    errors = sorted(sarif_validator().iter_errors(doc), key=str)
    assert not errors, errors[0]
    run_ = doc["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(set(ids)) and len(ids) > 100  # one descriptor per catalogue rule id
    (result,) = run_["results"]
    assert result["ruleId"] == "enum-value-removed" and result["level"] == "error"
    assert rules[result["ruleIndex"]]["id"] == "enum-value-removed"
    assert rules[result["ruleIndex"]]["help"]["text"]  # the advice
    assert rules[result["ruleIndex"]]["defaultConfiguration"] == {"level": "error"}
    loc = result["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "new.json"
    assert loc["region"]["startLine"] == 6  # "enum": [...] of status in new.json
    assert "new_consumer_old_producer" in result["message"]["text"]


def test_sarif_schema_fixture_rejects_a_broken_log():
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": [{"ruleId": "x"}]}]}
    messages = [e.message for e in sarif_validator().iter_errors(bad)]
    assert any("'name' is a required property" in m for m in messages)
    assert any("'message' is a required property" in m for m in messages)


def test_sarif_fingerprints_survive_an_edit_above_the_element(capsys, tmp_path):
    _, first, _ = run(capsys, "compare", "old.json", "new.json", "--format", "sarif", "--examples", "0")
    shifted = BREAKING.replace("{\n", '{\n  "title": "Order",\n  "description": "moved down two lines",\n', 1)
    write(tmp_path, {"new.json": shifted})
    _, second, _ = run(capsys, "compare", "old.json", "new.json", "--format", "sarif", "--examples", "0")
    a, b = (json.loads(t)["runs"][0]["results"][0] for t in (first, second))
    line = lambda r: r["locations"][0]["physicalLocation"]["region"]["startLine"]  # noqa: E731
    assert line(b) == line(a) + 2
    assert a["partialFingerprints"] == b["partialFingerprints"]


def test_sarif_waived_finding_is_suppressed_with_the_reason(capsys, tmp_path):
    (tmp_path / "waivers.yaml").write_text(
        "- rule: enum-value-removed\n  location: /properties/status/enum\n  reason: paid orders are migrated\n"
        "  expires: 2999-01-01\n"
    )
    code, out, _ = run(
        capsys, "compare", "old.json", "new.json", "--format", "sarif", "--waivers", "waivers.yaml", "--examples", "0"
    )
    assert code == 0
    (result,) = json.loads(out)["runs"][0]["results"]
    assert result["suppressions"] == [{"kind": "external", "justification": "paid orders are migrated"}]
    assert not list(sarif_validator().iter_errors(json.loads(out)))


# GitHub's workflow command grammar: ::name k=v,k=v::message, with %, CR, LF escaped (and : , in values)
COMMAND = re.compile(r"^::(error|warning|notice) ((?:[a-zA-Z]+=[^,:]*)(?:,[a-zA-Z]+=[^,:]*)*)::(.*)$")


def test_github_annotations(capsys):
    code, out, _ = run(capsys, "compare", "old.json", "added.json", "--format", "github", "--examples", "0")
    assert code == 1
    commands = [line for line in out.splitlines() if line.startswith("::")]
    assert commands, out
    for line in commands:
        m = COMMAND.match(line)
        assert m, line
    first = COMMAND.match(commands[0])
    assert first is not None
    props = dict(kv.split("=", 1) for kv in first.group(2).split(","))
    assert props["file"] == "added.json" and props["line"] == str(REQUIRED_LINE) and props["col"] == "3"
    assert props["title"].startswith("required-property-added (added.json)")
    assert first.group(1) == "error" and "new_consumer_old_producer" in first.group(3)
    assert out.splitlines()[-1] == "added.json: INCOMPATIBLE (deploy the producer first)"


def test_github_escaping():
    from pytest_cdcompat.report.github import escape_data, escape_property

    assert escape_data("50% of\r\nrows") == "50%25 of%0D%0Arows"
    assert escape_property("a:b,c") == "a%3Ab%2Cc"


def test_github_step_summary_is_written_when_set(capsys, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run(capsys, "compare", "old.json", "new.json", "--format", "github", "--examples", "0")
    text = summary.read_text()
    assert text.startswith("earlier step\n<!-- cdcompat-report -->\n## cdcompat: ❌ INCOMPATIBLE")
    assert "enum-value-removed" in text


def test_gitlab_code_quality(capsys):
    schema = json.loads((SAMPLES / "gitlab-codequality.schema.json").read_text())
    sample = json.loads((SAMPLES / "gitlab-codequality-example.json").read_text())
    jsonschema.validate(sample, schema)  # the schema accepts GitLab's own example
    code, out, _ = run(capsys, "compare", "old.json", "added.json", "--format", "gitlab", "--examples", "0")
    assert code == 1
    issues = json.loads(out)
    jsonschema.validate(issues, schema)
    (issue,) = issues
    assert issue["check_name"] == "required-property-added" and issue["severity"] == "critical"
    assert issue["location"] == {"path": "added.json", "lines": {"begin": REQUIRED_LINE}}
    assert len(issue["fingerprint"]) == 32
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{**issue, "severity": "error"}], schema)  # GitLab has no "error" severity


def test_junit_matches_pytests_own_junitxml(capsys, pytester, tmp_path):
    pytester.makepyfile("def test_ok():\n    pass\n\ndef test_bad():\n    assert 0, 'boom'\n")
    sample = pytester.path / "sample.xml"
    pytester.runpytest_inprocess(f"--junitxml={sample}", "-p", "no:cdcompat")
    capsys.readouterr()
    ref = ET.parse(sample).getroot()
    old, new = str(tmp_path / "old.json"), str(tmp_path / "new.json")
    code, out, _ = run(capsys, "compare", old, new, "--format", "junit", "--examples", "0")
    assert code == 1
    mine = ET.fromstring(out)
    assert mine.tag == ref.tag == "testsuites"
    ref_suite, suite = ref.find("testsuite"), mine.find("testsuite")
    assert ref_suite is not None and suite is not None
    assert {"name", "tests", "failures", "errors", "skipped", "time"} <= set(ref_suite.attrib) & set(suite.attrib)
    ref_case = ref_suite.find("testcase")
    assert ref_case is not None
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["old-consumer-vs-new-producer", "new-consumer-vs-old-producer"]
    for c in cases:
        assert set(c.attrib) <= set(ref_case.attrib)
    (failure,) = suite.iter("failure")
    ref_failure = next(ref_suite.iter("failure"))
    assert set(failure.attrib) <= set(ref_failure.attrib)
    assert failure.get("message", "").startswith("enum-value-removed: ")
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")


def test_markdown_comment_starts_with_the_verdict(capsys):
    code, out, _ = run(capsys, "compare", "old.json", "safe.json", "--format", "markdown", "--examples", "0")
    assert code == 0
    assert out.splitlines()[1] == "## cdcompat: ✅ compatible (1 contract pair checked)"


def large_pair(root: Path, n: int) -> None:
    props_old = {f"field_{i}": {"type": "string", "enum": [f"v{i}", "x", "y"]} for i in range(n)}
    props_new = {f"field_{i}": {"type": "string", "enum": [f"v{i}"], "maxLength": 3} for i in range(n)}
    for name, props in (("big-old.json", props_old), ("big-new.json", props_new)):
        doc = {"type": "object", "properties": props}
        (root / name).write_text(json.dumps(doc, indent=2))


def test_markdown_comment_of_a_large_pair_is_capped(capsys, tmp_path):
    large_pair(tmp_path, 150)
    (tmp_path / "full.txt").write_text("")
    code, out, _ = run(
        capsys, "compare", "big-old.json", "big-new.json", "--format", "markdown", "--examples", "0",
        "--report", "text=full.txt",
    )  # fmt: skip
    assert code == 1
    assert len(out) < 60_000
    assert out.splitlines()[1].startswith("## cdcompat: ❌ INCOMPATIBLE")
    assert "**Deploy plan**" in out and "| `big-new.json` | ❌ INCOMPATIBLE |" in out
    last = out.rstrip("\n").splitlines()[-1]
    assert re.match(r"^_Cut at 60,000 characters: \d+ of \d+ findings shown \(cut inside `big-new.json`\); "
                    r"the full report is in `full.txt`\._$", last), last  # fmt: skip
    full = (tmp_path / "full.txt").read_text()
    assert len(full) > 60_000 and "field_149" in full


def test_report_files_are_written(capsys, tmp_path):
    code, _, _ = run(
        capsys, "compare", "old.json", "new.json", "--examples", "0",
        "--report", "sarif=out.sarif", "--report", "junit=out.xml", "--report", "gitlab=cq.json",
    )  # fmt: skip
    assert code == 1
    assert json.loads((tmp_path / "out.sarif").read_text())["version"] == "2.1.0"
    assert ET.parse(tmp_path / "out.xml").getroot().tag == "testsuites"
    assert json.loads((tmp_path / "cq.json").read_text())[0]["check_name"] == "enum-value-removed"


def test_check_sarif_covers_every_pair(capsys, tmp_path):
    from frontends.helpers import commit_all, init_repo

    init_repo(tmp_path, {"contracts/a.json": OLD, "contracts/b.json": OLD})
    write(tmp_path, {"contracts/a.json": BREAKING})
    commit_all(tmp_path)
    code, out, _ = run(
        capsys,
        "check",
        "contracts",
        "--base",
        "HEAD~1",
        "--policy",
        "both-directions",
        "--format",
        "sarif",
        "--examples",
        "0",
    )
    assert code == 1
    doc = json.loads(out)
    assert not list(sarif_validator().iter_errors(doc))
    (result,) = doc["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "contracts/a.json"


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["--format", "yaml"], "argument --format: invalid choice: 'yaml'"),
        (["--report", "pdf=out.pdf"], "report: unknown format 'pdf'"),
        (["--report", "sarif=missing/out.sarif"], "report: missing/out.sarif: the folder 'missing' does not exist"),
        (["--report", "sarif=."], "report: .: is a folder, not a file to write the sarif report to"),
        (["--report", "sarif"], "report: expected FORMAT=FILE, got 'sarif'"),
        (["--fail-on", "never"], "fail-on: 'never' is not error or warning"),
    ],
)
def test_bad_format_requests_are_one_clear_error(capsys, argv, needle):
    code, out, err = run(capsys, "compare", "old.json", "new.json", *argv)
    assert code == 2, out + err
    assert err.startswith("cdcompat: error: ") and err.count("\n") == 1 and needle in err, err
