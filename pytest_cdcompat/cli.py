"""The ``cdcompat`` command: ``compare`` two versions of one contract, or ``check`` every contract of a repository.

Exit status: 0 compatible in every required direction, 1 incompatible in at least one, 2 bad input or usage. User
errors (``CdcompatError``, bad options) print exactly one line, ``cdcompat: error: ...``, on stderr: never a
traceback. ``check`` is the CI job: the same discovery as ``pytest --cd-compat`` (git base, version folders,
waivers, modes), one report per pair.
"""

from __future__ import annotations

import argparse
import codecs
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from pytest_cdcompat.core.errors import CdcompatError, UsageError
from pytest_cdcompat.core.findings import Direction, Report

PROG = "cdcompat"


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{PROG}: error: {message} (see '{self.prog} --help')\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    from pytest_cdcompat import __version__
    from pytest_cdcompat.core.kinds import KIND_NAMES
    from pytest_cdcompat.report import FORMATS
    from pytest_cdcompat.run.options import add_options

    parser = _Parser(prog=PROG, description="Contract compatibility in both deploy directions.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="{compare,check,changelog,live,plan}", parser_class=_Parser)
    sub.required = True

    def common(p: argparse.ArgumentParser, skip: Sequence[str]) -> None:
        p.add_argument("--format", choices=FORMATS, default="text", help="report format (default: text)")
        add_options(lambda flag, **kw: None if flag[2:] in skip else p.add_argument(flag, **kw), "--", "", cli=True)

    cmp = sub.add_parser("compare", help="compare two versions of one contract")
    cmp.add_argument("old", metavar="OLD", help="the old version: a path, or REF:PATH to read it from git")
    cmp.add_argument("new", metavar="NEW", help="the new version: a path, or REF:PATH")
    cmp.add_argument("--kind", choices=KIND_NAMES, help="contract kind (default: detected)")
    cmp.add_argument("--pact", action="append", default=[], metavar="FILE",
                     help="a consumer's Pact file, checked against both versions (repeatable)")  # fmt: skip
    common(cmp, skip=("base",))
    chk = sub.add_parser("check", help="compare every contract with its git base and version-folder predecessors")
    chk.add_argument("paths", metavar="PATHS", nargs="*", help="contract folders or files (default: contracts)")
    common(chk, skip=())
    chk.add_argument(
        "--no-each-commit",
        dest="each_commit",
        action="store_const",
        const="no",
        help="compare the base with the head only, not every commit (for squash merges)",
    )
    # The release plan (release/plan.py): the branch step by step, the order it needs, the missing step named.
    pln = sub.add_parser("plan", help="print the branch as a release plan: steps, phases, deploy order, missing steps")
    pln.add_argument("paths", metavar="PATHS", nargs="*", help="contract folders or files (default: contracts)")
    common(pln, skip=())
    from pytest_cdcompat.live.command import add_parser as add_live_parser

    add_live_parser(sub, lambda p, skip: common(p, skip))
    log = sub.add_parser("changelog", help="list every change of a contract, breaking or not, with its rule id")
    log.add_argument("old", metavar="OLD", help="the old version: a path, or REF:PATH")
    log.add_argument("new", metavar="NEW", help="the new version: a path, or REF:PATH")
    log.add_argument("--format", choices=("markdown", "json", "text"), default="markdown", help="default: markdown")
    log.add_argument("--examples", type=int, default=None, metavar="N", help="generated examples per differing flow")
    log.add_argument("--seed", type=int, default=None, metavar="S", help="random seed")
    return parser


def _resolve(args: argparse.Namespace) -> Any:
    from pytest_cdcompat.run.options import resolve
    from pytest_cdcompat.run.project import find_pyproject, load_project

    def get(name: str) -> Any:
        if name == "paths":
            return getattr(args, "paths", None) or None
        return getattr(args, name.replace("-", "_"), None)

    return resolve(get, project=load_project(find_pyproject(Path.cwd())))


def _mode_lines(required: frozenset[Direction], mode: str | None) -> list[str]:
    if mode is None:
        return []
    skipped = [d.value for d in Direction if d not in required]
    tail = f"; not required (reported, not failed): {', '.join(skipped)}" if skipped else ""
    return [f"mode: {mode}{tail}"]


def _release_lines(results: Sequence[Any]) -> list[str]:
    """Both answers of a release: is each step safe, and is the branch as a whole safe to roll back to the base."""
    steps = [r for r in results if r.pair.sub is not None and r.pair.sub.startswith("commit-")]
    whole = [r for r in results if r.pair.sub is None]
    if not steps and not whole:
        return []
    lines = []
    if steps:
        bad = sorted({r.pair.step for r in steps if not r.ok})
        lines.append(
            f"each step: {len(steps)} step comparison(s), "
            + ("every step is safe" if not bad else f"unsafe at {', '.join(bad)}")
        )
    if whole:
        ok = all(r.ok for r in whole)
        lines.append(
            "the branch as a whole (base against head): "
            + ("safe, and safe to roll back to the base" if ok else "unsafe")
        )
    return lines


def _render(report: Report, fmt: str) -> str:
    from pytest_cdcompat.report import render

    return render(report, fmt)


def _history(new: str, old: str, n: int) -> list[str]:
    """The ``n`` versions before ``new`` in its version folder (nearest first), ``old`` left out."""
    from pytest_cdcompat.run.discovery import version_of

    path = Path(new)
    mine = version_of(path.name)
    if n <= 0 or mine is None or not path.is_file():
        return []
    older = sorted(
        (v[0], p) for p in path.parent.iterdir() if p.is_file() and (v := version_of(p.name)) and v[0] < mine[0]
    )
    picked = [p for _, p in reversed(older)][:n]
    return [str(p) for p in picked if p.resolve() != Path(old).resolve()]


def cmd_compare(args: argparse.Namespace, out: Any) -> int:
    from pytest_cdcompat.api import compare
    from pytest_cdcompat.kinds import open_source
    from pytest_cdcompat.run.modes import mode_for, required_directions
    from pytest_cdcompat.run.options import choose_seed
    from pytest_cdcompat.run.service_waivers import load_run_waivers
    from pytest_cdcompat.run.waivers import apply_waivers

    opts = _resolve(args)
    seed = choose_seed(opts.seed)
    waivers = load_run_waivers(opts)
    new_src = open_source(args.new, opts.settings())
    mode = mode_for(
        args.new, texts=[new_src.read_main().decode("utf-8", "replace")], mapping=opts.modes, default=opts.mode
    )
    required = required_directions(mode)
    from pytest_cdcompat.release.toggles import with_toggles

    settings = with_toggles(opts.settings(seed), opts)
    reports = []
    for old in [args.old, *_history(args.new, args.old, opts.history)]:
        report = compare(old, args.new, kind=args.kind, settings=settings)
        if args.pact:  # consumer Pact files (pact/pact_run.py)
            from pytest_cdcompat.pact.pact_run import with_pacts

            report = with_pacts(report, str(old), args.new, args.pact, settings, explicit=True)
        reports.append(apply_waivers(report, waivers, contracts=(str(old), str(args.new))).report)
    from pytest_cdcompat.report import CI_FORMATS, PairReport
    from pytest_cdcompat.report.entries import fails

    pairs = [PairReport(str(args.new) if len(reports) == 1 else f"{old} -> {args.new}", r, required)
             for old, r in zip([args.old, *_history(args.new, args.old, opts.history)], reports, strict=True)]  # fmt: skip
    _side_outputs(args.format, pairs, opts)
    if args.format in CI_FORMATS or args.format == "markdown":
        out.write(_render_pairs(pairs, args.format, opts))
    elif args.format == "json" and len(reports) > 1:
        out.write(json.dumps([r.to_json() for r in reports], indent=2, ensure_ascii=False) + "\n")
    else:
        texts = [_render(r, args.format) for r in reports]
        if args.format != "json":
            texts[-1] += "".join(f"{line}\n" for line in _mode_lines(required, mode))
        out.write("\n".join(texts))
    return 1 if any(fails(r, required, opts.fail_on) for r in reports) else 0


def cmd_check(args: argparse.Namespace, out: Any, err: Any) -> int:
    import datetime as dt

    from pytest_cdcompat.run.discovery import discover, plan_seed
    from pytest_cdcompat.run.options import choose_seed
    from pytest_cdcompat.run.runner import run_pair
    from pytest_cdcompat.run.service_waivers import load_run_waivers

    opts = _resolve(args)
    waivers = load_run_waivers(opts)
    plan = discover(opts, Path.cwd())
    seed = choose_seed(opts.seed, derived=lambda: plan_seed(plan))
    today = dt.date.today()
    results = [run_pair(p, plan, opts, waivers, seed, today) for p in plan.pairs]
    used = set().union(*(r.used_waivers for r in results)) if results else set()
    expired = waivers.expired(today)
    unused = waivers.unused(used)
    from pytest_cdcompat.report import CI_FORMATS, PairReport
    from pytest_cdcompat.report.entries import fails

    pairs = [PairReport(r.pair.name, r.report, r.required) for r in results if r.report is not None]
    load_errors = [f"{r.pair.name}: {r.error}" for r in results if r.error is not None]
    _side_outputs(args.format, pairs, opts, errors=load_errors)
    failing_pairs = {p.name for p in pairs if fails(p.report, p.required, opts.fail_on)}
    if args.format in CI_FORMATS or args.format == "markdown":
        out.write(_render_pairs(pairs, args.format, opts, errors=load_errors))
    elif args.format == "json":
        doc = {
            "base": plan.describe_base(),
            "seed": seed,
            "compatible": all(r.ok for r in results) and not expired,
            "pairs": [
                {
                    "contract": r.pair.id,
                    "versions": r.pair.sub,
                    "status": r.pair.status,
                    "commit": r.pair.step,
                    "mode": r.pair.mode,
                    "required": [d.value for d in Direction if d in r.required],
                    "policy": r.decision.policy if r.decision is not None else None,
                    "why": {d.value: r.decision.why.get(d) for d in Direction} if r.decision is not None else None,
                    "follow_up": {d.value: f for d in Direction if (f := r.follow_up(d)) is not None},
                    "error": r.error,
                    "report": r.report.to_json() if r.report is not None else None,
                }
                for r in results
            ],
            "expired_waivers": [w.describe() for w in expired],
            "unused_waivers": [w.describe() for w in unused],
            "notes": list(plan.notes),
        }
        out.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    else:
        heading = "== "
        from pytest_cdcompat.release.policy import policy_label

        out.write(
            f"cdcompat check: base {plan.describe_base()}, seed {seed if seed is not None else 'derived'}, "
            f"policy {policy_label(opts.policy)}\n"
        )
        for note in plan.notes:
            out.write(f"note: {note}\n")
        for r in results:
            out.write(f"\n{heading}{r.pair.name} [{r.pair.status}]\n\n")
            if r.pair.step is not None:
                out.write(f"deploy step: commit {r.pair.step}\n\n")
            if r.error is not None:
                out.write(f"error: {r.error}\n")
                continue
            assert r.report is not None
            out.write(_render(r.report, args.format))
            out.write("".join(f"{line}\n" for line in _mode_lines(r.required, r.pair.mode)))
            if r.decision is not None and not r.report.compatible:
                out.write("".join(f"{line}\n" for line in r.decision.lines()))
            for d in Direction:
                follow = r.follow_up(d)
                if follow is not None:
                    out.write(f"warning: {d.value}: {follow}\n")
        failing = [r for r in results if not r.ok or r.pair.name in failing_pairs]
        out.write("".join(f"\n{line}" for line in _release_lines(results)))
        out.write(f"\n{len(results)} pair(s) checked, {len(failing)} failing\n")
    for r in results:
        if r.error is not None:
            err.write(f"{PROG}: {r.error}\n" if r.error.startswith("internal error") else f"{PROG}: error: {r.error}\n")
    for w in expired:
        err.write(f"{PROG}: error: {w.describe()} expired on {w.expires.isoformat()}\n")
    for w in unused:
        err.write(f"{PROG}: warning: {w.describe()} matched no finding\n")
    if any(r.error is not None for r in results):
        return 2
    return 1 if expired or not all(r.ok for r in results) or failing_pairs else 0


def cmd_changelog(args: argparse.Namespace, out: Any) -> int:
    """Every change, breaking or not; exit 0 (a changelog is a listing, not a gate)."""
    from pytest_cdcompat.report.changelog import changelog, render_changelog

    overrides: dict[str, Any] = {}
    if args.examples is not None:
        overrides["examples"] = args.examples
    if args.seed is not None:
        overrides["seed"] = args.seed
    out.write(render_changelog(changelog(args.old, args.new, **overrides), args.format))
    return 0


def _render_pairs(pairs: Any, fmt: str, opts: Any, *, errors: Sequence[str] = ()) -> str:
    from pytest_cdcompat.report import render_pairs

    full = next((str(p) for f, p in opts.reports if f in ("text", "json")), "")
    return render_pairs(pairs, fmt, errors=errors, full_report=full)


def _emit_live(args: argparse.Namespace, report: Report, opts: Any, out: Any) -> int:
    """Write a ``cdcompat live`` report the way ``compare`` writes one; the exit status (0 or 1)."""
    from pytest_cdcompat.report import CI_FORMATS, PairReport
    from pytest_cdcompat.report.entries import fails

    required = frozenset(Direction)
    pairs = [PairReport(str(args.new), report, required)]
    _side_outputs(args.format, pairs, opts)
    if args.format in CI_FORMATS or args.format == "markdown":
        out.write(_render_pairs(pairs, args.format, opts))
    else:
        out.write(_render(report, args.format))
    return 1 if fails(report, required, opts.fail_on) else 0


def _side_outputs(fmt: str, pairs: Any, opts: Any, *, errors: Sequence[str] = ()) -> None:
    """``--report FORMAT=FILE`` files, and the GitHub job summary when ``--format github`` runs in Actions."""
    from pytest_cdcompat.report.outputs import write_step_summary, write_targets

    write_targets(opts.reports, pairs, errors=errors)
    if fmt == "github":
        write_step_summary(pairs, errors=errors)


def internal_error(what: str, error: BaseException) -> str:
    """The one line for an exception that is a bug of ours, not the user's input (never a traceback)."""
    message = " ".join(str(error).split())[:500]
    return f"{PROG}: internal error while checking {what}: {type(error).__name__}: {message}"


def _escape(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: a character the output cannot encode becomes a ``\\uXXXX`` escape, valid inside a JSON
    string and readable in text (a terminal whose encoding is ASCII, a lone surrogate)."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = []
    for char in error.object[error.start : error.end]:
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{code:04x}")
    return "".join(out), error.end


codecs.register_error("cdcompat-escape", _escape)


def _safe_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="cdcompat-escape")
            except (ValueError, OSError, TypeError):  # a stream that cannot change its error handler
                pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0, 1 or 2)."""
    _safe_streams()
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as e:
        return int(e.code) if isinstance(e.code, int) else 2
    from pytest_cdcompat.api import run_session

    try:
        with run_session():
            return _dispatch(args)
    except CdcompatError as e:
        sys.stderr.write(f"{PROG}: error: {e}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return 2
    except Exception as e:  # a bug: one clear line naming the input, exit 2, never a traceback
        what = f"{args.old} -> {args.new}" if args.command == "compare" else " ".join(args.paths or ["contracts"])
        sys.stderr.write(internal_error(what, e) + "\n")
        return 2
    finally:
        from pytest_cdcompat.sources.catfile import close_all

        close_all()


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "compare":
        return cmd_compare(args, sys.stdout)
    if args.command == "plan":
        from pytest_cdcompat.release.plan import plan_command

        return plan_command(_resolve(args), sys.stdout, sys.stderr, args.format)
    if args.command == "live":
        from pytest_cdcompat.live.command import run as cmd_live

        return cmd_live(args, sys.stdout, _resolve, _emit_live)
    if args.command == "changelog":
        return cmd_changelog(args, sys.stdout)
    return cmd_check(args, sys.stdout, sys.stderr)


__all__ = ["UsageError", "build_parser", "main"]
