"""Benchmark a monorepo check: N services, each with its own OpenAPI contract, one of them changed on the branch.

Usage: ``python benchmarks/bench_monorepo.py [--services 50] [--dir DIR]``

Builds a git repository (``services/<name>/contracts/api.yaml`` each), commits it on ``main``, edits one contract
on a branch, and times ``cdcompat check 'services/*/contracts' --base main`` in a fresh process: the contract path
glob finds every service, the 49 unchanged contracts are skipped before loading (byte-identical to the base and
referencing no other file), and only the changed one is compared. Not a test: the figure goes in docs/ci.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

API = """openapi: 3.0.3
info: {{title: {name}, version: "1"}}
paths:
  /{name}/items:
    get:
      parameters:
        - {{name: limit, in: query, schema: {{type: integer}}}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: {{type: string}}
                  status: {{type: string, enum: [new, paid{extra}]}}
"""
ENV = {"GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.com", "GIT_COMMITTER_NAME": "b",
       "GIT_COMMITTER_EMAIL": "b@example.com"}  # fmt: skip


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env={**os.environ, **ENV}, check=True, capture_output=True)


def build(root: Path, services: int) -> None:
    git(root, "init", "-q", "-b", "main")
    for i in range(services):
        name = f"svc{i:02d}"
        path = root / "services" / name / "contracts" / "api.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(API.format(name=name, extra=""))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "feature")
    changed = root / "services" / "svc07" / "contracts" / "api.yaml"
    changed.write_text(API.format(name="svc07", extra=", refunded"))
    git(root, "commit", "-qam", "add a status")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--services", type=int, default=50)
    ap.add_argument("--dir", type=Path, default=None)
    args = ap.parse_args()
    root = args.dir or Path(tempfile.mkdtemp(prefix="cdcompat-monorepo-"))
    root.mkdir(parents=True, exist_ok=True)
    build(root, args.services)
    t0 = time.perf_counter()
    cli = "from pytest_cdcompat.cli import main; raise SystemExit(main())"
    argv = [sys.executable, "-c", cli, "check", "services/*/contracts", "--base", "main", "--seed", "1"]
    out = subprocess.run(argv, cwd=root, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - t0
    print(out.stdout.strip().splitlines()[-1])
    print(f"{args.services} services, one changed: {elapsed:.2f} s (exit {out.returncode})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
