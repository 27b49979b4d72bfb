"""Pact files under ``pytest --cd-compat``: found under the contract paths or named by ``cd_compat_pacts``."""

from __future__ import annotations

import shutil

import pytest

from tests.pact.test_pact_check import ORDERS, WEB_CHECKOUT

pytest_plugins = ["pytester"]
CI_VARS = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "GITHUB_BASE_REF", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME")


@pytest.fixture(autouse=True)
def _not_ci(monkeypatch):
    """The inner runs have no git base; under CI that is refused, which is not what these tests are about."""
    for var in CI_VARS:
        monkeypatch.delenv(var, raising=False)


QUIET = ("-p", "no:cacheprovider", "-p", "no:benchmark")


def _project(pytester, pact_dir: str) -> None:
    folder = pytester.path / "contracts" / "orders-api"
    folder.mkdir(parents=True)
    for name in ("v2.yaml", "v3.yaml"):
        shutil.copy(ORDERS / name, folder / name)
    (pytester.path / pact_dir).mkdir(parents=True, exist_ok=True)
    shutil.copy(WEB_CHECKOUT, pytester.path / pact_dir / "web-checkout.json")


def _run(pytester, *args):
    return pytester.runpytest_subprocess("--cd-compat", *QUIET, "--cd-compat-seed", "1", "--cd-compat-examples", "20",
                                         "-rA", *args)  # fmt: skip


def test_a_pact_under_the_contract_paths_is_checked_with_its_provider(pytester):
    _project(pytester, "contracts/pacts")
    result = _run(pytester)
    assert result.ret == 1  # the v2 -> v3 contract step fails old consumers
    out = result.stdout.str()
    assert "consumer web-checkout, interaction 'a request for an order' (given 'order o-1 exists')" in out
    assert "[affects web-checkout (1 interaction)]" in out


def test_cd_compat_pacts_names_a_pact_elsewhere(pytester):
    _project(pytester, "consumers")
    pytester.makeini("[pytest]\ncd_compat_pacts = consumers/web-checkout.json\n")
    result = _run(pytester)
    assert result.ret == 1  # the v2 -> v3 contract step fails old consumers
    assert "pact-response-mismatch" in result.stdout.str()


def test_without_pacts_there_is_no_consumer_note(pytester):
    _project(pytester, "elsewhere")
    result = _run(pytester)
    assert result.ret == 1  # the v2 -> v3 contract step fails old consumers
    assert "pact-response-mismatch" not in result.stdout.str() and "known consumer" not in result.stdout.str()


def test_cd_compat_pacts_maps_a_pact_to_its_provider_spec(pytester):
    _project(pytester, "consumers")
    doc = (pytester.path / "consumers" / "web-checkout.json").read_text()
    doc = doc.replace('"x-cd-compat": {"provider": "contracts/orders-api"},', "")
    doc = doc.replace('"name": "orders-api"', '"name": "some other name"')
    (pytester.path / "consumers" / "web-checkout.json").write_text(doc)
    pytester.makeini("[pytest]\ncd_compat_pacts =\n    consumers/web-checkout.json = contracts/orders-api/*.yaml\n")
    result = _run(pytester)
    assert result.ret == 1  # the v2 -> v3 contract step fails old consumers
    assert "consumer web-checkout, interaction 'a request for an order'" in result.stdout.str()
