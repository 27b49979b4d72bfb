"""The git processes a check with deploy steps starts stay bounded: each ref is resolved and each tree listed through
the run's one ``git cat-file --batch`` process, not one ``git rev-parse`` or ``git ls-tree`` per step and version."""

from __future__ import annotations

import subprocess

import pytest
from frontends.helpers import CI_VARS

from pytest_cdcompat.cli import main
from release.repos import V1, event, feature_repo, step

MIGRATION = "CREATE TABLE t (id int);\n"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for var in CI_VARS:
        monkeypatch.delenv(var, raising=False)


def branch(root, commits):
    """A JSON Schema event and a migrations folder; ``commits`` steps, alternating between the two."""
    feature_repo(root, {"contracts/order.json": V1, "contracts/db/0001_init.sql": MIGRATION})
    for n in range(commits):
        if n % 2:
            step(
                root, f"column {n}", {f"contracts/db/{n // 2 + 2:04d}_add.sql": f"ALTER TABLE t ADD COLUMN c{n} int;\n"}
            )
        else:
            step(root, f"field {n}", {"contracts/order.json": event(extra={f"f{n}": {"type": "string"}})})


def git_processes(root, monkeypatch, capsys):
    """(git processes started, output) of ``cdcompat check`` in ``root``."""
    started: list[list[str]] = []
    real = subprocess.Popen.__init__

    def counting(self, args, *a, **kw):
        if isinstance(args, (list, tuple)) and args and str(args[0]).endswith("git"):
            started.append([str(x) for x in args])
        real(self, args, *a, **kw)

    with monkeypatch.context() as m:
        m.chdir(root)
        m.setattr(subprocess.Popen, "__init__", counting)
        code = main(["check", "--examples", "5", "--seed", "1"])
    out, err = capsys.readouterr()
    return code, started, out + err


def test_git_processes_do_not_grow_with_the_steps(tmp_path, monkeypatch, capsys):
    branch(tmp_path / "short", 2)
    branch(tmp_path / "long", 12)
    code_short, short, _ = git_processes(tmp_path / "short", monkeypatch, capsys)
    code_long, long, out = git_processes(tmp_path / "long", monkeypatch, capsys)
    assert code_short == code_long == 0, out
    assert "12 deploy step(s)" in out and "12 step comparison(s)" in out
    # 10 more steps (20 more versions to read): no more git processes, and few in all.
    assert len(long) <= len(short) and len(long) <= 25, [" ".join(a[3:5]) for a in long]
    assert sum(1 for a in long if "cat-file" in a) == 1
    assert not [a for a in long if "ls-tree" in a and "-r" not in a]  # no per-version folder listing
