"""The git base (merge-base, CI variables, uncommitted changes) and discovery (added, removed, version folders)."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontends.helpers import BREAKING, CI_VARS, OLD, commit_all, git, init_repo, write
from pytest_cdcompat.core.errors import UsageError
from pytest_cdcompat.run.discovery import discover, version_of
from pytest_cdcompat.run.options import RunOptions
from pytest_cdcompat.sources.gitbase import find_base


@pytest.fixture(autouse=True)
def _no_ci(monkeypatch):
    for var in CI_VARS:
        monkeypatch.delenv(var, raising=False)


def opts(root: Path, **kw) -> RunOptions:
    return RunOptions(paths=(root / "contracts",), waivers=root / "contracts" / "cdcompat-waivers.yaml", **kw)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("v1.yaml", ((1,), "v1")),
        ("v10.yaml", ((10,), "v10")),
        ("V2.openapi.yaml", ((2,), "V2")),
        ("1.4.0.json", ((1, 4, 0), "1.4.0")),
        ("orders.yaml", None),
        ("v1", None),
        ("common.v1.yaml", None),
    ],
)
def test_version_of(name, expected):
    assert version_of(name) == expected


def test_branch_compares_with_merge_base(tmp_path):
    init_repo(tmp_path, {"contracts/orders.json": OLD})
    base_sha = git(tmp_path, "rev-parse", "HEAD")
    git(tmp_path, "checkout", "-q", "-b", "feature")
    write(tmp_path, {"contracts/orders.json": BREAKING})
    commit_all(tmp_path)
    base, note = find_base(tmp_path, None, {})
    assert note is None and base is not None
    assert base.ref == "main" and base.commit == base_sha and not base.worktree_vs_head
    plan = discover(opts(tmp_path), tmp_path, {})
    assert [(p.id, p.status, p.old_rel) for p in plan.pairs] == [
        ("contracts/orders.json", "changed", "contracts/orders.json")
    ]


def test_on_the_base_branch_compares_work_tree_with_head(tmp_path):
    init_repo(tmp_path, {"contracts/orders.json": OLD})
    write(tmp_path, {"contracts/orders.json": BREAKING})
    base, _ = find_base(tmp_path, None, {})
    assert base is not None and base.worktree_vs_head
    assert base.commit == git(tmp_path, "rev-parse", "HEAD")
    assert "uncommitted" in base.describe()


def test_ci_variables_choose_the_target(tmp_path):
    init_repo(tmp_path, {"contracts/a.json": OLD})
    git(tmp_path, "branch", "release")
    git(tmp_path, "checkout", "-q", "-b", "feature")
    write(tmp_path, {"contracts/a.json": BREAKING})
    commit_all(tmp_path)
    base, _ = find_base(tmp_path, None, {"GITHUB_BASE_REF": "release"})
    assert base is not None and base.ref == "release"
    base, _ = find_base(tmp_path, None, {"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "release"})
    assert base is not None and base.ref == "release"
    base, _ = find_base(tmp_path, None, {"GITHUB_BASE_REF": "no-such-branch"})
    assert base is not None and base.ref == "main"  # falls back to the usual names


def test_explicit_base_is_validated(tmp_path):
    init_repo(tmp_path, {"contracts/a.json": OLD})
    with pytest.raises(UsageError, match="not a valid git revision: '-x'"):
        find_base(tmp_path, "-x", {})
    with pytest.raises(UsageError, match="'nope' does not exist"):
        find_base(tmp_path, "nope", {})
    base, _ = find_base(tmp_path, "HEAD", {})
    assert base is not None and base.ref == "HEAD"


def test_not_a_git_repository(tmp_path):
    write(tmp_path, {"contracts/a.json": OLD})
    base, note = find_base(tmp_path, None, {})
    assert base is None and "not a git repository" in note
    with pytest.raises(UsageError, match="not inside a git repository"):
        find_base(tmp_path, "main", {})


def test_added_and_removed_contracts(tmp_path):
    init_repo(tmp_path, {"contracts/kept.json": OLD, "contracts/gone.json": OLD, "contracts/README.md": "# hi\n"})
    git(tmp_path, "checkout", "-q", "-b", "feature")
    (tmp_path / "contracts/gone.json").unlink()
    write(tmp_path, {"contracts/fresh.json": OLD})
    commit_all(tmp_path)
    plan = discover(opts(tmp_path), tmp_path, {})
    assert [(p.id, p.status) for p in plan.pairs] == [
        ("contracts/fresh.json", "added"),
        ("contracts/gone.json", "removed"),
        ("contracts/kept.json", "changed"),
    ]
    assert any("contracts/fresh.json is new on this branch" in n for n in plan.notes)
    assert any(n.startswith("ignored contracts/README.md") for n in plan.notes)


def test_waiver_file_is_not_a_contract(tmp_path):
    init_repo(tmp_path, {"contracts/a.json": OLD, "contracts/cdcompat-waivers.yaml": "[]\n"})
    plan = discover(opts(tmp_path), tmp_path, {})
    assert [p.id for p in plan.pairs] == ["contracts/a.json"]


def test_version_folder_orders_by_number(tmp_path):
    files = {f"contracts/orders/v{i}.json": OLD for i in (1, 2, 9, 10)}
    files["contracts/orders/common.json"] = OLD  # a $ref target, not a version
    write(tmp_path, files)
    plan = discover(opts(tmp_path), tmp_path, {})  # not a git repository: version folders only
    assert [p.name for p in plan.pairs] == [
        "contracts/orders/v10.json::v9-to-v10",
        "contracts/orders/v2.json::v1-to-v2",
        "contracts/orders/v9.json::v2-to-v9",
    ]
    assert all(p.status == "version" for p in plan.pairs)
    assert any("not a git repository" in n for n in plan.notes)


def test_history_compares_newest_with_earlier_versions(tmp_path):
    write(tmp_path, {f"contracts/orders/{v}.json": OLD for v in ("1.0.0", "1.2.0", "1.10.0", "2.0.0")})
    plan = discover(opts(tmp_path, history=3), tmp_path, {})
    newest = [p.sub for p in plan.pairs if p.id == "contracts/orders/2.0.0.json"]
    assert newest == ["1.10.0-to-2.0.0", "1.2.0-to-2.0.0", "1.0.0-to-2.0.0"]
    assert len(plan.pairs) == 5


def test_transitive_mode_means_full_history(tmp_path):
    write(tmp_path, {f"contracts/ev/v{i}.json": OLD for i in (1, 2, 3, 4)})
    plan = discover(opts(tmp_path, mode="BACKWARD_TRANSITIVE"), tmp_path, {})
    assert sorted(p.sub for p in plan.pairs if p.id == "contracts/ev/v4.json") == ["v1-to-v4", "v2-to-v4", "v3-to-v4"]


def test_version_file_edited_in_place_is_compared_with_the_base(tmp_path):
    init_repo(tmp_path, {"contracts/ev/v1.json": OLD, "contracts/ev/v2.json": OLD})
    git(tmp_path, "checkout", "-q", "-b", "feature")
    write(tmp_path, {"contracts/ev/v1.json": BREAKING})
    commit_all(tmp_path)
    plan = discover(opts(tmp_path), tmp_path, {})
    assert [p.name for p in plan.pairs] == ["contracts/ev/v1.json", "contracts/ev/v2.json::v1-to-v2"]


def test_plan_is_deterministic(tmp_path):
    init_repo(tmp_path, {"contracts/a.json": OLD, "contracts/b/v1.json": OLD, "contracts/b/v2.json": BREAKING})
    assert discover(opts(tmp_path), tmp_path, {}) == discover(opts(tmp_path), tmp_path, {})


def test_contract_units_group_migration_folders():
    from pathlib import PurePosixPath as P

    from pytest_cdcompat.run.discovery import contract_units

    files = [
        P("contracts/db/0001_init.sql"),
        P("contracts/db/0002_add.sql"),
        P("contracts/flyway/V1__init.sql"),
        P("contracts/flyway/V1.1__more.sql"),
        P("contracts/alembic/env.py"),
        P("contracts/alembic/versions/ab12_init.py"),
        P("contracts/snapshots/v1.sql"),
        P("contracts/snapshots/v2.sql"),
        P("contracts/orders.json"),
    ]
    assert contract_units(files) == [
        P("contracts/alembic"),
        P("contracts/db"),
        P("contracts/flyway"),
        P("contracts/orders.json"),
        P("contracts/snapshots/v1.sql"),
        P("contracts/snapshots/v2.sql"),
    ]


def test_migration_folder_is_one_contract(tmp_path):
    init_repo(tmp_path, {"contracts/db/0001_init.sql": "CREATE TABLE t (id INTEGER PRIMARY KEY);\n"})
    git(tmp_path, "checkout", "-q", "-b", "feature")
    write(tmp_path, {"contracts/db/0002_more.sql": "ALTER TABLE t ADD COLUMN note TEXT;\n"})
    commit_all(tmp_path)
    plan = discover(opts(tmp_path), tmp_path, {})
    assert [(p.id, p.status, p.old_rel) for p in plan.pairs] == [("contracts/db", "changed", "contracts/db")]


def test_migration_folders_named_as_versions_form_a_series(tmp_path):
    write(
        tmp_path,
        {
            "contracts/db/v1/0001_init.sql": "CREATE TABLE t (id INTEGER PRIMARY KEY);\n",
            "contracts/db/v2/0001_init.sql": "CREATE TABLE t (id INTEGER PRIMARY KEY);\n",
            "contracts/db/v2/0002_more.sql": "ALTER TABLE t ADD COLUMN note TEXT;\n",
            "contracts/db/README.md": "# not a contract: | table |\n",
        },
    )
    init_repo(tmp_path, {})
    plan = discover(opts(tmp_path), tmp_path, {})
    assert [(p.name, p.status) for p in plan.pairs] == [("contracts/db/v2::v1-to-v2", "version")]
    assert any(n.startswith("ignored contracts/db/README.md: not a contract file") for n in plan.notes)


def test_migration_version_folder_edited_in_place(tmp_path):
    init_repo(
        tmp_path,
        {
            "contracts/db/v1/0001_init.sql": "CREATE TABLE t (id INTEGER PRIMARY KEY);\n",
            "contracts/db/v2/0001_init.sql": "CREATE TABLE t (id INTEGER PRIMARY KEY);\n",
        },
    )
    git(tmp_path, "checkout", "-q", "-b", "feature")
    write(tmp_path, {"contracts/db/v1/0002_more.sql": "ALTER TABLE t ADD COLUMN note TEXT;\n"})  # untracked
    plan = discover(opts(tmp_path), tmp_path, {})
    assert [p.name for p in plan.pairs] == ["contracts/db/v1", "contracts/db/v2::v1-to-v2"]


def test_clone_uses_origin_head(tmp_path):
    upstream = tmp_path / "upstream"
    upstream.mkdir()
    init_repo(upstream, {"contracts/a.json": OLD})
    git(tmp_path, "clone", "-q", str(upstream), "clone")
    clone = tmp_path / "clone"
    git(clone, "checkout", "-q", "-b", "feature")
    write(clone, {"contracts/a.json": BREAKING})
    commit_all(clone)
    base, _ = find_base(clone, None, {})
    assert base is not None and base.ref == "origin/HEAD"
    assert base.commit == git(upstream, "rev-parse", "HEAD")
    base, _ = find_base(clone, None, {"GITHUB_BASE_REF": "main"})
    assert base is not None and base.ref == "origin/main"


def test_rootdir_below_the_repository_root(tmp_path):
    init_repo(tmp_path, {"svc/contracts/a.json": OLD, "other/contracts/b.json": OLD})
    git(tmp_path, "checkout", "-q", "-b", "feature")
    write(tmp_path, {"svc/contracts/a.json": BREAKING})
    commit_all(tmp_path)
    svc = tmp_path / "svc"
    plan = discover(opts(svc), svc, {})
    assert [(p.id, p.status, p.old_rel) for p in plan.pairs] == [
        ("contracts/a.json", "changed", "svc/contracts/a.json")
    ]


def test_missing_ci_target_is_named_in_the_note(tmp_path):
    git(tmp_path, "init", "-q", "-b", "trunk")
    write(tmp_path, {"contracts/a.json": OLD})
    commit_all(tmp_path)
    base, note = find_base(tmp_path, None, {"GITHUB_BASE_REF": "develop"})
    assert base is None
    assert "GITHUB_BASE_REF=develop but neither origin/develop nor develop exists" in note
    assert "fetch-depth: 0" in note
