"""The gate fails closed: explicit bases as given, shallow clones deepened, CI without a base is exit 2 with the fix,
a missing contracts folder is an error, ``[tool.cdcompat]`` is read by both front ends, ``--version`` works."""

from __future__ import annotations

import pytest
from frontends.helpers import CI_VARS, git, write

from pytest_cdcompat.cli import main
from release.repos import NO_STATUS, V1, WITH_NOTE, feature_repo, step

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for var in CI_VARS:
        monkeypatch.delenv(var, raising=False)


def check(capsys, monkeypatch, where, *argv):
    monkeypatch.chdir(where)
    code = main(["check", "--examples", "5", "--seed", "1", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def origin_and_shallow_clone(tmp_path, *, breaking: bool = True):
    """An origin whose main moved on after the feature branch left it, and a depth-1 clone of the feature branch."""
    origin = feature_repo(tmp_path / "origin")
    step(
        origin,
        "drop status" if breaking else "add a note",
        {"contracts/order.json": NO_STATUS if breaking else WITH_NOTE},
    )
    git(origin, "checkout", "-q", "main")
    for i in range(3):
        step(origin, f"unrelated {i}", {f"docs/{i}.md": "x\n"})  # the origin stays on main, its default branch
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", f"file://{origin}", str(clone))
    assert git(clone, "rev-parse", "--is-shallow-repository") == "true"
    return origin, clone


def test_shallow_clone_with_ci_deepens_and_gives_the_real_verdict(tmp_path, capsys, monkeypatch):
    _, clone = origin_and_shallow_clone(tmp_path)
    monkeypatch.setenv("CI", "true")
    code, out, err = check(capsys, monkeypatch, clone)
    assert code == 1, out + err
    assert "fetched: git fetch --depth=50 origin +refs/heads/main:refs/remotes/origin/main" in out
    assert "required-property-removed" in out and "1 failing" in out


def test_shallow_clone_safe_branch_passes_after_deepening(tmp_path, capsys, monkeypatch):
    _, clone = origin_and_shallow_clone(tmp_path, breaking=False)
    monkeypatch.setenv("CI", "true")
    code, out, err = check(capsys, monkeypatch, clone)
    assert code == 0, out + err
    assert "1 pair(s) checked, 0 failing" in out


def test_shallow_clone_without_fetch_fails_closed_with_the_fix(tmp_path, capsys, monkeypatch):
    _, clone = origin_and_shallow_clone(tmp_path)
    monkeypatch.setenv("CI", "true")
    code, out, err = check(capsys, monkeypatch, clone, "--no-fetch")
    assert code == 2
    assert err.startswith("cdcompat: error: no git base to compare with") and err.count("\n") == 1
    assert "fetch-depth: 0" in err and "GIT_DEPTH: 0" in err and "pair(s) checked" not in out


def test_shallow_clone_whose_remote_is_gone_is_one_error(tmp_path, capsys, monkeypatch):
    _, clone = origin_and_shallow_clone(tmp_path)
    git(clone, "remote", "set-url", "origin", f"file://{tmp_path}/gone")
    monkeypatch.setenv("CI", "true")
    code, _, err = check(capsys, monkeypatch, clone)
    assert code == 2
    assert "cannot be reached" in err and "fetch-depth: 0" in err and err.count("\n") == 1


def test_no_base_with_ci_is_exit_2_and_allow_no_base_accepts_it(tmp_path, capsys, monkeypatch):
    write(tmp_path, {"contracts/order.json": V1})  # not a git repository at all
    monkeypatch.setenv("CI", "true")
    code, _, err = check(capsys, monkeypatch, tmp_path)
    assert code == 2 and "not a git repository" in err and "fetch-depth: 0" in err
    code, out, _ = check(capsys, monkeypatch, tmp_path, "--allow-no-base")
    assert code == 0 and "note: not a git repository" in out
    monkeypatch.delenv("CI")
    code, out, _ = check(capsys, monkeypatch, tmp_path)  # without CI: a note, as before
    assert code == 0 and "note: not a git repository" in out
    code, _, err = check(capsys, monkeypatch, tmp_path, "--require-base")
    assert code == 2 and "no git base to compare with" in err


def test_explicit_base_without_merge_base_is_used_as_given(tmp_path, capsys, monkeypatch):
    root = feature_repo(tmp_path)
    base = git(root, "rev-parse", "HEAD")
    git(root, "checkout", "-q", "--orphan", "unrelated")
    step(root, "unrelated history", {"contracts/order.json": NO_STATUS})
    code, out, _ = check(capsys, monkeypatch, root, "--base", base)
    assert code == 1
    assert f"base {base} ({base[:10]}, as given)" in out and "required-property-removed" in out


def test_missing_contract_folder_is_an_error(tmp_path, capsys, monkeypatch):
    feature_repo(tmp_path)
    code, _, err = check(capsys, monkeypatch, tmp_path, "nowhere")
    assert code == 2
    assert err == "cdcompat: error: contract folder nowhere does not exist (check the paths setting)\n"


def test_gitlab_diff_base_sha_is_the_base(tmp_path, capsys, monkeypatch):
    root = feature_repo(tmp_path)
    first = step(root, "drop status", {"contracts/order.json": NO_STATUS})
    step(root, "docs", {"docs/a.md": "x\n"})
    monkeypatch.setenv("CI_MERGE_REQUEST_DIFF_BASE_SHA", first)  # the base already lacks 'status': nothing changes
    code, out, _ = check(capsys, monkeypatch, root)
    assert code == 0, out
    assert f"base CI_MERGE_REQUEST_DIFF_BASE_SHA={first[:10]} ({first[:10]}, as given)" in out
    monkeypatch.delenv("CI_MERGE_REQUEST_DIFF_BASE_SHA")
    code, out, _ = check(capsys, monkeypatch, root)  # against main: the removal is seen
    assert code == 1 and "required-property-removed" in out


def test_github_pull_request_merge_commit_uses_head_1(tmp_path, capsys, monkeypatch):
    root = feature_repo(tmp_path)
    step(root, "drop status", {"contracts/order.json": NO_STATUS})
    git(root, "checkout", "-q", "main")
    main_tip = step(root, "unrelated", {"docs/a.md": "x\n"})
    git(root, "checkout", "-q", "--detach", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge feature into main", "feature")
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    code, out, _ = check(capsys, monkeypatch, root)
    assert code == 1
    assert f"base HEAD^1 (pull-request merge commit) ({main_tip[:10]}, as given)" in out


def test_pyproject_settings_are_read_by_the_cli_and_the_plugin(pytester, capsys, monkeypatch):
    root = feature_repo(pytester.path)
    step(root, "drop status", {"contracts/order.json": NO_STATUS})
    write(root, {"pyproject.toml": '[tool.cdcompat]\nmode = "BACKWARD"\nexamples = 5\n'})
    code, out, _ = check(capsys, monkeypatch, root)
    assert code == 0 and "mode: BACKWARD" in out  # only new consumers are required: the break is reported, not failed
    result = pytester.runpytest("--cd-compat", "-p", "no:cacheprovider", "-p", "no:benchmark", "--cd-compat-seed", "1")
    result.assert_outcomes(passed=1, xfailed=1)
    write(root, {"pyproject.toml": '[tool.cdcompat]\nmodee = "BACKWARD"\n'})
    code, _, err = check(capsys, monkeypatch, root)
    assert code == 2 and "pyproject.toml [tool.cdcompat]: unknown key 'modee'" in err


def test_version(capsys):
    from pytest_cdcompat import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"cdcompat {__version__}\n"


def test_plugin_without_base_under_ci_is_an_error_item(pytester, monkeypatch):
    write(pytester.path, {"contracts/order.json": V1})
    monkeypatch.setenv("CI", "true")
    result = pytester.runpytest("--cd-compat", "-p", "no:cacheprovider", "-p", "no:benchmark")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(
        ["*cdcompat: error: no git base to compare with (not a git repository)*fetch-depth: 0*"]
    )
    result = pytester.runpytest(
        "--cd-compat", "-p", "no:cacheprovider", "-p", "no:benchmark", "--cd-compat-allow-no-base"
    )
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED  # accepted: nothing to compare, and said so
    result.stdout.fnmatch_lines(["*note: not a git repository*"])


def test_commit_range_that_cannot_be_read_is_one_error(tmp_path):
    from pytest_cdcompat.core.errors import UsageError
    from pytest_cdcompat.release.steps import walk
    from pytest_cdcompat.sources.gitbase import Base

    root = feature_repo(tmp_path)
    step(root, "drop status", {"contracts/order.json": NO_STATUS})
    head = git(root, "rev-parse", "HEAD")
    missing = "0" * 39 + "1"  # a commit this repository does not have
    with pytest.raises(UsageError, match="cannot list the files of git revision 0000000000"):
        walk(Base(root=root, ref="gone", commit=missing), ["contracts"])
    broken = Base(root=root, ref="x", commit=head)
    assert walk(broken, ["contracts"]).steps == ()  # base == HEAD: no steps, no error


def test_plugin_bad_toggle_file_is_an_error_item(pytester):
    root = feature_repo(pytester.path, {"contracts/order.json": V1, "contracts/feature-toggles.yaml": "gift: maybe\n"})
    step(root, "x", {"contracts/order.json": WITH_NOTE})
    result = pytester.runpytest("--cd-compat", "-p", "no:cacheprovider", "-p", "no:benchmark")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(
        ["*cdcompat: error: *feature-toggles.yaml at /gift: toggle 'gift': expected on or off*"]
    )


def test_plugin_reads_the_base_gate_from_the_ini(pytester, monkeypatch):
    write(pytester.path, {"contracts/order.json": V1, "pytest.ini": "[pytest]\ncd_compat_require_base = true\n"})
    result = pytester.runpytest("--cd-compat", "-p", "no:cacheprovider", "-p", "no:benchmark")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*no git base to compare with*"])
