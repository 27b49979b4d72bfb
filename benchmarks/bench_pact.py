"""Benchmark the offline Pact check: 200 interactions against both versions of the Stripe spec.

Usage: ``python benchmarks/bench_pact.py [OLD NEW] [--interactions 200] [--examples 100] [--out DIR]``

The Stripe documents carry no ``example`` values, so the interactions are generated from the spec itself, the
way a consumer's recorded expectations look: for each ``GET`` operation with a JSON 200 response, the request
path with its variables filled in, and as the expected body the generator's minimal instance of the response
schema (built from the schema's examples where it has them), kept to its top-level fields with ``type`` matching
rules. Operations are cycled until there are ``--interactions`` of them. Timed: reading the Pact file, loading
both spec versions, and checking every interaction against both (requests, then every response the spec allows
against the consumer's expectations, with ``--examples`` generated responses per interaction). Not a test: the
figures go in docs/pact.md.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "stripe"
DEFAULT_OLD = CORPUS / "spec3.2021-10-19.json"
DEFAULT_NEW = CORPUS / "spec3.2022-04-12.json"


def make_pact(spec: str, count: int) -> dict[str, object]:
    from pytest_cdcompat.core.settings import Settings
    from pytest_cdcompat.kinds.schema.generate import minimal_instance
    from pytest_cdcompat.live.engine import load_openapi
    from pytest_cdcompat.live.requests_gen import template_of

    contract = load_openapi(spec, Settings())
    candidates = []
    for channel in sorted(contract.channels.values(), key=lambda c: c.title):
        found = template_of(channel)
        flow = channel.flows.get("response:200")
        if found is None or found[0] != "GET" or flow is None or "application/json" not in flow.bodies:
            continue
        body = minimal_instance(flow.bodies["application/json"].schema, context="response")
        if not isinstance(body, dict) or not body:
            continue
        keep = {k: body[k] for k in sorted(body)[:4]}
        candidates.append((found[1], keep))
    interactions = []
    for i in range(count):
        template, body = candidates[i % len(candidates)]
        path = re.sub(r"\{[^}]*\}", f"id_{i}", template)
        rules = {f"$.{k}": {"matchers": [{"match": "type"}]} for k in body}
        interactions.append({
            "description": f"GET {template} #{i}",
            "providerStates": [{"name": f"state {i}"}],
            "request": {"method": "GET", "path": path},
            "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": body,
                         "matchingRules": {"body": rules}},
        })  # fmt: skip
    return {
        "consumer": {"name": "dashboard"},
        "provider": {"name": "Stripe API"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "3.0.0"}, "operations": len(candidates)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("old", nargs="?", default=str(DEFAULT_OLD))
    parser.add_argument("new", nargs="?", default=str(DEFAULT_NEW))
    parser.add_argument("--interactions", type=int, default=200)
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--out", type=Path, default=None, help="where to write the generated Pact file")
    args = parser.parse_args()
    from pytest_cdcompat.core.settings import Settings
    from pytest_cdcompat.live.engine import load_openapi
    from pytest_cdcompat.pact.pact_check import check_pacts
    from pytest_cdcompat.pact.pact_model import load_pact

    folder = args.out or Path(tempfile.mkdtemp(prefix="bench-pact-"))
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    doc = make_pact(args.new, args.interactions)
    pact_file = folder / "dashboard-stripe.json"
    pact_file.write_text(json.dumps(doc, indent=1))
    t1 = time.perf_counter()
    settings = Settings(examples=args.examples)
    pact = load_pact(pact_file)
    old, new = load_openapi(args.old, settings), load_openapi(args.new, settings)
    t2 = time.perf_counter()
    run = check_pacts([pact], old, new, examples=args.examples, seed=0)
    t3 = time.perf_counter()
    result = {
        "interactions": len(pact.interactions),
        "operations": doc["metadata"]["operations"],  # type: ignore[index]
        "examples": args.examples,
        "generate_s": round(t1 - t0, 2),
        "load_s": round(t2 - t1, 2),
        "check_s": round(t3 - t2, 2),
        "load_and_check_s": round(t3 - t1, 2),
        "findings": {d.value: len(f) for d, f in run.findings.items()},
        "rules": sorted({f.rule for fs in run.findings.values() for f in fs}),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    sys.stdout.write(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
