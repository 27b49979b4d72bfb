"""Small bad-input and monorepo regressions: each message names the file as given, the place and the problem.

- a waiver path naming a folder is a usage error, not an empty waiver set;
- a YAML error in a waiver file is one line ``file:line:column: invalid YAML: problem`` (never PyYAML's second line,
  ``in "<unicode string>"``);
- a waiver file given through a symlink is named as given, not by its target (a link out is still refused unless
  ``--allow-outside`` is given);
- a bad mode in ``cd_compat_modes`` / ``--mode`` is quoted as the bare word;
- in a monorepo each failing item's waiver snippet names its own service's waiver file, and that file is read.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from frontends.helpers import BREAKING, CI_VARS, OLD, commit_all, git, init_repo, warm_imports, write

from pytest_cdcompat.cli import main
from pytest_cdcompat.core.errors import UsageError
from pytest_cdcompat.run import service_waivers
from pytest_cdcompat.run.modes import normalise, parse_mode_map
from pytest_cdcompat.run.options import resolve
from pytest_cdcompat.run.waivers import WaiverError, load_waivers, parse_waivers

pytest_plugins = ["pytester"]

KNOWN_MODES = "(known: BACKWARD, FORWARD, FULL, NONE, BACKWARD_TRANSITIVE, FORWARD_TRANSITIVE, FULL_TRANSITIVE)"
BAD_DATE = "- rule: r\n  location: /a\n  reason: ok\n  expires: 2030-02-30\n"
# waives the break BREAKING makes (the status "paid" removed)
WAIVES_BREAK = (
    "- rule: enum-value-removed\n  location: /properties/status/enum\n  reason: service {s} migrated its data\n"
    "  expires: 2999-01-01\n"
)


@pytest.fixture(scope="module", autouse=True)
def _warm_imports(tmp_path_factory):
    warm_imports(tmp_path_factory.mktemp("warm"))


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for var in CI_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("COLUMNS", "240")


@pytest.fixture
def pair_repo(tmp_path, monkeypatch):
    """A repository with an old and a breaking version of one message contract, as the current folder."""
    init_repo(tmp_path, {"contracts/old.json": OLD, "contracts/new.json": BREAKING})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def compare(*args):
    return main(["compare", *args, "--examples", "0", "--seed", "1", "contracts/old.json", "contracts/new.json"])


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err  # one line, never a traceback
    return err.rstrip("\n")


# 1. a waiver path that names a folder


def test_a_waiver_path_naming_a_folder_is_a_usage_error(pair_repo):
    (pair_repo / "waivers").mkdir()
    with pytest.raises(WaiverError) as info:
        load_waivers(pair_repo / "waivers")
    assert str(info.value) == "waivers: is a folder, not a waiver file"


def test_cli_waivers_naming_a_folder_exits_2_with_one_line(pair_repo, capsys):
    (pair_repo / "waivers").mkdir()
    assert compare("--waivers", "waivers") == 2
    assert one_error_line(capsys) == "cdcompat: error: waivers: is a folder, not a waiver file"


def test_a_default_waiver_path_that_is_a_folder_is_not_an_empty_waiver_set(pair_repo):
    (pair_repo / "contracts" / "cdcompat-waivers.yaml").mkdir()
    with pytest.raises(WaiverError) as info:
        load_waivers(pair_repo / "contracts" / "cdcompat-waivers.yaml", required=False)
    assert str(info.value) == "contracts/cdcompat-waivers.yaml: is a folder, not a waiver file"


def test_ini_waivers_naming_a_folder_is_a_usage_error(pytester):
    init_repo(pytester.path, {"contracts/orders.json": OLD})
    (pytester.path / "waivers").mkdir()
    pytester.makeini("[pytest]\ncd_compat_waivers = waivers\n")
    result = pytester.runpytest("--cd-compat", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "cdcompat: waivers: is a folder, not a waiver file" in result.stderr.str()


# 2. a YAML error in a waiver file


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "- rule: r\n  location: /a\n  reason: x: y\n",
            "w.yaml:3:12: invalid YAML: mapping values are not allowed here",
        ),
        ("- {rule: r\x00}\n", "w.yaml:1:11: invalid YAML: character U+0000 is not allowed (special characters are not"),
        ("- rule: r\n  reason: \x7f\n", "w.yaml:2:11: invalid YAML: character U+007F is not allowed"),
    ],
)
def test_a_yaml_error_in_a_waiver_file_is_one_line_with_line_and_column(text, expected):
    with pytest.raises(WaiverError) as info:
        parse_waivers(text, "w.yaml")
    message = str(info.value)
    assert message.startswith(expected), message
    assert "\n" not in message and "<unicode string>" not in message


def test_cli_reports_a_waiver_yaml_error_with_the_file_line_and_column(pair_repo, capsys):
    write(pair_repo, {"contracts/w.yaml": "- rule: r\n  location: /a\n  reason: \x01\n"})
    assert compare("--waivers", "contracts/w.yaml") == 2
    assert one_error_line(capsys) == (
        "cdcompat: error: contracts/w.yaml:3:11: invalid YAML: character U+0001 is not allowed "
        "(special characters are not allowed)"
    )


# 3. a waiver file given as a symlink


def test_a_problem_in_a_symlinked_waiver_file_names_the_link(pair_repo, capsys):
    write(pair_repo, {"real/w.yaml": BAD_DATE})
    (pair_repo / "link.yaml").symlink_to(Path("real") / "w.yaml")
    assert compare("--waivers", "link.yaml") == 2
    assert one_error_line(capsys) == (
        "cdcompat: error: link.yaml entry 1: expires '2030-02-30' is not a date (YYYY-MM-DD)"
    )


def test_a_yaml_error_in_a_symlinked_waiver_file_names_the_link(pair_repo):
    write(pair_repo, {"real/w.yaml": "- rule: r\n  reason: a: b\n"})
    (pair_repo / "link.yaml").symlink_to(pair_repo / "real" / "w.yaml")
    with pytest.raises(WaiverError) as info:
        load_waivers(pair_repo / "link.yaml")
    assert str(info.value) == "link.yaml:2:12: invalid YAML: mapping values are not allowed here"


def test_a_symlinked_waiver_file_out_of_the_repository_needs_allow_outside(pair_repo, tmp_path_factory, capsys):
    outside = tmp_path_factory.mktemp("elsewhere") / "w.yaml"
    outside.write_text(BAD_DATE, encoding="utf-8")
    (pair_repo / "out.yaml").symlink_to(outside)
    assert compare("--waivers", "out.yaml") == 2
    refused = one_error_line(capsys)
    assert refused.startswith(f"cdcompat: error: out.yaml: waiver file {pair_repo / 'out.yaml'} (through a symlink")
    assert "is outside the repository" in refused
    assert compare("--waivers", "out.yaml", "--allow-outside") == 2  # read now: its own bad entry is the error
    assert (
        one_error_line(capsys) == "cdcompat: error: out.yaml entry 1: expires '2030-02-30' is not a date (YYYY-MM-DD)"
    )


def test_entries_read_through_a_symlink_are_described_by_the_link(pair_repo):
    write(pair_repo, {"real/w.yaml": BAD_DATE.replace("2030-02-30", "2030-01-01")})
    (pair_repo / "link.yaml").symlink_to(Path("real") / "w.yaml")
    ws = load_waivers(pair_repo / "link.yaml")
    assert ws.path == "link.yaml"
    assert ws.entries[0].describe() == "link.yaml entry 1 (rule r at /a)"  # as an expired entry is reported


# 4. a bad mode


def test_a_bad_mode_in_the_mode_map_is_quoted_bare():
    with pytest.raises(UsageError) as info:
        parse_mode_map(["contracts/* =  strictt  "])
    assert str(info.value) == f"cd_compat_modes: unknown compatibility mode 'strictt' {KNOWN_MODES}"


def test_a_good_mode_with_spaces_around_it_is_read():
    assert parse_mode_map(["  contracts/a/*   =   backward  ", "contracts/b = full_transitive"]) == {
        "contracts/a/*": "BACKWARD",
        "contracts/b": "FULL_TRANSITIVE",
    }


def test_a_mode_map_line_without_a_mode_says_what_is_expected():
    with pytest.raises(UsageError) as info:
        parse_mode_map(["contracts/* =  "])
    assert str(info.value) == "cd_compat_modes: expected 'path = MODE', got 'contracts/* ='"


def test_a_bad_single_mode_is_quoted_bare():
    with pytest.raises(UsageError) as info:
        normalise(" strictt ", "cd_compat_mode")
    assert str(info.value) == f"cd_compat_mode: unknown compatibility mode 'strictt' {KNOWN_MODES}"


def test_cli_modes_with_a_bad_mode_is_one_line_quoting_the_bare_word(pair_repo, capsys):
    assert compare("--modes", "contracts/* = strictt") == 2
    assert (
        one_error_line(capsys)
        == f"cdcompat: error: cd_compat_modes: unknown compatibility mode 'strictt' {KNOWN_MODES}"
    )


def test_ini_modes_with_a_bad_mode_quotes_the_bare_word(pytester):
    init_repo(pytester.path, {"contracts/orders.json": OLD})
    pytester.makeini("[pytest]\ncd_compat_modes =\n    contracts/* = strictt\n")
    result = pytester.runpytest("--cd-compat", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert f"cdcompat: cd_compat_modes: unknown compatibility mode 'strictt' {KNOWN_MODES}" in result.stderr.str()


# 5. a monorepo: one waiver file per service


def _monorepo(root: Path, files: dict[str, str]) -> None:
    init_repo(root, {**{f"services/{s}/contracts/orders.json": OLD for s in ("a", "b")}, **files})
    git(root, "checkout", "-q", "-b", "feature")
    write(root, {f"services/{s}/contracts/orders.json": BREAKING for s in ("a", "b")})
    commit_all(root)


def _snippet_targets(text: str) -> dict[str, str]:
    """contract -> the waiver file its failure's snippet says to add the entry to."""
    found = re.findall(
        r'To accept this break after review, add to (\S+):\n- rule: .*\n  location: .*\n  contract: "([^"]+)"', text
    )
    return {contract: target for target, contract in found}


def test_each_services_waiver_snippet_names_its_own_waiver_file(pytester):
    _monorepo(pytester.path, {f"services/{s}/contracts/cdcompat-waivers.yaml": "[]\n" for s in ("a", "b")})
    pytester.makeini("[pytest]\ncd_compat_paths = services/*/contracts\n")
    result = pytester.runpytest(
        "--cd-compat", "-p", "no:cacheprovider", "--cd-compat-policy=both-directions", "--cd-compat-seed", "1",
        "--cd-compat-examples", "0",
    )  # fmt: skip
    result.assert_outcomes(passed=2, failed=2)
    assert _snippet_targets(result.stdout.str()) == {
        "services/a/contracts/orders.json": "services/a/contracts/cdcompat-waivers.yaml",
        "services/b/contracts/orders.json": "services/b/contracts/cdcompat-waivers.yaml",
    }


def test_a_service_without_a_waiver_file_is_told_to_start_its_own(pytester):
    _monorepo(pytester.path, {})
    pytester.makeini("[pytest]\ncd_compat_paths = services/*/contracts\n")
    result = pytester.runpytest(
        "--cd-compat", "-p", "no:cacheprovider", "--cd-compat-policy=both-directions", "--cd-compat-seed", "1",
        "--cd-compat-examples", "0",
    )  # fmt: skip
    assert _snippet_targets(result.stdout.str())["services/b/contracts/orders.json"] == (
        "services/b/contracts/cdcompat-waivers.yaml"
    )


def test_the_only_waiver_file_in_the_second_service_is_read_for_that_service(tmp_path, monkeypatch, capsys):
    _monorepo(tmp_path, {"services/b/contracts/cdcompat-waivers.yaml": WAIVES_BREAK.format(s="b")})
    monkeypatch.chdir(tmp_path)
    args = ["check", "services/*/contracts", "--base", "main", "--policy", "both-directions", "--seed", "1"]
    code = main([*args, "--examples", "0"])
    out = capsys.readouterr().out
    assert code == 1, out
    assert "2 pair(s) checked, 1 failing" in out  # b's file waives b's break, and not a's
    assert "waived: service b migrated its data" in out


def test_suggested_waiver_file_is_the_named_one_or_the_contracts_own_folders(tmp_path, monkeypatch):
    write(tmp_path, {f"services/{s}/contracts/orders.json": OLD for s in ("a", "b")})
    monkeypatch.chdir(tmp_path)
    contract = tmp_path / "services/b/contracts/orders.json"

    def opts(**given):
        return resolve(lambda n: given.get(n.replace("-", "_")), base_dir=tmp_path)

    monorepo = opts(paths=["services/a/contracts", "services/b/contracts"])
    assert service_waivers.suggested_waiver_file(monorepo, contract) == "services/b/contracts/cdcompat-waivers.yaml"
    assert service_waivers.suggested_waiver_file(opts(paths=["services"]), contract) == "services/cdcompat-waivers.yaml"
    named = opts(paths=["services/a/contracts", "services/b/contracts"], waivers="w.yaml")
    assert service_waivers.suggested_waiver_file(named, contract) == "w.yaml"
    assert service_waivers.load_run_waivers(monorepo).entries == ()
