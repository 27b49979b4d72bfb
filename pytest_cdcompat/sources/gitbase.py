"""The git base: which revision holds the "old" version of every contract on this branch.

Default: the merge-base of ``HEAD`` with the branch the change will land on: ``GITHUB_BASE_REF`` (GitHub pull
requests), then ``CI_MERGE_REQUEST_TARGET_BRANCH_NAME`` (GitLab merge requests), each tried as ``origin/<name>`` then
``<name>``; else the first existing of ``origin/HEAD``, ``origin/main``, ``main``, ``master``. Old versions are read
with ``git show`` at that commit, never by checking it out. When ``HEAD`` *is* the base (on the main branch itself)
the work tree is compared with ``HEAD``: the uncommitted changes are the change under review.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
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

    @property
    def short(self) -> str:
        return self.commit[:10]

    def describe(self) -> str:
        if self.worktree_vs_head:
            return f"{self.ref} ({self.short}, uncommitted changes)"
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


def find_base(start: Path, explicit: str | None, env: Mapping[str, str]) -> tuple[Base | None, str | None]:
    """The base to compare against, or ``None`` with a note saying why there is none.

    A ref the user named must exist (``UsageError`` otherwise); a base found automatically may be missing.
    """
    if explicit is not None:
        check_ref_name(explicit)
    root = git_toplevel(start)
    if root is None:
        if explicit is not None:
            raise UsageError(f"--cd-compat-base {explicit}: {start} is not inside a git repository")
        return None, "not a git repository: only version folders are compared"
    head = rev(root, "HEAD")
    if explicit is not None:
        target = rev(root, explicit)
        if target is None:
            raise UsageError(f"git revision {explicit!r} does not exist")
        ref = explicit
    else:
        found, why = _auto_ref(root, env)
        if found is None:
            return None, why
        ref = found
    if head is None:
        return None, "the repository has no commit yet: only version folders are compared"
    out = git(root, "merge-base", "HEAD", ref)
    if out.returncode != 0 or not out.stdout.strip():
        return None, (
            f"no merge-base between HEAD and {ref} (a shallow clone? fetch the full history, e.g. fetch-depth: 0): "
            "only version folders are compared"
        )
    commit = out.stdout.strip()
    return Base(root=root, ref=ref, commit=commit, worktree_vs_head=(commit == head)), None


def files_at(base: Base, rel_paths: Sequence[str]) -> list[str]:
    """Every file under ``rel_paths`` (relative to the repository root) in the base revision, sorted."""
    if not rel_paths:
        return []
    out = git(base.root, "ls-tree", "-r", "-z", "--name-only", "--full-tree", base.commit, "--", *rel_paths)
    if out.returncode != 0:
        raise UsageError(f"cannot list the files of git revision {base.ref!r}: {out.stderr.strip()}")
    return sorted(p for p in out.stdout.split("\0") if p)


def read_at(base: Base, rel_path: str) -> bytes | None:
    out = subprocess.run(
        ["git", "-C", str(base.root), "show", f"{base.commit}:{rel_path}"], capture_output=True, check=False
    )
    return out.stdout if out.returncode == 0 else None


def changed_since(base: Base, rel_path: str) -> bool:
    """Whether the work tree's ``rel_path`` (a file or a folder, repository-relative) differs from the base."""
    diff = git(base.root, "diff", "--quiet", base.commit, "--", rel_path)
    if diff.returncode != 0:
        return True
    untracked = git(base.root, "ls-files", "--others", "--exclude-standard", "--", rel_path)
    return bool(untracked.stdout.strip())
