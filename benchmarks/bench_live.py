"""Benchmark the live check of the example orders service, both directions.

Usage: ``python benchmarks/bench_live.py [--examples 100] [--rate 0] [--unsafe]``

Starts ``examples/orders-service/server_v1.py`` and ``server_v2.py`` on free loopback ports, runs the live check
(``--examples`` requests per operation and direction, shrinking included) of ``contracts/orders-api/v1.yaml``
against ``v2.yaml``, and prints the requests sent, the wall time of the live part and the requests per second.
``--rate 0`` lifts the per-server rate limit (the default limit is 200 requests per second). Not a test: the
figures go in docs/live.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--rate", type=float, default=0.0, help="requests per second per server; 0: no limit")
    parser.add_argument("--unsafe", action="store_true", help="also POST")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from pytest_cdcompat.api import compare
    from pytest_cdcompat.core.settings import Settings
    from pytest_cdcompat.live.command import running
    from pytest_cdcompat.live.engine import LiveSettings, live_check

    old, new = str(REPO / "contracts/orders-api/v1.yaml"), str(REPO / "contracts/orders-api/v2.yaml")
    settings = Settings(examples=0, seed=1)
    static = compare(old, new, settings=settings)
    service = REPO / "examples" / "orders-service"
    live = LiveSettings(examples=args.examples, rate=args.rate if args.rate > 0 else 1e9, unsafe=args.unsafe, seed=1)
    t0 = time.perf_counter()
    with running(None, None, f"{sys.executable} {service / 'server_v1.py'} --port {{port}}",
                 f"{sys.executable} {service / 'server_v2.py'} --port {{port}}", frozenset(), None) as (o, n):  # fmt: skip
        t1 = time.perf_counter()
        report = live_check(old, new, o, n, live, static, settings)
        t2 = time.perf_counter()
    t3 = time.perf_counter()
    note = next(x for x in report.notes if x.startswith("live: ") and "requests in" in x)
    requests = int(note.split()[1])
    result = {
        "examples_per_operation": args.examples,
        "unsafe": args.unsafe,
        "requests": requests,
        "live_s": round(t2 - t1, 2),
        "requests_per_s": round(requests / (t2 - t1), 1),
        "start_and_stop_s": round((t1 - t0) + (t3 - t2), 2),
        "findings": {d.value: [f.rule for f in r.findings] for d, r in report.directions.items()},
    }
    sys.stdout.write(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
