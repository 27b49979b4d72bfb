"""Run one discovered pair: compare it (or build the report of an added / removed contract), then apply waivers.

Shared by ``cdcompat check`` and the pytest items so both give the same verdicts. A ``CdcompatError`` becomes the
pair's ``error``, one line naming the file; any other exception is a bug, and becomes one "internal error while
checking <pair>: <type>: <message>" line instead of a traceback, so the other pairs are still checked.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from pytest_cdcompat.core.errors import CdcompatError
from pytest_cdcompat.core.findings import Direction, DirectionResult, Finding, Report, Severity
from pytest_cdcompat.release.policy import Decision
from pytest_cdcompat.release.policy import fails as policy_fails
from pytest_cdcompat.release.policy import follow_up as policy_follow_up
from pytest_cdcompat.run.discovery import Pair, Plan
from pytest_cdcompat.run.modes import required_directions
from pytest_cdcompat.run.options import RunOptions
from pytest_cdcompat.run.waivers import WaiverSet, apply_waivers

REMOVED_LABEL = "(removed)"
ADDED_LABEL = "(not in the base)"


@dataclass(frozen=True)
class PairResult:
    pair: Pair
    report: Report | None
    error: str | None
    required: frozenset[Direction]
    used_waivers: frozenset[int] = frozenset()
    decision: Decision | None = None  # the deploy policy's verdict (release/policy.py)

    def failed(self, direction: Direction) -> bool:
        """Whether ``direction`` fails the build: incompatible and required by the contract's mode or the deploy
        policy (or a data check that always applies)."""
        if self.error is not None:
            return True
        assert self.report is not None
        if self.decision is not None:
            return policy_fails(self.decision, self.report.directions[direction])
        return direction in self.required and not self.report.directions[direction].compatible

    def follow_up(self, direction: Direction) -> str | None:
        """What follows a step that breaks ``direction`` although the deploy order makes it safe (an expand step)."""
        if self.report is None or self.decision is None:
            return None
        return policy_follow_up(self.decision, self.report.directions[direction])

    @property
    def ok(self) -> bool:
        return not any(self.failed(d) for d in Direction)


def _here(path: Path) -> str:
    return os.path.relpath(path, Path.cwd())


def _detect(spec: str, opts: RunOptions) -> str:
    from pytest_cdcompat.kinds import detect_kind, open_source

    try:
        return detect_kind(open_source(spec, opts.settings()))
    except CdcompatError:
        return "contract"


def _empty(direction: Direction, *findings: Finding) -> DirectionResult:
    return DirectionResult(direction, tuple(sorted(findings, key=Finding.sort_key)))


def _no_change(
    kind: str, old: str, new: str, opts: RunOptions, seed: int | None, notes: tuple[str, ...] = ()
) -> Report:
    """A report with no finding in either direction: an added contract, or one unchanged since the base."""
    return Report(
        kind=kind,
        old=old,
        new=new,
        directions={d: _empty(d) for d in Direction},
        semantics="strict" if opts.strict else "tolerant",
        seed=seed,
        examples=opts.examples,
        notes=notes,
    )


def _removed_findings(old_label: str, opts: RunOptions) -> list[Finding]:
    from pytest_cdcompat.catalogue import by_id, contract_removed  # noqa: F401  (registers the rule even if the catalogue is trimmed)

    found = by_id("contract-removed")
    assert found is not None, "the contract-removed rule is not registered"
    rule, rid = found
    return [
        Finding(
            rule=hit.rule_id or rid.id,
            severity=opts.severity.get(hit.rule_id or rid.id) or hit.severity or rid.severity,
            location=hit.where,
            message=hit.message,
            advice=rid.advice,
        )
        for hit in rule.check(old_label, None)
    ]


def old_spec(pair: Pair, plan: Plan) -> str | None:
    if pair.old is not None:
        return _here(pair.old)
    if pair.old_rel is not None and plan.base is not None:
        rev = pair.old_rev[:10] if pair.old_rev is not None else plan.base.short
        return f"{rev}:{_here(plan.base.root / pair.old_rel)}"
    return None


def new_spec(pair: Pair, plan: Plan) -> str:
    """The new version: the work tree, or the step's commit."""
    if pair.new_rev is not None and plan.base is not None and pair.old_rel is not None:
        return f"{pair.new_rev[:10]}:{_here(plan.base.root / pair.old_rel)}"
    assert pair.new is not None
    return _here(pair.new)


def _step_notes(report: Report, pair: Pair) -> Report:
    if pair.step is None:
        return report
    if pair.new_rev is None and pair.sub is None:
        note = f"deploy step {pair.step}: the branch's only change to this contract"
    else:
        note = f"deploy step {pair.step}, compared with the commit before it"
    return replace(report, notes=(note, *report.notes))


def compare_pair(pair: Pair, plan: Plan, opts: RunOptions, seed: int | None, *, visible: bool = False) -> Report:
    """The report for one pair, before waivers. Raises ``CdcompatError`` for bad input. Elements of off toggles are
    absent, unless ``visible``."""
    from pytest_cdcompat.api import compare

    settings = opts.settings(seed)
    if pair.toggles is not None and visible is False:
        settings = replace(settings, toggles=(dict(pair.toggles[0]), dict(pair.toggles[1])))
    old = old_spec(pair, plan)
    if pair.status == "removed":
        assert old is not None
        directions = {d: _empty(d) for d in Direction}
        d = Direction.OLD_CONSUMER_NEW_PRODUCER
        directions[d] = _empty(d, *_removed_findings(old, opts))
        return Report(
            kind=_detect(old, opts),
            old=old,
            new=REMOVED_LABEL,
            directions=directions,
            semantics="strict" if opts.strict else "tolerant",
            seed=seed,
            examples=opts.examples,
        )
    new = new_spec(pair, plan)
    if pair.status == "added" or old is None:
        from pytest_cdcompat.kinds import detect_kind, load, open_source

        # Nothing to compare yet, but a new contract that does not load must still fail.
        source = open_source(new, settings)
        kind = detect_kind(source)
        load(source, kind, settings)
        return _no_change(kind, ADDED_LABEL, new, opts, seed, notes=(pair.note,) if pair.note else ())
    if pair.status != "version" and _identical(pair, plan):
        # unchanged since the base (the file and nothing it could reference): nothing to load or compare
        return _no_change(_detect(new, opts), old, new, opts, seed)
    # A migrations folder at a git revision cannot be recognised on its own: take the kind from the work tree.
    folder_kind = _detect(_here(pair.new), opts) if pair.new is not None and pair.new.is_dir() else None
    report = compare(old, new, kind=folder_kind, settings=settings)
    if report.kind == "openapi":  # consumer Pact files and live checks (live/integrate.py)
        from pytest_cdcompat.live.integrate import augment

        report = augment(report, (pair.id, new, *pair.contracts), old, new, opts.live, settings, opts.paths)
    return report


_EXTERNAL_REF = re.compile(rb"""(\$ref["']?\s*:\s*["']?(?!#)|^\s*import\s+["'])""", re.M)


def _identical(pair: Pair, plan: Plan) -> bool:
    """The new file is byte-identical to its base version and references no other file (no ``$ref`` outside the
    document, no Protobuf ``import``), so the comparison cannot find anything: skip it before loading."""
    if pair.old_rev is not None or pair.new_rev is not None:  # a deploy step: read from its commits
        return False
    if pair.new is None or pair.old_rel is None or plan.base is None or not pair.new.is_file():
        return False
    try:
        same_path = pair.new.resolve().relative_to(plan.base.root.resolve()).as_posix() == pair.old_rel
    except ValueError:
        return False
    if not same_path or pair.old_rel in _changed_files(plan.base.root, plan.base.commit):
        return False
    return not _EXTERNAL_REF.search(pair.new.read_bytes())


@functools.lru_cache(maxsize=8)
def _changed_files(root: Path, commit: str) -> frozenset[str]:
    """Repository paths that differ from ``commit`` in the work tree, or are untracked: two git calls per run."""
    import subprocess

    def lines(*args: str) -> list[str]:
        out = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise CdcompatError(f"git {' '.join(args)} failed: {out.stderr.strip()}")
        return out.stdout.splitlines()

    return frozenset(lines("diff", "--name-only", "--no-renames", commit) + lines("ls-files", "--others",
                                                                                   "--exclude-standard"))  # fmt: skip


def run_pair(
    pair: Pair, plan: Plan, opts: RunOptions, waivers: WaiverSet, seed: int | None, today: dt.date | None = None
) -> PairResult:
    required = required_directions(pair.mode)
    try:
        report = _step_notes(compare_pair(pair, plan, opts, seed), pair)
        report = _behind_toggles(report, pair, plan, opts, seed)
    except CdcompatError as e:
        return PairResult(pair, None, str(e), required)
    except Exception as e:  # a bug of ours: the pair fails with one line (exit 2 in check), the others still run
        message = " ".join(str(e).split())[:500]
        return PairResult(
            pair, None, f"internal error while checking {pair.name}: {type(e).__name__}: {message}", required
        )
    outcome = apply_waivers(report, waivers, contracts=pair.contracts, today=today)
    decision = plan.policy.decide(
        rel=pair.id, kind=report.kind, text=pair_text(pair, plan), mode=pair.mode, strict=opts.strict
    )
    return PairResult(pair, outcome.report, None, decision.required, outcome.used, decision)


def _behind_toggles(report: Report, pair: Pair, plan: Plan, opts: RunOptions, seed: int | None) -> Report:
    """Breaks that only elements of off toggles cause: reported as info, "behind toggle NAME, off", not failed."""
    if pair.toggles is None:
        return report
    from pytest_cdcompat.release.toggles import describe, off_names

    off = sorted(set(off_names(pair.toggles[0])) | set(off_names(pair.toggles[1])))
    notes = [f"feature toggles: old {describe(dict(pair.toggles[0]))}; new {describe(dict(pair.toggles[1]))}"]
    if not off:
        return replace(report, notes=(*report.notes, *notes))
    shown = compare_pair(pair, plan, opts, seed, visible=True)
    label = ", ".join(off)
    directions = {}
    for d in Direction:
        have = {(f.rule, f.location) for f in report.directions[d].findings}
        hidden = [
            replace(f, severity=Severity.INFO, message=f"behind toggle {label}, off: {f.message}")
            for f in shown.directions[d].findings
            if (f.rule, f.location) not in have and f.severity is not Severity.INFO
        ]
        directions[d] = _empty(d, *report.directions[d].findings, *hidden)
    return replace(report, directions=directions, notes=(*report.notes, *notes))


def pair_text(pair: Pair, plan: Plan) -> str:
    """The contract's text, for the parties it declares (the work tree, or the base for a removed contract)."""
    from pytest_cdcompat.run.discovery import contract_text

    return contract_text(pair, plan)
