"""Benchmark ``cdcompat check`` with deploy steps on a generated repository: CPU time and git processes.

Usage: ``python benchmarks/bench_release.py [--commits 200] [--contracts 20] [--examples 100] [--keep DIR]``

A repository with ``--contracts`` JSON Schema event contracts on ``main`` and a feature branch of ``--commits``
commits, each adding an optional property to one contract (round robin) and every tenth touching a file that is not
a contract. ``cdcompat check`` runs in a fresh process with a ``git`` wrapper first on ``PATH`` that counts the git
processes started. The time reported is CPU time (user + system) of that process and every process it started,
git included, read with ``resource.getrusage``: on a shared machine wall time says more about the load than about
the tool (it is printed too). ``--keep DIR`` builds the repository in DIR and leaves it there, for profiling. Not a
test: figures go in the README and docs/release.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def schema(i: int, extra: int) -> str:
    props: dict[str, object] = {"id": {"type": "string"}, "kind": {"enum": [f"k{i}", "other"]}}
    for n in range(extra):
        props[f"field_{n}"] = {"type": "string", "maxLength": 40 + n}
    doc = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "properties": props,
           "required": ["id", "kind"]}  # fmt: skip
    return json.dumps(doc, indent=2) + "\n"


def build(root: Path, commits: int, contracts: int) -> None:
    env = {**os.environ, **ENV}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    (root / "contracts").mkdir()
    for i in range(contracts):
        (root / "contracts" / f"event-{i:02d}.json").write_text(schema(i, 0))
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    git("checkout", "-q", "-b", "feature")
    extra = [0] * contracts
    for c in range(commits):
        if c % 10 == 9:
            (root / "docs").mkdir(exist_ok=True)
            (root / "docs" / "notes.md").write_text(f"note {c}\n")
        else:
            i = c % contracts
            extra[i] += 1
            (root / "contracts" / f"event-{i:02d}.json").write_text(schema(i, extra[i]))
        git("add", "-A")
        git("commit", "-q", "-m", f"step {c}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--commits", type=int, default=200)
    ap.add_argument("--contracts", type=int, default=20)
    ap.add_argument("--examples", type=int, default=100)
    ap.add_argument("--no-each-commit", action="store_true")
    ap.add_argument("--keep", type=Path, help="build the repository in this (new) folder and keep it")
    args = ap.parse_args(argv)
    if args.keep is not None:
        args.keep.mkdir(parents=True)
    work = args.keep.resolve() if args.keep is not None else Path(tempfile.mkdtemp(prefix="cdcompat-bench-"))
    try:
        repo = work / "repo"
        repo.mkdir()
        t0 = time.perf_counter()
        build(repo, args.commits, args.contracts)
        built = time.perf_counter() - t0
        shim = work / "bin"
        shim.mkdir()
        log = work / "git.log"
        real = shutil.which("git")
        assert real is not None
        (shim / "git").write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{real}" "$@"\n')
        (shim / "git").chmod(0o755)
        env = {**os.environ, **ENV, "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}"}
        env.pop("CI", None)
        entry = "import sys; from pytest_cdcompat.cli import main; sys.exit(main(sys.argv[1:]))"
        cmd = [sys.executable, "-c", entry, "check", "--examples", str(args.examples), "--seed", "1"]
        if args.no_each_commit:
            cmd.append("--no-each-commit")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t1 = time.perf_counter()
        out = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t1
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if out.returncode not in (0, 1):
            print(out.stderr, file=sys.stderr)
            return 1
        calls = log.read_text().splitlines() if log.exists() else []
        kinds: dict[str, int] = {}
        for line in calls:
            words = [w for w in line.split() if not w.startswith("-") and w != str(repo)]
            sub = next((w for w in words if w.isalpha() or "-" in w), "?")
            kinds[sub] = kinds.get(sub, 0) + 1
        summary = out.stdout.strip().splitlines()[-1]
        notes = [ln for ln in out.stdout.splitlines() if "deploy step(s)" in ln]
        print(f"repository: {args.commits} commits, {args.contracts} contracts (built in {built:.1f} s)")
        print(f"cdcompat check{' --no-each-commit' if args.no_each_commit else ''} --examples {args.examples}: "
              f"{cpu:.1f} s CPU ({wall:.1f} s wall), exit {out.returncode}; {summary}")  # fmt: skip
        print(f"{notes[0] if notes else 'no steps'}")
        print(f"git processes: {len(calls)} ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
