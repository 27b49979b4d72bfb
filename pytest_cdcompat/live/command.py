"""``cdcompat live OLD_SPEC NEW_SPEC``: the static comparison and the live check of two running versions, in one
report (the same formats and exit status as ``cdcompat compare``).

Each version is a URL (``--old-url``, ``--new-url``) or a command that starts it (``--old-cmd``, ``--new-cmd``, with
a ``{port}`` placeholder): commands are started on free loopback ports, awaited (``--ready-timeout``) and always
stopped, also after a failure or Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from pytest_cdcompat.core.errors import UsageError
from pytest_cdcompat.live import DEFAULT_LIVE_EXAMPLES, DEFAULT_TIME_LIMIT, LiveError
from pytest_cdcompat.live.client import DEFAULT_MAX_BYTES, DEFAULT_RATE, DEFAULT_TIMEOUT

if TYPE_CHECKING:  # the engine imports hypothesis and the generator: only a live run pays for them
    from pytest_cdcompat.live.engine import LiveSettings
from pytest_cdcompat.live.servers import DEFAULT_READY_TIMEOUT

HELP = "check two running versions against each other's clients (and compare their specs)"


def add_live_arguments(add: Callable[..., Any], prefix: str = "--") -> None:
    """The live options, shared by ``cdcompat live`` and (with the ``--cd-compat-`` prefix) the pytest plugin."""
    add(prefix + "live-unsafe", action="store_true", default=None,
        help="also send POST, PUT, PATCH and DELETE requests (default: GET, HEAD and OPTIONS only)")  # fmt: skip
    add(prefix + "live-host", action="append", default=None, metavar="HOST",
        help="a host besides loopback that live checks may call (repeatable)")  # fmt: skip
    add(prefix + "live-examples", type=int, default=None, metavar="N",
        help=f"requests per operation and direction (default {DEFAULT_LIVE_EXAMPLES})")  # fmt: skip
    add(prefix + "live-time-limit", type=float, default=None, metavar="S",
        help=f"seconds for the whole live run (default {DEFAULT_TIME_LIMIT:g})")  # fmt: skip
    add(prefix + "live-rate", type=float, default=None, metavar="R",
        help=f"requests per second per server (default {DEFAULT_RATE:g})")  # fmt: skip
    add(prefix + "live-max-bytes", type=int, default=None, metavar="N",
        help=f"largest response body accepted (default {DEFAULT_MAX_BYTES})")  # fmt: skip
    add(prefix + "live-timeout", type=float, default=None, metavar="S",
        help=f"seconds per request (default {DEFAULT_TIMEOUT:g})")  # fmt: skip
    add(prefix + "ready-timeout", type=float, default=None, metavar="S",
        help=f"seconds a started server has to answer (default {DEFAULT_READY_TIMEOUT:g})")  # fmt: skip


def add_parser(sub: Any, common: Callable[[argparse.ArgumentParser, Sequence[str]], None]) -> None:
    p = sub.add_parser("live", help=HELP, description=HELP)
    p.add_argument("old", metavar="OLD_SPEC", help="the old version's OpenAPI document (a path, or REF:PATH)")
    p.add_argument("new", metavar="NEW_SPEC", help="the new version's OpenAPI document")
    p.add_argument("--old-url", metavar="URL", help="where the old version runs")
    p.add_argument("--new-url", metavar="URL", help="where the new version runs")
    p.add_argument("--old-cmd", metavar="CMD", help="a command starting the old version on {port}")
    p.add_argument("--new-cmd", metavar="CMD", help="a command starting the new version on {port}")
    p.add_argument("--header", action="append", default=[], metavar="'NAME: VALUE'",
                   help="a header for every request, $VARS from the environment; never printed (repeatable)")  # fmt: skip
    add_live_arguments(p.add_argument)
    common(p, ("base", "history", "db", "backfills", "mode", "modes"))


def _num(value: Any, default: float, name: str, *, positive: bool = True) -> float:
    if value is None:
        return default
    if positive and value <= 0:
        raise UsageError(f"{name}: {value!r} must be positive")
    return float(value)


def live_settings(get: Callable[[str], Any], headers: Sequence[str], seed: int) -> LiveSettings:
    """Live limits from ``get(option name)`` (CLI or pytest), with defaults."""
    from pytest_cdcompat.live.engine import LiveSettings
    from pytest_cdcompat.live.targets import parse_headers

    examples = get("live-examples")
    if examples is not None and int(examples) < 1:
        raise UsageError(f"live-examples: {examples!r} must be at least 1")
    return LiveSettings(
        examples=int(examples) if examples is not None else DEFAULT_LIVE_EXAMPLES,
        time_limit=_num(get("live-time-limit"), DEFAULT_TIME_LIMIT, "live-time-limit"),
        rate=_num(get("live-rate"), DEFAULT_RATE, "live-rate"),
        max_bytes=int(_num(get("live-max-bytes"), DEFAULT_MAX_BYTES, "live-max-bytes")),
        timeout=_num(get("live-timeout"), DEFAULT_TIMEOUT, "live-timeout"),
        unsafe=bool(get("live-unsafe")),
        headers=parse_headers(headers, os.environ),
        allowed_hosts=frozenset(h.lower() for h in (get("live-host") or [])),
        seed=seed,
    )


@contextlib.contextmanager
def running(
    old_url: str | None,
    new_url: str | None,
    old_cmd: str | None,
    new_cmd: str | None,
    allowed: frozenset[str],
    ready_timeout: float | None,
    options: dict[str, str] | None = None,
) -> Iterator[tuple[str, str]]:
    """The two base URLs: given, or of servers started for the block (and stopped after it)."""
    from pytest_cdcompat.live.servers import started
    from pytest_cdcompat.live.targets import check_url

    flag = options or {k: f"--{k}" for k in ("old-url", "new-url", "old-cmd", "new-cmd")}
    urls: dict[str, str] = {}
    commands: dict[str, tuple[str, str]] = {}
    for name, url, cmd in (("old", old_url, old_cmd), ("new", new_url, new_cmd)):
        url_flag, cmd_flag = flag[f"{name}-url"], flag[f"{name}-cmd"]
        if url and cmd:
            raise UsageError(f"{url_flag} and {cmd_flag} are exclusive: give one")
        if url:
            urls[name] = check_url(url, url_flag, allowed)
        elif cmd:
            commands[name] = (cmd, cmd_flag)
        else:
            raise UsageError(f"the {name} version needs {url_flag} URL or {cmd_flag} 'COMMAND {{port}}'")
    with started(commands, _num(ready_timeout, DEFAULT_READY_TIMEOUT, "ready-timeout")) as servers:
        for name, server in servers.items():
            urls[name] = server.url
        yield urls["old"], urls["new"]


def run(
    args: argparse.Namespace,
    out: Any,
    resolve: Callable[[argparse.Namespace], Any],
    emit: Callable[[argparse.Namespace, Any, Any, Any], int],
) -> int:
    """Run ``cdcompat live``; ``emit(args, report, opts, out)`` writes the report as ``compare`` does (formats,
    ``--report`` files, ``--fail-on``) and returns the exit status."""
    from pytest_cdcompat.api import compare, derive_seed
    from pytest_cdcompat.live.engine import live_check
    from pytest_cdcompat.run.options import choose_seed
    from pytest_cdcompat.run.waivers import apply_waivers, load_waivers

    opts = resolve(args)
    seed = choose_seed(opts.seed)
    from pytest_cdcompat.release.toggles import with_toggles

    settings = with_toggles(opts.settings(seed), opts)
    static = compare(args.old, args.new, settings=settings)
    if static.kind != "openapi":
        raise LiveError(f"{args.new}: live checks need OpenAPI documents, these are {static.kind} contracts")

    def get(name: str) -> Any:
        return getattr(args, name.replace("-", "_"), None)

    live_seed = seed if seed is not None else (static.seed or derive_seed(b"live"))
    live = live_settings(get, args.header, live_seed)
    with running(args.old_url, args.new_url, args.old_cmd, args.new_cmd, live.allowed_hosts, args.ready_timeout) as (
        old_url,
        new_url,
    ):
        report = live_check(args.old, args.new, old_url, new_url, live, static, settings)
    waivers = load_waivers(opts.waivers, required=opts.waivers_given, allow_outside=opts.allow_outside)
    report = apply_waivers(report, waivers, contracts=(str(args.old), str(args.new))).report
    return emit(args, report, opts, out)
