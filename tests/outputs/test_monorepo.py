"""Monorepo use: contract path globs, and unchanged contracts skipped before loading."""

from __future__ import annotations

import pytest
from frontends.helpers import BREAKING, CI_VARS, OLD, commit_all, git, init_repo, write

import pytest_cdcompat.api
from pytest_cdcompat.cli import main


@pytest.fixture(autouse=True)
def _env(monkeypatch, tmp_path):
    for var in CI_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def compared(monkeypatch):
    calls: list[str] = []
    real = pytest_cdcompat.api.compare

    def spy(old, new, **kw):
        calls.append(str(new))
        return real(old, new, **kw)

    monkeypatch.setattr(pytest_cdcompat.api, "compare", spy)
    return calls


def test_glob_finds_every_service_and_only_the_changed_one_is_compared(tmp_path, capsys, compared):
    init_repo(tmp_path, {f"services/{s}/contracts/orders.json": OLD for s in ("a", "b", "c")})
    git(tmp_path, "checkout", "-q", "-b", "feature")
    write(tmp_path, {"services/b/contracts/orders.json": BREAKING})
    commit_all(tmp_path)
    code = main(
        [
            "check",
            "services/*/contracts",
            "--base",
            "main",
            "--policy",
            "both-directions",
            "--seed",
            "1",
            "--examples",
            "0",
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "3 pair(s) checked, 1 failing" in out
    for s in ("a", "b", "c"):
        assert f"== services/{s}/contracts/orders.json [changed]" in out or f"services/{s}/contracts" in out
    assert compared == ["services/b/contracts/orders.json"]


def test_a_file_with_external_refs_is_compared_even_when_unchanged(tmp_path, capsys, compared):
    main_doc = '{"type": "object", "properties": {"status": {"$ref": "status.json"}}}'
    init_repo(tmp_path, {"contracts/orders.json": main_doc, "contracts/status.json": '{"enum": ["new", "paid"]}'})
    git(tmp_path, "checkout", "-q", "-b", "feature")
    write(tmp_path, {"contracts/status.json": '{"enum": ["new"]}'})  # only the referenced file changed
    commit_all(tmp_path)
    code = main(
        ["check", "contracts", "--base", "main", "--policy", "both-directions", "--seed", "1", "--examples", "0"]
    )
    out = capsys.readouterr().out
    assert code == 1, out
    assert "enum-value-removed" in out
    assert "contracts/orders.json" in compared


def test_a_glob_matching_nothing_finds_nothing(tmp_path, capsys):
    init_repo(tmp_path, {"services/a/contracts/orders.json": OLD})
    code = main(["check", "nowhere/*/contracts", "--base", "HEAD", "--policy", "both-directions", "--seed", "1"])
    assert code == 0
    assert "0 pair(s) checked, 0 failing" in capsys.readouterr().out


def test_each_service_has_its_own_waiver_file(tmp_path, capsys):
    waiver = (
        "- rule: enum-value-removed\n  location: /properties/status/enum\n  reason: service {s} migrated its data\n"
        "  expires: 2999-01-01\n"
    )
    files = {f"services/{s}/contracts/orders.json": OLD for s in ("a", "b")}
    files["services/a/contracts/cdcompat-waivers.yaml"] = waiver.format(s="a")
    files["services/b/contracts/cdcompat-waivers.yaml"] = "[]\n"
    init_repo(tmp_path, files)
    git(tmp_path, "checkout", "-q", "-b", "feature")
    write(tmp_path, {f"services/{s}/contracts/orders.json": BREAKING for s in ("a", "b")})
    commit_all(tmp_path)
    code = main(
        [
            "check",
            "services/*/contracts",
            "--base",
            "main",
            "--policy",
            "both-directions",
            "--seed",
            "1",
            "--examples",
            "0",
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "2 pair(s) checked, 1 failing" in out  # a's waiver covers a only; b breaks
    assert "waived: service a migrated its data" in out
    assert "ignored services/a/contracts/cdcompat-waivers.yaml" not in out
