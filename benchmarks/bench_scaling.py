"""Cost grows with what differs, not with the size of the documents times what differs.

Usage: ``python benchmarks/bench_scaling.py [SPEC.json] [--repeat 3]``

1. With an OpenAPI document in JSON (the Stripe 3.0 document of the shared corpus, say): the document compared with
   itself, then with copies changed in 1, 5 and 18 (``--places``) distinct places of shared component schemas (a
   ``maxLength`` added to a free string property of a component that many operations reach). The comparison of
   one deep shared change should cost about as much as the document compared with itself.
2. Without a document argument too: enums of 100,000 values and objects of 20,000 properties (one change each),
   as JSON Schema pairs.

Each run is a fresh process; the table shows the median run's wall time and CPU time (user + system) and the
load average when the benchmark started. Not a test: figures go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from pytest_cdcompat import compare
report = compare(sys.argv[1], sys.argv[2], examples=int(sys.argv[3]), seed=0, allow_remote_refs=False)
t1 = time.perf_counter()
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"wall_s": t1 - t0, "cpu_s": ru.ru_utime + ru.ru_stime, "peak_mib": ru.ru_maxrss / 1024,
                  "findings": sum(len(r.findings) for r in report.directions.values())}))
"""


def run(old: Path, new: Path, examples: int, repeat: int) -> dict[str, Any]:
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(old), str(new), str(examples)],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            raise SystemExit(out.stderr)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return sorted(runs, key=lambda d: d["wall_s"])[len(runs) // 2]


def deep_string_properties(doc: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` free string properties (no ``enum``), one in each of distinct component schemas. Components
    are reached deep inside many operations' schemas (``$ref`` from responses, expandable fields), so a ``maxLength``
    there is a change met along many paths, and a real one (old producers may send longer strings than new
    consumers take)."""
    found: list[dict[str, Any]] = []
    for _name, schema in sorted((doc.get("components") or {}).get("schemas", {}).items()):
        leaf = next(
            (
                prop
                for _p, prop in sorted((schema.get("properties") or {}).items())
                if isinstance(prop, dict)
                and prop.get("type") == "string"
                and not {"maxLength", "enum", "const"} & set(prop)  # a bound on one fixed value changes nothing
            ),
            None,
        )
        if leaf is not None:
            found.append(leaf)
        if len(found) >= limit:
            break
    return found


def changed_copy(doc: dict[str, Any], places: int) -> tuple[dict[str, Any], int]:
    new = copy.deepcopy(doc)
    leaves = deep_string_properties(new, places)
    for leaf in leaves:
        leaf["maxLength"] = 5000
    return new, len(leaves)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("spec", nargs="?", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--places", type=int, nargs="+", default=[1, 5, 18])
    args = ap.parse_args(argv)
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; median of {args.repeat}")
    print("| comparison | examples | wall (s) | CPU (s) | peak RSS (MiB) | findings |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.spec is not None:
            doc = json.loads(args.spec.read_text())
            row = run(args.spec, args.spec, 0, args.repeat)
            print(f"| {args.spec.name} vs itself | 0 | {row['wall_s']:.2f} | {row['cpu_s']:.2f} | "
                  f"{row['peak_mib']:.0f} | {row['findings']} |")  # fmt: skip
            for places in args.places:
                target = folder / f"changed{places}.json"
                new_doc, count = changed_copy(doc, places)
                target.write_text(json.dumps(new_doc))
                row = run(args.spec, target, 0, args.repeat)
                print(f"| {args.spec.name} vs {count} deep shared change(s) | 0 | {row['wall_s']:.2f} | "
                      f"{row['cpu_s']:.2f} | {row['peak_mib']:.0f} | {row['findings']} |")  # fmt: skip
        n, m = 100_000, 20_000
        pairs = {
            f"enum of {n:,} values, one removed and one added": (
                {"type": "string", "enum": [f"v{i}" for i in range(n)]},
                {"type": "string", "enum": [*(f"v{i}" for i in range(n) if i != 500), "new"]},
            ),
            f"object of {m:,} properties, one type changed": (
                {"type": "object", "properties": {f"p{i}": {"type": "string"} for i in range(m)}},
                {
                    "type": "object",
                    "properties": {f"p{i}": {"type": "integer" if i == 700 else "string"} for i in range(m)},
                },
            ),
        }
        for label, (old, new) in pairs.items():
            a, b = folder / "old.json", folder / "new.json"
            a.write_text(json.dumps(old))
            b.write_text(json.dumps(new))
            for examples in (0, 100):
                row = run(a, b, examples, args.repeat)
                print(f"| {label} | {examples} | {row['wall_s']:.2f} | {row['cpu_s']:.2f} | {row['peak_mib']:.0f} | "
                      f"{row['findings']} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
