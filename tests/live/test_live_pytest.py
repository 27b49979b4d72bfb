"""``pytest --cd-compat`` with live servers: the pair's direction items fail or pass on the live findings too."""

from __future__ import annotations

import shutil

import pytest

from tests.live.conftest import SPECS, alive

pytest_plugins = ["pytester"]
CI_VARS = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "GITHUB_BASE_REF", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME")


@pytest.fixture(autouse=True)
def _not_ci(monkeypatch):
    """The inner runs have no git base; under CI that is refused, which is not what these tests are about."""
    for var in CI_VARS:
        monkeypatch.delenv(var, raising=False)


QUIET = ("-p", "no:cacheprovider", "-p", "no:benchmark", "-p", "no:randomly")


@pytest.fixture
def project(pytester):
    folder = pytester.path / "contracts" / "orders-api"
    folder.mkdir(parents=True)
    for name in ("v1.yaml", "v2.yaml"):
        shutil.copy(SPECS / name, folder / name)
    return pytester


def _run(pytester, *args):
    return pytester.runpytest_subprocess(
        "--cd-compat", *QUIET, "--cd-compat-seed", "1", "--cd-compat-examples", "0",
        "--cd-compat-live-examples", "15", *args,
    )  # fmt: skip


def test_live_options_fail_the_old_consumer_item(project, servers):
    result = _run(project, "--cd-compat-live-old-cmd", servers["v1"], "--cd-compat-live-new-cmd", servers["v2"],
                  "--cd-compat-live-spec", "contracts/orders-api/v2.yaml", "-v")  # fmt: skip
    out = result.stdout.str()
    assert "v1-to-v2::old-consumer-vs-new-producer FAILED" in out
    assert "live-response-rejected" in out
    assert "the spec did not change here: the behaviour did" in out
    assert not alive(servers["marker"])


def test_ini_keys_and_identical_behaviour(project, servers):
    project.makeini(
        f"""
        [pytest]
        cd_compat_live_old_cmd = {servers["v1"]}
        cd_compat_live_new_cmd = {servers["v1"]}
        cd_compat_live_spec = contracts/orders-api/*.yaml
        """
    )
    result = _run(project, "-v")
    out = result.stdout.str()
    assert "v1-to-v2::old-consumer-vs-new-producer PASSED" in out
    assert "live-response-rejected" not in out
    assert not alive(servers["marker"])


def test_live_without_the_spec_is_a_usage_error(project):
    result = _run(project, "--cd-compat-live-old", "http://127.0.0.1:9", "--cd-compat-live-new", "http://127.0.0.1:9")
    result.assert_outcomes(failed=2)
    assert "cd_compat_live_spec: name the OpenAPI contract the live servers implement" in result.stdout.str()


def test_unreachable_live_url_fails_the_pair_with_one_message(project):
    result = _run(project, "--cd-compat-live-old", "http://127.0.0.1:9", "--cd-compat-live-new",
                  "http://127.0.0.1:9", "--cd-compat-live-spec", "contracts/orders-api/v2.yaml")  # fmt: skip
    result.assert_outcomes(failed=2)
    assert "cannot connect to the new server at http://127.0.0.1:9: connection refused" in result.stdout.str()
