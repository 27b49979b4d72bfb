"""Live checks and Pact files inside ``pytest --cd-compat`` (and any run of discovered pairs).

``--cd-compat-live-old`` / ``--cd-compat-live-new`` (URLs) or ``--cd-compat-live-old-cmd`` / ``-new-cmd``
(commands with ``{port}``), and ``--cd-compat-live-spec`` naming the OpenAPI contract the servers implement (a path
or glob relative to the root, matched against the pair's contract id and its new version's path). The pair's report
then holds the live findings beside the static ones, so the two direction items fail or pass on both.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Any

from pytest_cdcompat.core.errors import UsageError
from pytest_cdcompat.core.findings import Report

_CLI_NAMES = {"live-host": "live-hosts"}


def live_wanted(values: dict[str, Any]) -> bool:
    return any(values.get(k) for k in ("live-old", "live-new", "live-old-cmd", "live-new-cmd"))


def matches(values: dict[str, Any], names: tuple[str, ...]) -> bool:
    spec = values.get("live-spec")
    if not spec:
        raise UsageError(
            "cd_compat_live_spec: name the OpenAPI contract the live servers implement (--cd-compat-live-spec PATH)"
        )
    return any(fnmatch.fnmatch(n, spec) or n == spec for n in names)


def augment_live(report: Report, names: tuple[str, ...], old: str, new: str, values: dict[str, Any],
                 settings: Any) -> Report:  # fmt: skip
    """``report`` with the live findings when live options are set and the pair is the named contract."""
    if report.kind != "openapi" or not live_wanted(values) or not matches(values, names):
        return report
    from pytest_cdcompat.api import derive_seed
    from pytest_cdcompat.live.command import live_settings, running
    from pytest_cdcompat.live.engine import live_check

    def get(name: str) -> Any:
        return values.get(_CLI_NAMES.get(name, name))

    seed = settings.seed if settings.seed is not None else (report.seed or derive_seed(b"live"))
    live = live_settings(get, list(values.get("live-headers") or ()), seed)
    flags = {
        "old-url": "--cd-compat-live-old",
        "new-url": "--cd-compat-live-new",
        "old-cmd": "--cd-compat-live-old-cmd",
        "new-cmd": "--cd-compat-live-new-cmd",
    }
    with running(
        values.get("live-old"),
        values.get("live-new"),
        values.get("live-old-cmd"),
        values.get("live-new-cmd"),
        live.allowed_hosts,
        None,
        flags,
    ) as (old_url, new_url):
        return live_check(old, new, old_url, new_url, live, report, settings)


def augment(report: Report, names: tuple[str, ...], old: str, new: str, values: dict[str, Any], settings: Any,
            paths: tuple[Path, ...] = ()) -> Report:  # fmt: skip
    """The pair's report with the Pact findings of its consumers (Pact files under the contract paths and named by
    ``cd_compat_pacts``) and its live findings (when configured)."""
    from pytest_cdcompat.pact.pact_run import discovered, with_pacts

    named = [str(p) for p in values.get("pacts") or ()]
    files = [*named, *discovered(tuple(p.resolve() for p in paths))]
    if files:
        report = with_pacts(report, old, new, files, settings, names=names)
    return augment_live(report, names, old, new, values, settings)
