"""Benchmark of the SQL kind: replay a migration history and run the dynamic check, per database engine.

    python benchmarks/bench_sql.py                       # generated: 200 migrations over 50 tables, 100 rows/table
    python benchmarks/bench_sql.py OLD_DIR NEW_DIR       # your own pair of migration folders
    python benchmarks/bench_sql.py --engines sqlite,postgresql://postgres@127.0.0.1:5432 --rows 100

Each engine runs in a fresh process, so the peak memory reported (max RSS) is that run's alone. The generated
history: 50 CREATE TABLEs spread over the first migrations, then columns, indexes, defaults and backfills; the old
version is the first 190 migrations, the new one all 200 (a branch of 10 migrations, one of them a lost write).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

TABLES = 50
MIGRATIONS = 200
BRANCH = 10


def generate(root: Path) -> tuple[Path, Path]:
    migs: list[str] = []
    for i in range(TABLES):
        parent = f",\n    t{i - 1}_id integer REFERENCES t{i - 1} (id)" if i % 5 else ""
        migs.append(
            f"CREATE TABLE t{i} (\n    id integer PRIMARY KEY,\n    code varchar(40) NOT NULL UNIQUE,\n"
            f"    label varchar(120),\n    amount numeric(10, 2),\n    active boolean NOT NULL DEFAULT TRUE,\n"
            f"    created date{parent}\n);\n"
        )
    k = 0
    while len(migs) < MIGRATIONS - BRANCH:
        t = k % TABLES
        step = k // TABLES
        migs.append(
            [
                f"ALTER TABLE t{t} ADD COLUMN extra{step} integer;\n",
                f"CREATE INDEX t{t}_label{step} ON t{t} (label);\n",
                f"ALTER TABLE t{t} ADD COLUMN note{step} varchar(60) DEFAULT 'n/a';\n",
            ][step % 3]
        )
        k += 1
    branch = [f"ALTER TABLE t{t} ADD COLUMN score integer;\n" for t in range(BRANCH - 1)]
    branch.append("ALTER TABLE t9 ADD COLUMN label_copy varchar(120);\nUPDATE t9 SET label_copy = label;\n")
    old, new = root / "old", root / "new"
    old.mkdir()
    new.mkdir()
    for i, text in enumerate(migs + branch, start=1):
        name = f"{i:04d}_m{i}.sql"
        (new / name).write_text(text)
        if i <= len(migs):
            (old / name).write_text(text)
    return old, new


CHILD = """
import json, resource, sys, time
from pytest_cdcompat.api import compare
old, new, url, rows = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
t = time.perf_counter()
report = compare(old, new, kind="sql", examples=rows, seed=1, db_url=None if url == "sqlite" else url)
elapsed = time.perf_counter() - t
findings = {d.value: sorted({f.rule for f in r.findings}) for d, r in report.directions.items()}
peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps({"seconds": round(elapsed, 2), "peak_mib": peak, "findings": findings,
                  "deploy_order": report.deploy_order}))
"""


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("old", nargs="?")
    p.add_argument("new", nargs="?")
    p.add_argument("--engines", default="sqlite,postgresql://postgres@127.0.0.1:5432/postgres")
    p.add_argument("--rows", type=int, default=100)
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_sql_") as tmp:
        old, new = (Path(args.old), Path(args.new)) if args.old else generate(Path(tmp))
        n_old, n_new = len(list(old.glob("*.sql"))), len(list(new.glob("*.sql")))
        print(f"history: {n_old} -> {n_new} migrations, {args.rows} rows per table")
        print(f"{'engine':<12} {'time (s)':>9} {'peak (MiB)':>11}  findings")
        for url in args.engines.split(","):
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(old), str(new), url, str(args.rows)],
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode != 0:
                print(f"{url.split('://')[0]:<12} failed: {out.stderr.strip().splitlines()[-1:]}")
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            rules = sorted({x for v in r["findings"].values() for x in v})
            print(f"{url.split('://')[0]:<12} {r['seconds']:>9} {r['peak_mib']:>11}  {', '.join(rules)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
