"""The release plan: the branch's deploy steps in order, the phase and deploy order each needs, the order of the
whole release, conflicts, and for each unsafe step the missing step named.

Phases: ``expand`` (breaks only new consumers against the old producer: the producer goes first), ``contract``
(removes or changes what old consumers read), ``transition`` (compatible both ways, with warnings to act on: a
deprecation, a waived break), ``toggle-on`` / ``toggle-off`` (a commit that flips a toggle the contract uses),
``other`` (nothing on the wire changes). ``cdcompat plan`` prints it (text, JSON, Markdown); ``pytest --cd-compat``
ends with it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pytest_cdcompat.core.findings import ANY_ORDER, CONSUMERS_FIRST, PRODUCER_FIRST, Direction
from pytest_cdcompat.release.policy import ALWAYS_RULES

ONP = Direction.OLD_CONSUMER_NEW_PRODUCER
NOP = Direction.NEW_CONSUMER_OLD_PRODUCER


@dataclass(frozen=True)
class Missing:
    commit: str
    contract: str
    phase: str
    message: str
    advice: str

    def to_json(self) -> dict[str, str]:
        return {
            "commit": self.commit,
            "contract": self.contract,
            "phase": self.phase,
            "message": self.message,
            "advice": self.advice,
        }


def _rules(result: Any, direction: Direction) -> list[str]:
    return sorted({f.rule for f in result.report.directions[direction].errors})


def _deployers(kind: str, order: str) -> list[str]:
    producer = "the database migration" if kind == "sql" else "the producer"
    consumers = "the application" if kind == "sql" else "the consumers"
    if order == CONSUMERS_FIRST:
        return [consumers, producer]
    if order in (PRODUCER_FIRST, ANY_ORDER):
        return [producer, consumers]
    return []


def _flip(result: Any) -> str | None:
    toggles = result.pair.toggles
    if toggles is None:
        return None
    before, after = dict(toggles[0]), dict(toggles[1])
    if any(after.get(n) and not before.get(n, False) for n in after):
        return "toggle-on"
    if any(before.get(n) and not after.get(n, True) for n in before):
        return "toggle-off"
    return None


def step_entry(result: Any) -> tuple[dict[str, Any], list[Missing]]:
    """One plan step (and its missing steps) from a ``PairResult``."""
    pair = result.pair
    commit = pair.step or ("branch (base against head)" if pair.sub is None else pair.sub)
    entry: dict[str, Any] = {"commit": commit, "contract": pair.id, "versions": pair.sub}
    if result.report is None:
        entry.update(phase="other", deploy_order=None, deployers=[], compatible=False, error=result.error)
        return entry, [Missing(commit, pair.id, "other", f"cannot be checked: {result.error}", "fix the input")]
    report = result.report
    onp, nop = report.directions[ONP], report.directions[NOP]
    flip = _flip(result)
    if flip is not None:
        phase = flip
    elif onp.compatible and nop.compatible:
        has_notes = any(f.severity.value == "warning" or f.waived for d in (onp, nop) for f in d.findings)
        phase = "transition" if has_notes else "other"
    elif onp.compatible:
        phase = "expand"
    else:
        phase = "contract"
    order = report.deploy_order
    entry.update(
        phase=phase,
        deploy_order=order,
        deployers=_deployers(report.kind, order),
        compatible=result.ok,
        kind=report.kind,
        policy=result.decision.policy if result.decision is not None else None,
        breaks={d.value: _rules(result, d) for d in Direction if _rules(result, d)},
        follow_up=[f for d in Direction if (f := result.follow_up(d)) is not None],
    )
    return entry, [] if result.ok else _missing(result, commit, phase)


def _missing(result: Any, commit: str, phase: str) -> list[Missing]:
    pair = result.pair
    out: list[Missing] = []

    def add(message: str, advice: str) -> None:
        out.append(Missing(commit, pair.id, phase, message, advice))

    onp_rules = set(_rules(result, ONP)) if result.failed(ONP) else set()
    nop_rules = set(_rules(result, NOP)) if result.failed(NOP) else set()
    if phase == "toggle-on":
        add(
            "the toggle is turned on before every running producer (and consumer) has the element it enables",
            "turn the toggle on in a later commit, once the version that carries the element (on both sides) is "
            "fully rolled out; or make the element safe for old consumers first",
        )
        return out
    if "write-lost-during-transition" in onp_rules | nop_rules:
        add(
            "an expand step copies a column without a trigger or double write: writes of the old application after "
            "the migration are lost for the new one",
            "add a trigger that keeps the new column in sync in this migration, or write both columns from the "
            "application first (an earlier step), then copy",
        )
    other = {r for r in onp_rules | nop_rules if r not in ALWAYS_RULES}
    if onp_rules - ALWAYS_RULES and nop_rules - ALWAYS_RULES:
        add(
            f"no deploy order is safe ({', '.join(sorted(other))}): the change needs an expand step before it",
            "split the change into two commits: expand first (add the new shape beside the old, deploy the "
            "producer), then contract once every consumer uses the new shape",
        )
    elif onp_rules - ALWAYS_RULES:
        add(
            f"a contract step while old consumers may still use what it removes or changes "
            f"({', '.join(sorted(onp_rules - ALWAYS_RULES))})",
            "transition first: a step that keeps sending the old shape while every consumer moves to the new one "
            "(rolled out fully), then remove it in a later commit",
        )
    elif nop_rules - ALWAYS_RULES:
        add(
            f"a consumer-first step without a toggle: new consumers need what the old producer lacks "
            f"({', '.join(sorted(nop_rules - ALWAYS_RULES))})",
            "deploy the producer side first (an expand step), or hide the consumers' use of the new shape behind a "
            "feature toggle turned on after the producer is out",
        )
    return out


def release_order(steps: Sequence[dict[str, Any]]) -> tuple[list[str], list[dict[str, str]]]:
    """The order of the whole release, and conflicts: a commit that needs the producer first for one contract and
    the consumers first for another (within this deployable)."""
    needs_migration = any(s.get("kind") == "sql" and s.get("phase") in ("expand", "contract") for s in steps)
    producer_first = any(s.get("deploy_order") == PRODUCER_FIRST and s.get("kind") != "sql" for s in steps)
    consumers_first = any(s.get("deploy_order") == CONSUMERS_FIRST and s.get("kind") != "sql" for s in steps)
    order: list[str] = []
    if needs_migration:
        order.append("migrate the database")
    if consumers_first and not producer_first:
        order += ["deploy the consumers", "deploy the producer"]
    else:
        order += ["deploy the producer", "deploy the consumers"]
    conflicts: list[dict[str, str]] = []
    by_commit: dict[str, list[dict[str, Any]]] = {}
    for s in steps:
        versions = s.get("versions")
        if versions is None or str(versions).startswith("commit-"):  # version-folder pairs are not deploys
            by_commit.setdefault(s["commit"], []).append(s)
    for commit, group in by_commit.items():
        first = {s["contract"] for s in group if s.get("deploy_order") == PRODUCER_FIRST}
        last = {s["contract"] for s in group if s.get("deploy_order") == CONSUMERS_FIRST}
        if first and last:
            conflicts.append(
                {
                    "commit": commit,
                    "message": f"needs the producer first for {', '.join(sorted(first))} and the consumers first "
                    f"for {', '.join(sorted(last))}",
                    "advice": "split the change into two commits, expand first",
                }
            )
    return order, conflicts


def build(
    base: str, entries: Iterable[tuple[dict[str, Any], list[Missing]]], toggles: dict[str, Any]
) -> dict[str, Any]:
    pairs = list(entries)
    steps = [entry for entry, _ in pairs]
    # Per-commit steps when there are any; the whole-branch comparison stands for a branch of one step.
    stepped = {s["contract"] for s in steps if s.get("versions") and str(s["versions"]).startswith("commit-")}
    kept = [(e, m) for e, m in pairs if e.get("versions") or e["contract"] not in stepped]
    shown = [e for e, _ in kept]
    missing = [m for _, ms in kept for m in ms]
    order, conflicts = release_order(shown)
    return {
        "base": base,
        "safe": all(s["compatible"] for s in steps) and not conflicts,
        "steps": shown,
        "whole_branch": [
            {"contract": s["contract"], "compatible": s["compatible"], "deploy_order": s["deploy_order"]}
            for s in steps
            if not s.get("versions")
        ],
        "order": order,
        "conflicts": conflicts,
        "missing": [m.to_json() for m in missing],
        "toggles": toggles,
    }


def render(doc: dict[str, Any], fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    md = fmt == "markdown"
    lines: list[str] = []
    head = "# Release plan" if md else "release plan"
    lines.append(f"{head}: base {doc['base']}, {len(doc['steps'])} step(s), {'safe' if doc['safe'] else 'UNSAFE'}")
    lines.append("")
    for i, s in enumerate(doc["steps"], 1):
        who = " then ".join(s.get("deployers") or []) or "no safe order"
        verdict = "ok" if s["compatible"] else "FAILS"
        bullet = f"{i}." if md else f"  {i}."
        lines.append(
            f"{bullet} {s['commit']}: {s['contract']}: {s['phase']}, {s.get('deploy_order') or 'not checked'} "
            f"({who}): {verdict}"
        )
        for note in s.get("follow_up") or []:
            lines.append(f"     follow-up: {note}")
    if doc["whole_branch"]:
        ok = all(w["compatible"] for w in doc["whole_branch"])
        lines.append("")
        lines.append(
            "the branch as a whole (base against head): "
            + ("safe to roll back to the base" if ok else "not safe to roll back to the base")
        )
    lines.append("")
    lines.append(("## " if md else "") + "release order: " + ", then ".join(doc["order"]))
    for c in doc["conflicts"]:
        lines.append(f"conflict: {c['commit']}: {c['message']}; {c['advice']}")
    if doc["missing"]:
        lines.append("")
        lines.append(("## " if md else "") + "missing steps:")
        for m in doc["missing"]:
            lines.append(f"  - {m['commit']}: {m['contract']} ({m['phase']}): {m['message']}")
            lines.append(f"    advice: {m['advice']}")
    t = doc["toggles"]
    if t.get("file") or t.get("cleanup"):
        lines.append("")
        files = t.get("files") or {t.get("file") or "no file": t.get("states", {})}
        for file, on in files.items():
            states = ", ".join(f"{k}={'on' if v else 'off'}" for k, v in sorted(on.items())) or "none"
            lines.append(("## " if md else "") + f"toggles ({file}): {states}")
        for c in t.get("cleanup", []):
            lines.append(f"  clean-up: {c}")
    return "\n".join(lines) + "\n"


def toggles_doc(plan: Any, states: dict[str, bool] | None) -> dict[str, Any]:
    doc = {"file": plan.toggle_file, "states": dict(states or {}), "cleanup": list(plan.toggle_cleanup)}
    if plan.toggle_files:  # a monorepo: each service's own toggle file, with its states
        from pytest_cdcompat.release.toggles import read_toggles

        doc["files"] = {f: read_toggles(plan.root / f, required=False) or {} for f in plan.toggle_files}
    return doc


def plan_command(opts: Any, out: Any, err: Any, fmt: str) -> int:
    """``cdcompat plan``: check the branch step by step and print it as a release plan. Exit 0 safe, 1 unsafe."""
    import datetime as dt
    from pathlib import Path

    from pytest_cdcompat.release.toggles import read_toggles
    from pytest_cdcompat.run.discovery import discover, plan_seed
    from pytest_cdcompat.run.options import choose_seed
    from pytest_cdcompat.run.runner import run_pair
    from pytest_cdcompat.run.service_waivers import load_run_waivers

    waivers = load_run_waivers(opts)  # the waiver files `check` reads, per service in a monorepo
    plan = discover(opts, Path.cwd())
    seed = choose_seed(opts.seed, derived=lambda: plan_seed(plan))
    today = dt.date.today()
    results = [run_pair(p, plan, opts, waivers, seed, today) for p in plan.pairs]
    states = read_toggles(plan.root / plan.toggle_file, required=False) if plan.toggle_file else None
    doc = build(plan.describe_base(), (step_entry(r) for r in results), toggles_doc(plan, states))
    if fmt == "json":
        doc["notes"] = list(plan.notes)
    from pytest_cdcompat.report import CI_FORMATS, PairReport, render_pairs

    if fmt in CI_FORMATS:
        # annotations, code scanning, test reports: the findings of every step, as ``cdcompat check`` writes them
        pairs = [PairReport(r.pair.name, r.report, r.required) for r in results if r.report is not None]
        out.write(render_pairs(pairs, fmt, errors=[f"{r.pair.name}: {r.error}" for r in results if r.error]))
    else:
        out.write(render(doc, fmt))
    for r in results:
        if r.error is not None:
            err.write(f"cdcompat: error: {r.error}\n")
    if any(r.error is not None for r in results):
        return 2
    return 0 if doc["safe"] else 1
