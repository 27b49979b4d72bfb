"""Every commit is a deploy: the steps of a branch, read from git in one ``git log`` and one ``git ls-tree``.

Each first-parent commit in ``base..HEAD`` that changes a file under the contract folders (a contract, a migration,
the toggle file) is one deploy step. Walking the commits, the blob of every path is tracked from the base, so a
contract's state at a step (a file's blob, or a migrations folder's blobs) is known without reading it; a step whose
old and new states were already compared (a change reverted and made again, or the branch's only step, which is
the whole-branch comparison) is not compared again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from pytest_cdcompat.core.errors import UsageError
from pytest_cdcompat.sources.gitbase import Base, git


@dataclass(frozen=True)
class Commit:
    sha: str
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:7]

    def describe(self) -> str:
        return f"{self.short} {self.subject!r}"


@dataclass(frozen=True)
class UnitStep:
    """One contract changed by one commit: its state before (``parent``) and after (``commit``)."""

    unit: str  # repository-relative path of the contract (a file or a migrations folder)
    commit: Commit
    parent: str  # the sha holding the state before this step
    before: tuple[tuple[str, str], ...]  # (path, blob) of the unit's files before; empty: absent
    after: tuple[tuple[str, str], ...]

    @property
    def key(self) -> tuple[str, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
        return (self.unit, self.before, self.after)


@dataclass(frozen=True)
class Walk:
    commits: tuple[Commit, ...]  # every step commit, oldest first
    steps: tuple[UnitStep, ...]  # every (commit, contract) change, in commit order
    base_state: dict[str, str]
    head_state: dict[str, str]
    states: dict[str, dict[str, str]] = field(default_factory=dict)  # sha -> every tracked path's blob after it
    parents: dict[str, str] = field(default_factory=dict)  # sha -> the sha holding the state before it

    def state(self, unit: str, at_head: bool) -> tuple[tuple[str, str], ...]:
        return unit_state(self.head_state if at_head else self.base_state, unit)


def unit_state(state: dict[str, str], unit: str) -> tuple[tuple[str, str], ...]:
    prefix = unit.rstrip("/") + "/"
    return tuple(sorted((p, b) for p, b in state.items() if p == unit or p.startswith(prefix)))


def _tree(base: Base, rev: str, rel_paths: Sequence[str]) -> dict[str, str]:
    out = git(base.root, "-c", "core.quotePath=false", "ls-tree", "-r", "--full-tree", rev, "--", *rel_paths)
    if out.returncode != 0:
        raise UsageError(f"cannot list the files of git revision {rev[:10]}: {out.stderr.strip()}")
    state: dict[str, str] = {}
    for line in out.stdout.splitlines():
        meta, _, path = line.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob":
            state[path] = parts[2]
    return state


def walk(
    base: Base,
    rel_paths: Sequence[str],
    folders_of: Callable[[list[PurePosixPath]], list[PurePosixPath]] | None = None,
) -> Walk:
    """The steps of ``base..HEAD`` under ``rel_paths`` (repository-relative). ``folders_of`` finds the migration
    folders among paths: a file inside one belongs to the folder's contract."""
    state = _tree(base, base.commit, rel_paths) if rel_paths else {}
    base_state = dict(state)
    if not rel_paths or base.worktree_vs_head:
        return Walk((), (), base_state, base_state)
    out = git(
        base.root,
        "-c",
        "core.quotePath=false",
        "log",
        "--first-parent",
        "--reverse",
        "--diff-merges=first-parent",
        "--no-renames",
        "--raw",
        "--no-abbrev",
        "--format=%x01%H%x00%P%x00%s",
        f"{base.commit}..HEAD",
        "--",
        *rel_paths,
    )
    if out.returncode != 0:
        raise UsageError(f"cannot read the commits {base.short}..HEAD: {out.stderr.strip()}")
    parsed: list[tuple[Commit, str, list[tuple[str, str, str]]]] = []
    previous = base.commit
    for chunk in out.stdout.split("\x01")[1:]:
        header, _, raw = chunk.partition("\n")
        sha, parents, subject = ([*header.split("\x00"), "", ""])[:3]
        changes: list[tuple[str, str, str]] = []
        for line in raw.splitlines():
            if line.startswith(":"):
                meta, _, path = line.partition("\t")
                fields = meta.split()
                changes.append((path, fields[3], fields[4]))
        parsed.append((Commit(sha, subject), parents.split()[0] if parents.split() else previous, changes))
        previous = sha
    every = {PurePosixPath(p) for p in base_state} | {PurePosixPath(c[0]) for _, _, cs in parsed for c in cs}
    folders = sorted((f.as_posix() for f in (folders_of(sorted(every)) if folders_of else [])), key=len, reverse=True)
    commits: list[Commit] = []
    steps: list[UnitStep] = []
    states: dict[str, dict[str, str]] = {}
    parent_of: dict[str, str] = {}
    for commit, parent, changes in parsed:
        before = dict(state)
        touched: set[str] = set()
        for path, blob, status in changes:
            if status.startswith("D"):
                state.pop(path, None)
            else:
                state[path] = blob
            touched.add(next((f for f in folders if PurePosixPath(path).is_relative_to(f)), path))
        if not touched:
            continue
        commits.append(commit)
        states[commit.sha] = dict(state)
        parent_of[commit.sha] = parent
        for unit in sorted(touched):
            old, new = unit_state(before, unit), unit_state(state, unit)
            if old != new:
                steps.append(UnitStep(unit, commit, parent, old, new))
    return Walk(tuple(commits), tuple(steps), base_state, dict(state), states, parent_of)
