"""Benchmark of the SQL kind: steps of a generated history that looks like a real one, per database engine.

    python benchmarks/bench_sql.py                          # 100 tables, 300 migrations; one step and 60 steps
    python benchmarks/bench_sql.py --steps 0                # the single step only
    python benchmarks/bench_sql.py OLD_DIR NEW_DIR          # your own pair of migration folders (one step)
    python benchmarks/bench_sql.py --engines sqlite,postgresql://postgres@127.0.0.1:5432 --rows 20

The history comes from ``tests/sql/history.py`` (the generator the robustness tests use), written for each engine's
dialect: 100 tables with dialect-specific types and foreign keys, then indexes, unique keys, triggers (PL/pgSQL
functions on PostgreSQL), data migrations (``INSERT ... SELECT`` into a new table), column type swaps done as
add/copy/drop/rename, table rebuilds, quoted identifiers, and on PostgreSQL enums, ``ALTER TYPE``, ``COMMENT ON`` and
``DO`` blocks. A step is the first N migrations against the first N+1, as a user checks each commit of a history.

- one step: N = 299 (the largest), in a fresh process, as one ``cdcompat compare`` run;
- ``--steps K`` steps: N = 300-K .. 299, one after the other in one process, inside one ``run_session()`` (as
  ``cdcompat check`` walks a history commit by commit: each step starts from databases the step before prepared).

Figures: the CPU time of this tool's process (user + sys, from ``getrusage``; the load of a shared machine inflates
wall time, not CPU time) and the wall time, which also holds the database server's own work.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLES = 100
MIGRATIONS = 300

CHILD = """
import json, resource, sys, time
from pathlib import Path
from pytest_cdcompat.api import compare, run_session
full, url, rows, first, last, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), Path(sys.argv[6])
files = sorted(Path(full).glob("*.sql"))

def folder(name, count):
    d = work / name
    d.mkdir(exist_ok=True)
    for f in files[:count]:
        (d / f.name).write_bytes(f.read_bytes())
    return d

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

steps = []
with run_session():  # as the CLI and the pytest plugin run their comparisons
    for n in range(first, last + 1):
        old, new = folder(f"old{n}", n), folder(f"new{n}", n + 1)
        c, t = cpu(), time.perf_counter()
        report = compare(old, new, kind="sql", examples=rows, seed=1, db_url=None if url == "sqlite" else url)
        steps.append({"step": n, "cpu": cpu() - c, "wall": time.perf_counter() - t,
                      "errors": sum(f.severity.value == "error" for r in report.directions.values() for f in r.findings)})
peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps({"steps": steps, "peak_mib": peak, "process_cpu": cpu()}))
"""


def dialect(url: str) -> str:
    return "sqlite" if url == "sqlite" else ("postgres" if url.startswith("postgres") else "mysql")


def run(full: Path, url: str, rows: int, first: int, last: int, work: Path) -> dict[str, object] | str:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(full), url, str(rows), str(first), str(last), str(work)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if out.returncode != 0:
        return (out.stderr.strip().splitlines() or ["?"])[-1]
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("old", nargs="?")
    p.add_argument("new", nargs="?")
    p.add_argument(
        "--engines",
        default="sqlite,postgresql://postgres@127.0.0.1:5432/postgres,mysql://root@127.0.0.1:3306",
    )
    p.add_argument("--rows", type=int, default=20, help="rows per table (--cd-compat-examples), default 20")
    p.add_argument("--steps", type=int, default=60, help="consecutive steps checked in one process, default 60")
    args = p.parse_args()
    sys.path.insert(0, str(ROOT / "tests" / "sql"))
    from history import write_history

    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    for url in args.engines.split(","):
        engine = dialect(url)
        with tempfile.TemporaryDirectory(prefix="bench_sql_") as tmp:
            work = Path(tmp)
            if args.old:
                full, first = Path(args.new), len(list(Path(args.old).glob("*.sql")))
            else:
                full, first = work / "full", MIGRATIONS - 1
                write_history(full, engine, tables=TABLES, migrations=MIGRATIONS, seed=3)
            one = run(full, url, args.rows, first, first, work)
            if isinstance(one, str):
                print(f"{engine:<9} failed: {one}")
                continue
            s = one["steps"][0]  # type: ignore[index]
            print(
                f"{engine:<9} one step ({first} -> {first + 1} migrations, {args.rows} rows/table): "
                f"CPU {s['cpu']:.2f} s, wall {s['wall']:.2f} s, process CPU {one['process_cpu']:.2f} s "
                f"(imports included), peak {one['peak_mib']} MiB, {s['errors']} errors"
            )
            if args.steps and not args.old:
                many = run(full, url, args.rows, MIGRATIONS - args.steps, MIGRATIONS - 1, work)
                if isinstance(many, str):
                    print(f"{engine:<9} {args.steps} steps failed: {many}")
                    continue
                steps = many["steps"]  # type: ignore[index]
                cpu = sorted(x["cpu"] for x in steps)
                wall = sorted(x["wall"] for x in steps)
                print(
                    f"{engine:<9} {args.steps} steps: total CPU {sum(cpu):.1f} s, wall {sum(wall):.1f} s; per step "
                    f"CPU median {cpu[len(cpu) // 2]:.2f} s (max {cpu[-1]:.2f}), wall median "
                    f"{wall[len(wall) // 2]:.2f} s (max {wall[-1]:.2f}); "
                    f"{sum(x['errors'] for x in steps)} errors"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
