"""The pytest collection tree of ``--cd-compat``: one collector per contract (or version pair), one item per direction.

``contracts/orders.yaml::old-consumer-vs-new-producer`` and, for version folders,
``contracts/orders/v2.yaml::v1-to-v2::new-consumer-vs-old-producer``. A pair is compared once per process (``RunState``
caches results) and each item reads its own direction, so ``-k``, ``-x``, ``--junitxml`` and pytest-xdist (which
only ships node ids) work as with ordinary tests. A contract that does not parse becomes one failing ``load`` item
naming the file; a failing item shows its direction's text report, never a traceback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pytest_cdcompat.core.findings import Direction
from pytest_cdcompat.run.discovery import Pair, Plan
from pytest_cdcompat.run.options import RunOptions
from pytest_cdcompat.run.runner import PairResult, run_pair
from pytest_cdcompat.run.waivers import WaiverSet

USED_WAIVERS = "cdcompat_used_waivers"
FOLLOW_UPS = "cdcompat_follow_up"
PLAN_STEP = "cdcompat_plan_step"


def plan_step_json(result: PairResult) -> str:
    """One release-plan step, as the controller's terminal summary rebuilds the plan (pytest-xdist ships these)."""
    import json

    from pytest_cdcompat.release.plan import step_entry

    entry, missing = step_entry(result)
    return json.dumps({"entry": entry, "missing": [m.to_json() for m in missing]})


SUMMARY = "cdcompat_summary"  # user property: the warnings and notes of a passing item, for the terminal summary


@dataclass
class RunState:
    """Everything ``--cd-compat`` needs during one pytest run (kept in ``config.stash``)."""

    opts: RunOptions
    plan: Plan
    waivers: WaiverSet
    seed: int | None
    today: dt.date = field(default_factory=dt.date.today)
    results: dict[str, PairResult] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)
    follow_ups: list[str] = field(default_factory=list)
    plan_steps: dict[str, None] = field(default_factory=dict)  # release-plan steps (JSON), in arrival order
    ran_all: bool = True

    def result(self, pair: Pair) -> PairResult:
        if pair.name not in self.results:
            self.results[pair.name] = run_pair(pair, self.plan, self.opts, self.waivers, self.seed, self.today)
        return self.results[pair.name]


class CdcompatFailure(Exception):
    """A failing direction: the message is the readable report shown instead of a traceback."""


class _CdcompatItem(pytest.Item):
    pair: Pair

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"cdcompat: {self.name} of {self.pair.name}"

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, CdcompatFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)


class DirectionItem(_CdcompatItem):
    """One deploy direction of one pair."""

    def __init__(self, *, pair: Pair, direction: Direction, state: RunState, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pair = pair
        self.direction = direction
        self.state = state
        self.add_marker("cdcompat")

    def runtest(self) -> None:
        from pytest_cdcompat.report import render_text

        result = self.state.result(self.pair)
        if result.used_waivers:
            self.user_properties.append((USED_WAIVERS, ",".join(map(str, sorted(result.used_waivers)))))
        if result.error is not None:
            raise CdcompatFailure(f"{self.pair.name}: error: {result.error}")
        assert result.report is not None
        text = render_text(result.report, directions=[self.direction])
        if result.decision is not None and not result.report.directions[self.direction].compatible:
            text += "".join(f"{line}\n" for line in result.decision.lines())
        findings = result.report.directions[self.direction].findings
        self.user_properties.append((PLAN_STEP, plan_step_json(result)))
        for f in findings:
            if f.severity.value == "info" and f.message.startswith("behind toggle "):
                line = f"info: {self.pair.name}: {self.direction.value}: {f.rule} at {f.location}: {f.message}"
                self.user_properties.append((FOLLOW_UPS, line))
        from pytest_cdcompat.report.summary import summary_lines, waiver_snippet

        warned = [f for f in findings if f.severity.value == "warning" and f.waived is None]
        fails_on_warning = self.state.opts.fail_on == "warning" and warned and self.direction in result.required
        if not result.failed(self.direction) and not fails_on_warning:
            follow = result.follow_up(self.direction)
            if follow is not None:
                # An expand (or consumer-first) step: safe in the order this repository deploys. It passes, with
                # the follow-up shown here and in the terminal summary.
                self.user_properties.append(
                    (FOLLOW_UPS, f"warning: {self.pair.name}: {self.direction.value}: {follow}")
                )
                self.add_report_section("call", "cdcompat", f"{text}warning: {follow}\n")
                return
            if not result.report.directions[self.direction].compatible:
                pytest.xfail(f"{self.direction.value} is not required by mode {self.pair.mode}:\n{text}")
            if findings or result.report.notes:
                self.add_report_section("call", "cdcompat", text)
                lines = summary_lines(self.pair.name, self.direction, findings)
                if lines:
                    self.user_properties.append((SUMMARY, "\n".join(lines)))
            return
        if self.pair.mode is not None:
            text += f"mode: {self.pair.mode}\n"
        errors = result.report.directions[self.direction].errors or tuple(warned)
        rules = ", ".join(sorted({f.rule for f in errors}))
        what = "error(s)" if result.report.directions[self.direction].errors else "warning(s), --fail-on warning"
        # the first line is pytest's short summary line: the rule id first, so a cut line still names it
        summary = (
            f"{errors[0].rule}: {self.pair.name}: {self.direction.label}: INCOMPATIBLE ({len(errors)} {what}: {rules})"
        )
        from pytest_cdcompat.run.service_waivers import suggested_waiver_file

        waiver_file = suggested_waiver_file(self.state.opts, self.state.plan.root / self.pair.id)  # its own service's
        snippet = waiver_snippet(errors[0], self.pair.name, self.direction, self.state.today, waiver_file)
        if self.pair.step is not None:
            summary += f"\ndeploy step: commit {self.pair.step}"
        raise CdcompatFailure(f"{summary}\n\n{text}\n{snippet}\n")


class LoadErrorItem(_CdcompatItem):
    """A contract that cannot be read: one failing item instead of two identical ones."""

    def __init__(self, *, pair: Pair, error: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pair = pair
        self.error = error
        self.add_marker("cdcompat")

    def runtest(self) -> None:
        raise CdcompatFailure(f"{self.pair.name}: cannot load the contract: {self.error}")


class PairCollector(pytest.Collector):
    """A version pair inside a version file: ``v1-to-v2``."""

    def __init__(self, *, pair: Pair, state: RunState, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pair = pair
        self.state = state

    def collect(self) -> list[pytest.Item]:
        return list(direction_items(self, self.pair, self.state))


def direction_items(parent: pytest.Collector, pair: Pair, state: RunState) -> Iterator[pytest.Item]:
    # Discovery already parsed the file: a contract that does not parse is one failing item, not two. (Errors only a
    # full load finds, such as an unresolvable $ref, fail both direction items, with the same one-line message.)
    if pair.error is not None:
        yield LoadErrorItem.from_parent(parent, name="load", pair=pair, error=pair.error)
        return
    for d in Direction:
        yield DirectionItem.from_parent(parent, name=d.test_id, pair=pair, direction=d, state=state)


def pair_nodes(
    parent: pytest.Collector, pairs: tuple[Pair, ...], state: RunState
) -> list[pytest.Item | pytest.Collector]:
    out: list[pytest.Item | pytest.Collector] = []
    for pair in pairs:
        if pair.sub is None:
            out.extend(direction_items(parent, pair, state))
        else:
            out.append(PairCollector.from_parent(parent, name=pair.sub, pair=pair, state=state))
    return out


class ContractFile(pytest.File):
    """One contract path: its git-base pair's direction items and its version pairs."""

    def __init__(self, *, pairs: tuple[Pair, ...] = (), state: RunState, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pairs = pairs
        self.state = state

    def collect(self) -> list[pytest.Item | pytest.Collector]:
        return pair_nodes(self, self.pairs, self.state)


class RemovedContract(pytest.Collector):
    """A contract deleted on the branch: no file, so not a ``pytest.File`` (``--lf`` skips files that are gone)."""

    def __init__(self, *, pairs: tuple[Pair, ...] = (), state: RunState, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pairs = pairs
        self.state = state

    def collect(self) -> list[pytest.Item | pytest.Collector]:
        return pair_nodes(self, self.pairs, self.state)


class SetupError(pytest.Collector):
    """Bad input found while planning the run (no git base under CI, a bad toggle file, a missing contracts folder):
    one collection error with the message, so the run stops with exit status 2 instead of passing blind."""

    def __init__(self, *, error: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error

    def collect(self) -> list[pytest.Item | pytest.Collector]:
        raise self.CollectError(f"cdcompat: error: {self.error}")


class WaiverExpiryItem(pytest.Item):
    """Fails while the waiver file holds an expired entry: a waiver is a dated promise to fix the break."""

    def __init__(self, *, state: RunState, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.state = state
        self.add_marker("cdcompat")

    def runtest(self) -> None:
        expired = self.state.waivers.expired(self.state.today)
        if expired:
            lines = [f"{w.describe()} expired on {w.expires.isoformat()}: {w.reason}" for w in expired]
            raise CdcompatFailure("expired waivers (fix the break or renew the entry):\n" + "\n".join(lines))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, "cdcompat: waiver expiry"

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, CdcompatFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)


class WaiverFile(pytest.File):
    def __init__(self, *, state: RunState, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.state = state

    def collect(self) -> list[pytest.Item]:
        return [WaiverExpiryItem.from_parent(self, name="expiry", state=self.state)]


def _by_path(state: RunState) -> dict[str, list[Pair]]:
    by_path: dict[str, list[Pair]] = {}
    for pair in state.plan.pairs:
        by_path.setdefault(pair.id, []).append(pair)
    return by_path


def collector_for(parent: pytest.Collector, file_path: Path, state: RunState) -> pytest.File | None:
    """The collector of a contract (or the waiver file) pytest visits itself: ``pytest contracts/x.yaml::...``."""
    resolved = file_path.resolve()
    if state.waivers.entries and state.opts.waivers is not None and resolved == state.opts.waivers.resolve():
        return WaiverFile.from_parent(parent, path=file_path, state=state)
    for rel, pairs in _by_path(state).items():
        if (state.plan.root / rel).resolve() == resolved:
            return ContractFile.from_parent(parent, path=file_path, pairs=tuple(pairs), state=state)
    return None


def contract_paths(state: RunState) -> set[Path]:
    paths = {(state.plan.root / p.id).resolve() for p in state.plan.pairs}
    if state.waivers.entries and state.opts.waivers is not None:
        paths.add(state.opts.waivers.resolve())
    return paths


def collect_missing(session: pytest.Session, state: RunState, collected: list[pytest.Item]) -> list[pytest.Item]:
    """The cdcompat items pytest's own walk did not reach (contracts outside the test paths, deleted contracts)."""
    seen = {
        node.nodeid
        for item in collected
        for node in item.listchain()
        if isinstance(node, (ContractFile, RemovedContract, WaiverFile))
    }
    items: list[pytest.Item] = []

    def expand(node: pytest.Collector) -> None:
        if node.nodeid not in seen:
            # genitems reports each collector as pytest's own collection does ("collected N items", errors).
            items.extend(session.genitems(node))

    for rel, pairs in _by_path(state).items():
        path = state.plan.root / rel
        if path.exists():
            expand(ContractFile.from_parent(session, path=path, pairs=tuple(pairs), state=state))
        else:
            expand(
                RemovedContract.from_parent(session, name=rel, nodeid=rel, path=path, pairs=tuple(pairs), state=state)
            )
    if state.waivers.entries and state.opts.waivers is not None:
        expand(WaiverFile.from_parent(session, path=state.opts.waivers.resolve(), state=state))
    return items
