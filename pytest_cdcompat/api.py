"""``compare()``: the one pipeline every front end calls.

open both sources -> detect the kind -> load each version into the shared model -> for each deploy scenario run the
kind's engine (rules, then counterexample search) -> sort -> ``Report``. Waivers and severity overrides are applied
here too, so the CLI, the pytest plugin and users' own tests see the same verdicts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from pytest_cdcompat.core.findings import Direction, DirectionResult, Finding, Report
from pytest_cdcompat.core.settings import Settings


def compare(
    old: str | Path,
    new: str | Path,
    *,
    kind: str | None = None,
    settings: Settings | None = None,
    **overrides: Any,
) -> Report:
    """Compare two versions of one contract in both deploy directions.

    ``old`` and ``new`` are file paths, or ``REF:PATH`` to read a version from git without touching the work tree.
    Keyword overrides set ``Settings`` fields: ``strict``, ``examples``, ``seed``, ``allow_remote_refs``, ...
    """
    from pytest_cdcompat.core.deadline import ComparisonTimeout, TimeLimitExceeded, limit

    settings = replace(settings or Settings(), **overrides)

    def describe() -> str:
        return (
            f"the comparison did not finish within {settings.timeout:g} s (--cd-compat-timeout); a schema, pattern or "
            "migration in it runs away, or raise the limit"
        )

    try:
        with limit(settings.timeout, describe):
            return _compare(old, new, kind, settings)
    except TimeLimitExceeded as e:
        raise ComparisonTimeout(e.message, path=str(new)) from None


def _compare(old: str | Path, new: str | Path, kind: str | None, settings: Settings) -> Report:
    from pytest_cdcompat.core.collector import paused

    with paused() as loaded:  # the loaded versions live until the end: the collector need not walk them
        return _compare_loading(old, new, kind, settings, loaded)


def _compare_loading(
    old: str | Path, new: str | Path, kind: str | None, settings: Settings, loaded: Callable[[], None]
) -> Report:
    from pytest_cdcompat.kinds import detect_kind, engine_for, load, open_source

    old_src = open_source(old, settings)
    new_src = open_source(new, settings)
    if settings.toggles is not None:  # feature toggles that are off hide their elements (docs/release.md)
        from pytest_cdcompat.sources.toggled import apply

        apply(old_src, settings.toggles[0])
        apply(new_src, settings.toggles[1])
    if kind is None:
        kind = detect_kind(new_src)
        old_kind = detect_kind(old_src)
        if old_kind != kind:
            from pytest_cdcompat.core.errors import UnsupportedKind

            raise UnsupportedKind(
                f"the two versions are of different kinds ({old_kind} and {kind}); pass --kind", path=str(new)
            )
    old_contract = load(old_src, kind, settings)
    new_contract = load(new_src, kind, settings)
    loaded()
    seed = settings.seed if settings.seed is not None else derive_seed(old_src.digest(), new_src.digest())
    run = engine_for(kind)
    results: dict[Direction, DirectionResult] = {}
    both = run(old_contract, new_contract, settings, seed)  # one pass computes both deploy directions
    for direction in Direction:
        findings = apply_severity(both[direction], settings)
        results[direction] = DirectionResult(direction, tuple(sorted(findings, key=Finding.sort_key)))
    report = Report(
        kind=kind,
        old=old_src.label,
        new=new_src.label,
        directions=results,
        semantics="strict" if settings.strict else "tolerant",
        seed=seed,
        examples=settings.examples,
        notes=tuple(old_contract.notes) + tuple(n for n in new_contract.notes if n not in old_contract.notes),
    )
    from pytest_cdcompat.catalogue.inline import apply_inline
    from pytest_cdcompat.kinds.locate import locate_report
    from pytest_cdcompat.kinds.sunset import apply_sunsets

    report = apply_sunsets(report, old_src, new_src, old_contract, new_contract)
    report = locate_report(report, old_src, new_src, old_contract, new_contract)
    return apply_inline(report, old_src, new_src)


@contextmanager
def run_session() -> Iterator[None]:
    """One run of many comparisons (a CLI command, a pytest session): for its duration the SQL kind keeps its database
    server sessions and, for a history walked step by step, the databases the next step starts from
    (``kinds/sql/pool.py``); everything it made is dropped when the run ends."""
    from pytest_cdcompat.kinds.sql.pool import warm_databases

    with warm_databases():
        yield


def derive_seed(*parts: bytes) -> int:
    h = hashlib.sha256()
    for p in parts:
        h.update(p)
    return int.from_bytes(h.digest()[:4], "big")


def apply_severity(findings: list[Finding], settings: Settings) -> list[Finding]:
    if not settings.severity:
        return findings
    return [f.with_severity(settings.severity[f.rule]) if f.rule in settings.severity else f for f in findings]
