"""Benchmark Avro and Protobuf comparisons: wall time and peak memory, per pair, static and with round trips.

Usage: ``python benchmarks/bench_messages.py [OLD NEW ...] [--generate DIR] [--fields 500] [--examples 0 100]``

``--generate DIR`` writes and adds three generated pairs: a ``--fields``-field Avro record pair (one field's type
changed, one optional field added), a Protobuf message of 200 fields with one integer narrowed, and an AsyncAPI 3.0
document with ``--channels`` channels (sent and received messages, one enum value added, one property made
required). Each run happens
in a fresh Python process so its peak RSS is its own (imports included). Not a test: figures go in docs/messages.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from pytest_cdcompat import compare
old, new, examples = sys.argv[1], sys.argv[2], int(sys.argv[3])
t1 = time.perf_counter()
report = compare(old, new, examples=examples, seed=0)
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "compare_s": t2 - t1,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "findings": [len(r.findings) for r in report.directions.values()],
                  "deploy_order": report.deploy_order}))
"""


def generate(folder: Path, fields: int) -> list[tuple[str, str]]:
    folder.mkdir(parents=True, exist_ok=True)
    kinds = ["int", "long", "string", ["null", "string"], {"type": "array", "items": "double"}]
    avro = [{"name": f"f{i}", "type": kinds[i % len(kinds)]} for i in range(fields)]
    changed = [dict(f) for f in avro]
    changed[fields // 2] = {"name": f"f{fields // 2}", "type": "boolean"}
    changed.append({"name": "added", "type": ["null", "long"], "default": None})
    for name, body in (("old", avro), ("new", changed)):
        schema = {"type": "record", "name": "Wide", "namespace": "bench", "fields": body}
        (folder / f"wide-{name}.avsc").write_text(json.dumps(schema))
    scalar = ["int64", "string", "bool", "double", "bytes"]
    lines = [f"  {scalar[i % len(scalar)]} f{i} = {i};" for i in range(1, 201)]
    narrowed = [line.replace("int64 f100 ", "int32 f100 ") for line in lines]
    for name, body in (("old", lines), ("new", narrowed)):
        text = 'syntax = "proto3";\npackage bench;\nmessage Wide {\n' + "\n".join(body) + "\n}\n"
        (folder / f"wide-{name}.proto").write_text(text)
    return [
        (str(folder / "wide-old.avsc"), str(folder / "wide-new.avsc")),
        (str(folder / "wide-old.proto"), str(folder / "wide-new.proto")),
    ]


def generate_asyncapi(folder: Path, channels: int) -> tuple[str, str]:
    def doc(changed: bool) -> dict[str, object]:
        chans: dict[str, object] = {}
        ops: dict[str, object] = {}
        for i in range(channels):
            status = ["NEW", "PAID", "SHIPPED"] + (["REFUNDED"] if changed and i == channels // 2 else [])
            required = ["id", "status"] + (["note"] if changed and i == channels // 3 else [])
            payload = {
                "type": "object",
                "required": required,
                "properties": {
                    "id": {"type": "string"},
                    "status": {"type": "string", "enum": status},
                    "amount": {"type": "integer", "minimum": 0},
                    "note": {"type": "string", "maxLength": 200},
                    "lines": {"type": "array", "items": {"type": "object", "properties": {"sku": {"type": "string"}}}},
                },
            }
            chans[f"c{i}"] = {"address": f"orders.{i}", "messages": {f"M{i}": {"payload": payload}}}
            ops[f"o{i}"] = {"action": "send" if i % 2 else "receive", "channel": {"$ref": f"#/channels/c{i}"}}
        return {"asyncapi": "3.0.0", "info": {"title": "bench", "version": "1"}, "channels": chans, "operations": ops}

    for name, changed in (("old", False), ("new", True)):
        (folder / f"wide-{name}.asyncapi.json").write_text(json.dumps(doc(changed)))
    return str(folder / "wide-old.asyncapi.json"), str(folder / "wide-new.asyncapi.json")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("paths", nargs="*", help="pairs of files: OLD NEW [OLD NEW ...]")
    ap.add_argument("--generate", type=Path, help="folder to write the generated pairs to")
    ap.add_argument("--fields", type=int, default=500, help="fields of the generated Avro record")
    ap.add_argument("--channels", type=int, default=200, help="channels of the generated AsyncAPI document")
    ap.add_argument("--examples", type=int, nargs="+", default=[0, 100])
    ap.add_argument("--repeat", type=int, default=3, help="runs per configuration; the fastest is shown")
    args = ap.parse_args(argv)
    if len(args.paths) % 2:
        ap.error("give the files in pairs: OLD NEW")
    pairs = list(zip(args.paths[::2], args.paths[1::2], strict=True))
    if args.generate:
        pairs += generate(args.generate, args.fields)
        pairs.append(generate_asyncapi(args.generate, args.channels))
    if not pairs:
        ap.error("nothing to measure: give pairs or --generate DIR")
    print("| pair | examples | compare (s) | import (s) | wall incl. start (s) | peak RSS (MiB) | findings | order |")
    print("|---|---|---|---|---|---|---|---|")
    for old, new in pairs:
        for examples in args.examples:
            best = None
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
                if best is None or data["compare_s"] < best["compare_s"]:
                    best = data
            assert best is not None
            print(
                f"| {Path(old).name} -> {Path(new).name} | {examples} | {best['compare_s']:.3f} | "
                f"{best['import_s']:.3f} | {best['wall_s']:.3f} | {best['peak_mib']:.0f} | "
                f"{'/'.join(map(str, best['findings']))} | {best['deploy_order']} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
