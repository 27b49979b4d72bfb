"""Benchmark ``cdcompat compare`` on real contract pairs: wall time and peak memory.

Usage: ``python benchmarks/bench_compare.py OLD NEW [OLD NEW ...] [--examples 0 100] [--repeat 3]``

Each configuration runs in a fresh Python process (so peak RSS is that run's alone, imports included), once with
static rules only (``--examples 0``) and once with generation, ``--repeat`` times; the table shows the median run
(by compare time), its CPU time (user + system: what the machine's load does not inflate) and the load average
when the benchmark started. Not a test: figures go in the README and docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from pytest_cdcompat import compare
from pytest_cdcompat.core.errors import CdcompatError
old, new, examples = sys.argv[1], sys.argv[2], int(sys.argv[3])
t1 = time.perf_counter()
report = compare(old, new, examples=examples, seed=0, allow_remote_refs=False)
t2 = time.perf_counter()
ru = resource.getrusage(resource.RUSAGE_SELF)
counts = {d.value: len(r.findings) for d, r in report.directions.items()}
errors = {d.value: len(r.errors) for d, r in report.directions.items()}
print(json.dumps({"import_s": t1 - t0, "compare_s": t2 - t1, "cpu_s": ru.ru_utime + ru.ru_stime,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "findings": counts, "errors": errors, "deploy_order": report.deploy_order}))
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", help="pairs of files: OLD NEW [OLD NEW ...]")
    ap.add_argument("--examples", type=int, nargs="+", default=[0, 100])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    if len(args.paths) % 2:
        ap.error("give the files in pairs: OLD NEW")
    pairs = list(zip(args.paths[::2], args.paths[1::2], strict=True))
    import os

    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; median of {args.repeat}")
    print(
        "| pair | examples | compare (s) | wall incl. start-up (s) | CPU (s) | peak RSS (MiB) | findings (OCNP/NCOP) "
        "| errors |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for old, new in pairs:
        for examples in args.examples:
            runs = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                out = subprocess.run(
                    [sys.executable, "-c", CHILD, old, new, str(examples)], capture_output=True, text=True, check=False
                )
                wall = time.perf_counter() - t0
                if out.returncode != 0:
                    print(out.stderr, file=sys.stderr)
                    return 1
                data = json.loads(out.stdout.strip().splitlines()[-1])
                data["wall_s"] = wall
                runs.append(data)
            best = sorted(runs, key=lambda d: d["compare_s"])[len(runs) // 2]  # the median run
            f, e = best["findings"], best["errors"]
            print(
                f"| {old.split('/')[-1]} -> {new.split('/')[-1]} | {examples} | {best['compare_s']:.2f} | "
                f"{best['wall_s']:.2f} | {best['cpu_s']:.2f} | {best['peak_mib']:.0f} | "
                f"{f['old_consumer_new_producer']}/{f['new_consumer_old_producer']} | "
                f"{e['old_consumer_new_producer']}/{e['new_consumer_old_producer']} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
