"""The pytest plugin: ``pytest --cd-compat`` checks every contract in both deploy directions. Hooks only.

Hooks appear in lifecycle order (as in pytest-randomly). Without ``--cd-compat`` the plugin registers its options, a
marker and the ``cdcompat`` fixture, and imports nothing heavy: loaders, hypothesis and the engine are imported by
the items only when they run. State lives in ``config.stash``; the xdist hook that shares the random seed with the
workers is registered only when xdist is present.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pytest_cdcompat.run.options import add_ini, add_options

if TYPE_CHECKING:
    from pytest_cdcompat.items import RunState

STATE: pytest.StashKey[RunState] = pytest.StashKey()
SETUP_ERROR: pytest.StashKey[str] = pytest.StashKey()
SESSION: pytest.StashKey[ExitStack] = pytest.StashKey()  # api.run_session(), left at unconfigure
SEED_KEY = "cdcompat_seed"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cdcompat", "contract compatibility (pytest-cdcompat)")
    group.addoption(
        "--cd-compat",
        action="store_true",
        default=False,
        dest="cd_compat",
        help="check contract compatibility in both deploy directions",
    )
    add_options(group.addoption)
    add_ini(parser.addini)


def _pyproject(config: pytest.Config) -> Path | None:
    """The ``pyproject.toml`` holding ``[tool.cdcompat]``: pytest's own config file when it is one, else the
    rootdir's."""
    inipath = config.inipath
    if inipath is not None and inipath.name == "pyproject.toml":
        return inipath
    candidate = config.rootpath / "pyproject.toml"
    return candidate if candidate.is_file() else None


class _XdistHooks:
    """Send the controller's seed to every worker, so all of them generate the same examples."""

    def __init__(self, seed: int | None) -> None:
        self.seed = seed

    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput[SEED_KEY] = self.seed


class _WaiverUsage:
    """Collects which waivers matched, from the test reports (which pytest-xdist ships back from the workers)."""

    def __init__(self, used: set[int], follow_ups: list[str], plan_steps: dict[str, None]) -> None:
        self.used = used
        self.follow_ups = follow_ups
        self.plan_steps = plan_steps

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        from pytest_cdcompat.items import FOLLOW_UPS, PLAN_STEP, USED_WAIVERS

        for key, value in report.user_properties:
            if key == USED_WAIVERS and value:
                self.used.update(int(x) for x in str(value).split(","))
            if key == FOLLOW_UPS and value and report.when == "call":
                self.follow_ups.append(str(value))
            if key == PLAN_STEP and value and report.when == "call":
                self.plan_steps[str(value)] = None


class _Summary:
    """Collects the warnings and notes of passing items (also from xdist workers) for the terminal summary."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        from pytest_cdcompat.items import SUMMARY

        for key, value in getattr(report, "user_properties", ()):
            if key == SUMMARY and value and report.when == "call":
                self.lines.extend(str(value).splitlines())


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "cdcompat: a contract compatibility check collected by --cd-compat")
    if not config.getoption("cd_compat"):
        return
    from pytest_cdcompat.core.errors import CdcompatError
    from pytest_cdcompat.items import RunState
    from pytest_cdcompat.run.discovery import discover, plan_seed
    from pytest_cdcompat.run.options import choose_seed, resolve
    from pytest_cdcompat.run.project import load_project
    from pytest_cdcompat.run.service_waivers import load_run_waivers

    try:
        opts = resolve(
            lambda n: config.getoption("cd_compat_" + n.replace("-", "_")),
            lambda n: config.getini("cd_compat_" + n.replace("-", "_")),
            base_dir=config.rootpath,
            project=load_project(_pyproject(config)),
        )
        waivers = load_run_waivers(opts, config.rootpath)
    except CdcompatError as e:
        raise pytest.UsageError(f"cdcompat: {e}") from None
    except Exception as e:  # a bug of ours: one line, not a traceback
        from pytest_cdcompat.cli import internal_error

        raise pytest.UsageError(internal_error("the contracts", e)) from None
    try:
        plan = discover(opts, config.rootpath, os.environ)
    except CdcompatError as e:
        # Bad input found while planning the run (no base under CI, a bad toggle file, ...): one error item.
        config.stash[SETUP_ERROR] = str(e)
        return
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None and SEED_KEY in workerinput:
        seed = workerinput[SEED_KEY]
    else:
        seed = choose_seed(opts.seed, derived=lambda: plan_seed(plan))
    state = RunState(opts=opts, plan=plan, waivers=waivers, seed=seed)
    config.stash[STATE] = state
    from pytest_cdcompat.api import run_session

    config.stash[SESSION] = ExitStack()
    config.stash[SESSION].enter_context(run_session())
    config.pluginmanager.register(_WaiverUsage(state.used, state.follow_ups, state.plan_steps), "cdcompat-waiver-usage")
    config.pluginmanager.register(_Summary(), "cdcompat-summary")
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_XdistHooks(seed), "cdcompat-xdist")


def pytest_report_header(config: pytest.Config) -> str | None:
    state = config.stash.get(STATE, None)
    if state is None:
        return None
    semantics = "strict" if state.opts.strict else "tolerant"
    from pytest_cdcompat.release.policy import policy_label

    return (
        f"cdcompat: seed={state.seed}, semantics={semantics}, base={state.plan.describe_base()}, "
        f"policy={policy_label(state.opts.policy)}"
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    # When pytest's own walk (or a node id on the command line) reaches a contract, collect it in place.
    state = parent.config.stash.get(STATE, None)
    if state is None:
        return None
    from pytest_cdcompat.items import collector_for

    return collector_for(parent, file_path, state)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    # Contracts usually sit outside the test paths, and a deleted one has no file to walk to: add what pytest's walk
    # did not reach, unless the command line named contracts itself (re-running one failed item by its node id).
    # tryfirst: our items must exist before -k / -m deselection (pytest's own modifyitems) runs.
    error = config.stash.get(SETUP_ERROR, None)
    if error is not None:
        from pytest_cdcompat.items import SetupError

        items[:0] = list(session.genitems(SetupError.from_parent(session, name="cdcompat", error=error)))
        return
    state = config.stash.get(STATE, None)
    if state is None:
        return
    from pytest_cdcompat.items import collect_missing, contract_paths

    here = config.invocation_params.dir
    named = {(here / arg.split("::", 1)[0]).resolve() for arg in config.args}
    if named & contract_paths(state):
        return
    items[:0] = collect_missing(session, state, items)


def pytest_deselected(items: list[pytest.Item]) -> None:
    if items:
        state = items[0].config.stash.get(STATE, None)
        if state is not None:
            state.ran_all = False


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    state = config.stash.get(STATE, None)
    if state is None:
        return
    lines = [f"note: {n}" for n in state.plan.notes]
    lines += sorted(set(state.follow_ups))
    stopped_early = bool(config.getoption("maxfail")) and bool(terminalreporter.stats.get("failed"))
    complete = (
        state.ran_all and not stopped_early and not config.getoption("keyword") and not config.getoption("markexpr")
    )
    if complete and exitstatus != pytest.ExitCode.INTERRUPTED and not terminalreporter.stats.get("error"):
        lines += [f"warning: {w.describe()} matched no finding" for w in state.waivers.unused(state.used)]
    summary = config.pluginmanager.get_plugin("cdcompat-summary")
    if summary is not None:
        lines += sorted(set(summary.lines))
    if lines:
        terminalreporter.section("cdcompat")
        for line in lines:
            terminalreporter.write_line(line)
    if state.plan_steps:
        terminalreporter.section("cdcompat release plan")
        terminalreporter.write(_release_plan(state))
    if state.opts.reports and getattr(config, "workerinput", None) is None:
        _write_reports(state)


def _write_reports(state: Any) -> None:
    """``--cd-compat-report FORMAT=FILE``: every pair of the run (compared here when a worker did it)."""
    from pytest_cdcompat.report import PairReport
    from pytest_cdcompat.report.outputs import write_targets

    results = [state.result(p) for p in state.plan.pairs]
    pairs = [PairReport(r.pair.name, r.report, r.required) for r in results if r.report is not None]
    errors = [f"{r.pair.name}: {r.error}" for r in results if r.error is not None]
    write_targets(state.opts.reports, pairs, errors=errors)


def _release_plan(state: RunState) -> str:
    import json

    from pytest_cdcompat.release.plan import Missing, build, render, toggles_doc
    from pytest_cdcompat.release.toggles import read_toggles

    entries = []
    for value in state.plan_steps:
        item = json.loads(value)
        entries.append((item["entry"], [Missing(**m) for m in item["missing"]]))
    plan = state.plan
    states = read_toggles(plan.root / plan.toggle_file, required=False) if plan.toggle_file else None
    return render(build(plan.describe_base(), entries, toggles_doc(plan, states)))


def pytest_unconfigure(config: pytest.Config) -> None:
    session = config.stash.get(SESSION, None)
    if session is not None:
        try:
            session.close()
        except Exception as e:  # a server gone away at the end of the run: one line, not a traceback
            from pytest_cdcompat.core.errors import CdcompatError

            text = str(e) if isinstance(e, CdcompatError) else f"{type(e).__name__}: {e}"
            sys.stderr.write(f"cdcompat: dropping the throwaway databases failed: {text}\n")
    if config.stash.get(STATE, None) is not None:
        from pytest_cdcompat.sources.catfile import close_all

        close_all()


@pytest.fixture
def cdcompat() -> Callable[..., Any]:
    """``pytest_cdcompat.compare``, for hand-written compatibility tests."""
    from pytest_cdcompat.api import compare

    return compare
