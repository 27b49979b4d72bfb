"""The git base: which revision holds the "old" version of every contract on this branch.

Default: the merge-base of ``HEAD`` with the branch the change will land on: ``GITHUB_BASE_REF`` (GitHub pull
requests), then ``CI_MERGE_REQUEST_TARGET_BRANCH_NAME`` (GitLab merge requests), each tried as ``origin/<name>`` then
``<name>``; else the first existing of ``origin/HEAD``, ``origin/main``, ``main``, ``master``. Old versions are read
through one ``git cat-file --batch`` process (``catfile.py``), never by checking the commit out. When ``HEAD`` *is* the base (on the main branch itself)
the work tree is compared with ``HEAD``: the uncommitted changes are the change under review.

The gate fails closed (docs/release.md): an explicit base is used as given when it has no merge-base; GitLab's
``CI_MERGE_REQUEST_DIFF_BASE_SHA`` and GitHub's pull-request merge commit (``HEAD^1``) are used when present; a
shallow clone is deepened, bounded, to find the merge-base; the caller turns "no base" into an error under CI.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pytest_cdcompat.core.errors import UsageError
from pytest_cdcompat.sources.source import check_ref_name, git_toplevel

FALLBACK_REFS = ("origin/HEAD", "origin/main", "main", "master")
CI_TARGET_VARS = ("GITHUB_BASE_REF", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME")


@dataclass(frozen=True)
class Base:
    root: Path  # the repository's work tree
    ref: str  # what was asked for or found: "origin/main", "HEAD", a tag, ...
    commit: str  # the full sha old versions are read from
    worktree_vs_head: bool = False
    as_given: bool = False  # an explicit revision with no merge-base with HEAD: used as it is

    @property
    def short(self) -> str:
        return self.commit[:10]

    def describe(self) -> str:
        if self.worktree_vs_head:
            return f"{self.ref} ({self.short}, uncommitted changes)"
        if self.as_given:
            return f"{self.ref} ({self.short}, as given)"
        return f"{self.ref} (merge-base {self.short})"


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)


def rev(root: Path, ref: str) -> str | None:
    out = git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else None


def _auto_ref(root: Path, env: Mapping[str, str]) -> tuple[str | None, str | None]:
    """The base ref found automatically, or ``None`` with the reason (naming a CI variable whose branch is missing)."""
    missing: list[str] = []
    for var in CI_TARGET_VARS:
        name = env.get(var, "").strip()
        if not name:
            continue
        for candidate in (f"origin/{name}", name):
            if not candidate.startswith("-") and rev(root, candidate):
                return candidate, None
        missing.append(f"{var}={name} but neither origin/{name} nor {name} exists (fetch it, or use fetch-depth: 0)")
    for candidate in FALLBACK_REFS:
        if rev(root, candidate):
            return candidate, None
    reason = "; ".join(missing) or "no origin/HEAD, origin/main, main or master"
    return None, f"no git base found ({reason}): only version folders are compared"


def merge_base(root: Path, ref: str) -> str | None:
    out = git(root, "merge-base", "HEAD", ref)
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else None


def find_base(
    start: Path,
    explicit: str | None,
    env: Mapping[str, str],
    *,
    fetch: bool = False,
    fetched: list[str] | None = None,
) -> tuple[Base | None, str | None]:
    """The base to compare against, or ``None`` with a note saying why there is none.

    A ref the user named must exist (``UsageError`` otherwise) and is used as given when it has no merge-base with
    ``HEAD``. Otherwise, in order: GitLab's ``CI_MERGE_REQUEST_DIFF_BASE_SHA``, GitHub's pull-request merge commit
    (``HEAD^1``), the merge-base with the target branch. In a shallow clone, with ``fetch``, just enough history is
    fetched (bounded) to find it; each fetch is described in ``fetched``.
    """
    if explicit is not None:
        check_ref_name(explicit)
    root = git_toplevel(start)
    if root is None:
        if explicit is not None:
            raise UsageError(f"--cd-compat-base {explicit}: {start} is not inside a git repository")
        return None, "not a git repository: only version folders are compared"
    log = fetched if fetched is not None else []
    head = rev(root, "HEAD")
    if head is None:
        if explicit is not None:
            raise UsageError(f"git revision {explicit!r}: the repository has no commit yet")
        return None, "the repository has no commit yet: only version folders are compared"
    shallow = fetch and is_shallow(root)
    if explicit is not None:
        target = rev(root, explicit)
        if target is None and shallow:
            fetch_ref(root, explicit, log)
            target = rev(root, explicit)
        if target is None:
            raise UsageError(f"git revision {explicit!r} does not exist")
        common = merge_base(root, explicit)
        if common is None and shallow:
            common = deepen_until(root, lambda: merge_base(root, explicit), log)
        if common is None:
            return Base(root=root, ref=explicit, commit=target, worktree_vs_head=(target == head), as_given=True), None
        return Base(root=root, ref=explicit, commit=common, worktree_vs_head=(common == head)), None
    ci = ci_base(root, env, log if shallow else None)
    if ci is not None:
        ref, commit = ci
        return Base(root=root, ref=ref, commit=commit, worktree_vs_head=(commit == head), as_given=True), None
    found: str | None = None
    if shallow:
        # A shallow clone's origin/HEAD names the branch that was cloned, not the target: ask the CI variables or
        # the remote, and fetch that branch when the clone lacks it.
        name = target_branch(root, env)
        if name is not None:
            if rev(root, f"{REMOTE}/{name}") is None:
                fetch_branch(root, name, log)
            found = f"{REMOTE}/{name}" if rev(root, f"{REMOTE}/{name}") else None
    why = None
    if found is None:
        found, why = _auto_ref(root, env)
    if found is None:
        return None, why
    ref = found
    common = merge_base(root, ref)
    if common is None and shallow:
        common = deepen_until(root, lambda: merge_base(root, ref), log)
    if common is None:
        why = f"no merge-base between HEAD and {ref}"
        if is_shallow(root):
            why += " (a shallow clone: fetch the full history, e.g. fetch-depth: 0)"
        return None, why + ": only version folders are compared"
    return Base(root=root, ref=ref, commit=common, worktree_vs_head=(common == head)), None


# Shallow clones (the default checkout of GitHub Actions and GitLab CI): fetch just enough history, bounded.
DEEPEN_STEPS = (50, 200, 1000)
REMOTE = "origin"


def is_shallow(root: Path) -> bool:
    out = git(root, "rev-parse", "--is-shallow-repository")
    return out.stdout.strip() == "true"


def _run_fetch(root: Path, args: list[str], log: list[str]) -> None:
    out = git(root, "fetch", "--no-tags", "--quiet", *args)
    if out.returncode != 0:
        detail = (out.stderr.strip().splitlines() or ["failed"])[-1]
        raise UsageError(
            f"shallow clone: 'git fetch {' '.join(args)}' failed ({detail}); the remote cannot be reached, so the "
            "base cannot be found: fetch the history in the checkout (fetch-depth: 0, GIT_DEPTH: 0) or pass "
            "--cd-compat-no-fetch with --cd-compat-base"
        )
    log.append(f"fetched: git fetch {' '.join(args)}")


def fetch_branch(root: Path, name: str, log: list[str]) -> None:
    _run_fetch(root, [f"--depth={DEEPEN_STEPS[0]}", REMOTE, f"+refs/heads/{name}:refs/remotes/{REMOTE}/{name}"], log)


def fetch_ref(root: Path, ref: str, log: list[str]) -> None:
    """An explicit base that a shallow clone lacks: a remote branch (``origin/x`` or ``x``) or a commit."""
    name = ref.removeprefix(f"{REMOTE}/")
    listed = git(root, "ls-remote", "--heads", REMOTE, name)
    if listed.returncode == 0 and listed.stdout.strip():
        fetch_branch(root, name, log)
    else:
        _run_fetch(root, [f"--depth={DEEPEN_STEPS[0]}", REMOTE, ref], log)


def target_branch(root: Path, env: Mapping[str, str]) -> str | None:
    """The branch the change lands on, named by CI, or the remote's default branch."""
    for var in CI_TARGET_VARS:
        name = env.get(var, "").strip()
        if name and not name.startswith("-"):
            return name
    out = git(root, "ls-remote", "--symref", REMOTE, "HEAD")
    if out.returncode != 0:
        detail = (out.stderr.strip().splitlines() or ["failed"])[-1]
        raise UsageError(
            f"shallow clone: the remote {REMOTE!r} cannot be reached ({detail}), so the base cannot be found: fetch "
            "the history in the checkout (fetch-depth: 0, GIT_DEPTH: 0) or pass --cd-compat-no-fetch with "
            "--cd-compat-base"
        )
    for line in out.stdout.splitlines():
        if line.startswith("ref: refs/heads/"):
            return line.split()[1].removeprefix("refs/heads/")
    return None


def deepen_until(root: Path, found: Callable[[], str | None], log: list[str]) -> str | None:
    """Deepen the shallow history step by step (``DEEPEN_STEPS``) until ``found()`` answers."""
    for depth in DEEPEN_STEPS:
        if not is_shallow(root):
            return None
        _run_fetch(root, [f"--deepen={depth}", REMOTE], log)
        result = found()
        if result is not None:
            return result
    return None


def ci_base(root: Path, env: Mapping[str, str], log: list[str] | None) -> tuple[str, str] | None:
    """GitLab's ``CI_MERGE_REQUEST_DIFF_BASE_SHA``, or ``HEAD^1`` of GitHub's pull-request merge commit."""
    sha = env.get("CI_MERGE_REQUEST_DIFF_BASE_SHA", "").strip()
    if sha and not sha.startswith("-"):
        commit = rev(root, sha)
        if commit is None and log is not None:
            deepen_until(root, lambda: rev(root, sha), log)
            commit = rev(root, sha)
        if commit is not None:
            return f"CI_MERGE_REQUEST_DIFF_BASE_SHA={sha[:10]}", commit
    if env.get("GITHUB_EVENT_NAME", "").startswith("pull_request"):
        if rev(root, "HEAD^2") is None and log is not None:
            _run_fetch(root, ["--deepen=1", REMOTE], log)
        if rev(root, "HEAD^2") is not None:
            first = rev(root, "HEAD^1")
            if first is not None:
                return "HEAD^1 (pull-request merge commit)", first
    return None


def files_at(base: Base, rel_paths: Sequence[str]) -> list[str]:
    """Every file under ``rel_paths`` (relative to the repository root) in the base revision, sorted."""
    if not rel_paths:
        return []
    out = git(base.root, "ls-tree", "-r", "-z", "--name-only", "--full-tree", base.commit, "--", *rel_paths)
    if out.returncode != 0:
        raise UsageError(f"cannot list the files of git revision {base.ref!r}: {out.stderr.strip()}")
    return sorted(p for p in out.stdout.split("\0") if p)


def read_at(base: Base, rel_path: str) -> bytes | None:
    from pytest_cdcompat.sources import catfile

    return catfile.read(base.root, f"{base.commit}:{rel_path}")


def changed_since(base: Base, rel_path: str) -> bool:
    """Whether the work tree's ``rel_path`` (a file or a folder, repository-relative) differs from the base."""
    diff = git(base.root, "diff", "--quiet", base.commit, "--", rel_path)
    if diff.returncode != 0:
        return True
    untracked = git(base.root, "ls-files", "--others", "--exclude-standard", "--", rel_path)
    return bool(untracked.stdout.strip())
