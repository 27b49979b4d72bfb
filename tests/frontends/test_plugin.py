"""``pytest --cd-compat`` end to end, with pytester: a git repository, a branch, a changed contract."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from frontends.helpers import BREAKING, CI_VARS, OLD, SAFE, commit_all, git, init_repo, warm_imports, write

pytest_plugins = ["pytester"]

# Inner runs: no cache files in the test folder, and no pytest-benchmark warnings about xdist when this suite itself
# runs under xdist. These tests exercise the front end with a change that breaks one direction each way; they run
# with the deploy policy that requires both (the default policy is tested in tests/release).
QUIET = ("-p", "no:cacheprovider", "-p", "no:benchmark", "--cd-compat-policy=both-directions")


@pytest.fixture(scope="module", autouse=True)
def _warm_imports(tmp_path_factory):
    warm_imports(tmp_path_factory.mktemp("warm"))


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for var in CI_VARS:
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def repo(pytester):
    """A repository whose main branch holds contracts/orders.json; HEAD is a feature branch."""
    init_repo(pytester.path, {"contracts/orders.json": OLD})
    git(pytester.path, "checkout", "-q", "-b", "feature")
    return pytester


def change(pytester, files, *, remove=()):
    write(pytester.path, files)
    for rel in remove:
        (pytester.path / rel).unlink()
    commit_all(pytester.path)


def run(pytester, *args):
    return pytester.runpytest("--cd-compat", *QUIET, "--cd-compat-seed", "1", "--cd-compat-examples", "10", *args)


def test_without_the_flag_nothing_is_added(repo):
    change(repo, {"contracts/orders.json": BREAKING})
    result = repo.runpytest(*QUIET)
    result.assert_outcomes()
    assert "cdcompat:" not in result.stdout.str()


def test_plugin_import_stays_light():
    heavy = ("hypothesis", "jsonschema", "yaml", "pytest_cdcompat.kinds", "pytest_cdcompat.kinds.schema.schema_engine")
    code = f"import sys, pytest_cdcompat.plugin; print(sorted(m for m in sys.modules if m.startswith({heavy!r})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_unchanged_contract_passes(repo):
    result = run(repo)
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["cdcompat: seed=1, semantics=tolerant, base=main (*), policy=both-directions"])


def test_breaking_branch_fails_readably_then_passes_once_safe(repo):
    change(repo, {"contracts/orders.json": BREAKING})
    result = run(repo, "-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*contracts/orders.json::old-consumer-vs-new-producer PASSED*",
            "*contracts/orders.json::new-consumer-vs-old-producer FAILED*",
            "*contracts/orders.json: new consumers against the old producer: INCOMPATIBLE*",
            "*new consumers against the old producer (new_consumer_old_producer): INCOMPATIBLE",
            "*deploy order: deploy the producer first",
        ]
    )
    out = result.stdout.str()
    assert "Traceback" not in out and "raise CdcompatFailure" not in out
    assert "paid" in out
    change(repo, {"contracts/orders.json": SAFE})
    # Every commit is a deploy: the breaking commit still fails, by name; base against head alone passes.
    result = run(repo)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*deploy step: commit * 'change'*"])
    run(repo, "--cd-compat-each-commit=no").assert_outcomes(passed=2)


def test_uncommitted_change_on_main_is_checked(pytester):
    init_repo(pytester.path, {"contracts/orders.json": OLD})
    write(pytester.path, {"contracts/orders.json": BREAKING})
    result = run(pytester)
    result.assert_outcomes(passed=1, failed=1)
    assert "uncommitted changes" in result.stdout.str()


def test_added_contract_passes_with_a_note(repo):
    change(repo, {"contracts/payments.json": OLD})
    result = run(repo)
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*note: contracts/payments.json is new on this branch*"])


def test_deleted_contract_fails(repo):
    change(repo, {}, remove=["contracts/orders.json"])
    result = run(repo, "-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*contracts/orders.json::old-consumer-vs-new-producer FAILED*", "*contract-removed*"])


def test_load_error_is_one_failing_item(repo):
    change(repo, {"contracts/orders.json": "{ not json"})
    result = run(repo, "-v")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*contracts/orders.json::load FAILED*", "*cannot load the contract*orders.json*"])


def test_version_folder_ordering_and_history(pytester):
    files = {f"contracts/events/v{i}.json": OLD for i in (1, 2, 9)}
    files["contracts/events/v10.json"] = BREAKING
    write(pytester.path, files)  # not a git repository: version folders only
    result = run(pytester, "--collect-only", "-q", "--cd-compat-history", "2")
    result.stdout.fnmatch_lines(
        [
            "contracts/events/v10.json::v9-to-v10::old-consumer-vs-new-producer",
            "contracts/events/v10.json::v9-to-v10::new-consumer-vs-old-producer",
            "contracts/events/v10.json::v2-to-v10::old-consumer-vs-new-producer",
            "contracts/events/v10.json::v2-to-v10::new-consumer-vs-old-producer",
            "contracts/events/v2.json::v1-to-v2::old-consumer-vs-new-producer",
            "contracts/events/v2.json::v1-to-v2::new-consumer-vs-old-producer",
            "contracts/events/v9.json::v2-to-v9::old-consumer-vs-new-producer",
            "contracts/events/v9.json::v2-to-v9::new-consumer-vs-old-producer",
        ]
    )
    result = run(pytester, "--cd-compat-history", "2")
    result.assert_outcomes(passed=6, failed=2)
    result.stdout.fnmatch_lines(["*note: not a git repository: only version folders are compared*"])


def test_keyword_selection(repo):
    change(repo, {"contracts/orders.json": BREAKING})
    result = run(repo, "-k", "old-consumer")
    result.assert_outcomes(passed=1, deselected=1)
    result = run(repo, "-m", "cdcompat")
    result.assert_outcomes(passed=1, failed=1)


def test_exitfirst(repo):
    change(repo, {"contracts/orders.json": BREAKING, "contracts/z.json": OLD})
    git(repo.path, "checkout", "-q", "main")
    write(repo.path, {"contracts/orders.json": BREAKING, "contracts/z.json": OLD})
    commit_all(repo.path)
    git(repo.path, "checkout", "-q", "-b", "second")
    write(repo.path, {"contracts/orders.json": OLD, "contracts/z.json": BREAKING})
    commit_all(repo.path)
    result = run(repo, "-x")
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed") == 1 and outcomes.get("passed", 0) < 3


def test_junitxml_holds_the_findings(repo):
    change(repo, {"contracts/orders.json": BREAKING})
    xml = repo.path / "out.xml"
    run(repo, f"--junitxml={xml}").assert_outcomes(passed=1, failed=1)
    text = xml.read_text()
    assert 'name="new-consumer-vs-old-producer"' in text
    assert "new consumers against the old producer: INCOMPATIBLE" in text
    assert "deploy the producer first" in text


@pytest.mark.skipif(importlib.util.find_spec("xdist") is None, reason="pytest-xdist is not installed")
def test_xdist_collects_the_same_everywhere(repo):
    change(repo, {"contracts/orders.json": BREAKING, "contracts/events/v1.json": OLD, "contracts/events/v2.json": OLD})
    # --assert=plain: no assertion rewriting of the plugin packages in three fresh processes (much faster).
    result = repo.runpytest_subprocess("--cd-compat", *QUIET, "--assert=plain", "-n", "2")
    result.assert_outcomes(passed=3, failed=1)


def test_bad_base_is_an_error_item(repo):
    for ref, needle in (("-x", "not a valid git revision: '-x'"), ("nope", "git revision 'nope' does not exist")):
        result = run(repo, f"--cd-compat-base={ref}")
        assert result.ret == pytest.ExitCode.INTERRUPTED  # a collection error: exit status 2, nothing passes
        result.stdout.fnmatch_lines([f"*cdcompat: error: {needle}*", "*1 error*"])
        assert "Traceback" not in result.stdout.str()


def test_explicit_base_and_ini_options(repo):
    change(repo, {"contracts/orders.json": BREAKING})
    repo.makeini("[pytest]\ncd_compat_base = HEAD\ncd_compat_examples = 5\ncd_compat_strict = true\n")
    result = run(repo)
    result.assert_outcomes(passed=2)  # HEAD against the work tree: nothing changed
    result.stdout.fnmatch_lines(["cdcompat: seed=1, semantics=strict, base=HEAD *"])


def test_paths_option(repo):
    write(repo.path, {"schemas/orders.json": OLD})
    commit_all(repo.path)
    result = run(repo, "--cd-compat-paths", "schemas")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*note: schemas/orders.json is new on this branch*"])


def test_ci_seed_is_derived_and_stable(repo, monkeypatch):
    monkeypatch.setenv("CI", "true")
    first = repo.runpytest("--cd-compat", *QUIET)
    second = repo.runpytest("--cd-compat", *QUIET)
    header = [line for line in first.stdout.lines if line.startswith("cdcompat: seed=")]
    assert header and header == [line for line in second.stdout.lines if line.startswith("cdcompat: seed=")]


def test_cdcompat_fixture(pytester):
    write(pytester.path, {"old.json": OLD, "new.json": BREAKING})
    pytester.makepyfile(
        """
        def test_mine(cdcompat):
            report = cdcompat("old.json", "new.json", seed=1, examples=10)
            assert report.directions["old_consumer_new_producer"].compatible
            assert not report.compatible
        """
    )
    pytester.runpytest(*QUIET).assert_outcomes(passed=1)


WAIVER = """\
- rule: "*"
  location: "*"
  contract: contracts/orders.json
  reason: paid orders are migrated
  expires: {expires}
"""


def test_waived_finding_passes(repo):
    change(
        repo,
        {"contracts/orders.json": BREAKING, "contracts/cdcompat-waivers.yaml": WAIVER.format(expires="2999-01-01")},
    )
    result = run(repo, "-rA")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["*waived: paid orders are migrated*"])


def test_expired_waiver_fails(repo):
    change(
        repo,
        {"contracts/orders.json": BREAKING, "contracts/cdcompat-waivers.yaml": WAIVER.format(expires="2001-01-01")},
    )
    result = run(repo, "-v")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*contracts/cdcompat-waivers.yaml::expiry FAILED*",
            "*contracts/cdcompat-waivers.yaml entry 1 (rule * at *) expired on 2001-01-01*",
        ]
    )
    assert "waiver-expired" in result.stdout.str()


def test_unused_waiver_warns(repo):
    change(repo, {"contracts/cdcompat-waivers.yaml": WAIVER.format(expires="2999-01-01")})
    result = run(repo)
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["*warning: contracts/cdcompat-waivers.yaml entry 1 * matched no finding*"])


def test_invalid_waiver_file_is_a_usage_error(repo):
    change(repo, {"contracts/cdcompat-waivers.yaml": "- rule: x-y\n  location: /a\n  expires: 2999-01-01\n"})
    result = run(repo)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*contracts/cdcompat-waivers.yaml entry 1: 'reason' is required*"])


def test_mode_from_ini_makes_a_direction_optional(repo):
    change(repo, {"contracts/orders.json": BREAKING})
    repo.makeini("[pytest]\ncd_compat_modes =\n    contracts/orders.json = FORWARD\n")
    result = run(repo, "-rx")
    result.assert_outcomes(passed=1, xfailed=1)
    result.stdout.fnmatch_lines(["*new_consumer_old_producer is not required by mode FORWARD*"])


def test_mode_in_file_marker(repo):
    marked = BREAKING.replace('"type": "object"', '"type": "object",\n  "x-cd-compat": {"mode": "BACKWARD"}')
    change(repo, {"contracts/orders.json": marked})
    run(repo).assert_outcomes(passed=1, failed=1)  # BACKWARD requires exactly the broken direction
    repo.makeini("[pytest]\ncd_compat_mode = NONE\n")
    run(repo).assert_outcomes(passed=1, failed=1)  # the file's own marker wins over the default


def test_node_ids_and_walks_collect_each_item_once(repo):
    change(repo, {"contracts/orders.json": BREAKING, "contracts/other.json": OLD})
    result = run(repo, "contracts/orders.json::new-consumer-vs-old-producer")
    result.assert_outcomes(failed=1)  # only the named item
    result = run(repo, "contracts", "--collect-only", "-q")
    ids = [line for line in result.stdout.lines if "::" in line]
    assert len(ids) == len(set(ids)) == 4


def test_added_contract_that_does_not_load_fails(repo):
    change(repo, {"contracts/payments.json": '{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": 7}'})
    result = run(repo, "-v")
    out = result.stdout.str()
    assert "contracts/payments.json" in out and "Traceback" not in out
    assert result.parseoutcomes().get("failed", 0) >= 1


def test_severity_override_from_ini_and_removed_contract(repo):
    change(repo, {}, remove=["contracts/orders.json"])
    repo.makeini("[pytest]\ncd_compat_severity =\n    contract-removed = warning\n")
    run(repo).assert_outcomes(passed=2)


def test_last_failed_reruns_a_deleted_contract(repo):
    change(repo, {"contracts/other.json": OLD}, remove=["contracts/orders.json"])
    args = ("--cd-compat", "-p", "no:benchmark", "--cd-compat-seed", "1")
    repo.runpytest(*args).assert_outcomes(passed=3, failed=1)
    result = repo.runpytest(*args, "--lf")
    result.assert_outcomes(failed=1, deselected=3)
