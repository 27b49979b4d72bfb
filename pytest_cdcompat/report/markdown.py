"""Markdown: the pull-request comment (``--format markdown``) and the full Markdown report of one pair.

``render_comment`` is what a pull request shows: the verdict and deploy plan first, a table of the changed contracts
with counts, then the details per contract folded in ``<details>`` blocks (counterexamples folded too), cut at
60,000 characters (GitHub refuses comments over 65,536) with a line saying how much was cut and where the full report
is. ``render_markdown`` is the full report of one pair: each direction with its verdict, each operation or message
with a findings table and the details a table cannot hold (counterexample, advice, waiver).
"""

from __future__ import annotations

from collections.abc import Sequence

from pytest_cdcompat.core.findings import Direction, Finding, Report
from pytest_cdcompat.report.entries import PairReport
from pytest_cdcompat.report.groups import group_findings, pretty_json, semantics_label, verdict


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    ticks = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{ticks}{pad}{_cell(text)}{pad}{ticks}"


def _details(f: Finding) -> list[str]:
    out = [f"- **{f.rule}** at {_code(f.location or '/')}: {f.message}"]
    if f.counterexample is not None:
        out += ["", "  counterexample:", "", "  ```json"]
        out += [f"  {line}" for line in pretty_json(f.counterexample).splitlines()]
        out += ["  ```", ""]
    if f.advice:
        out.append(f"  - advice: {f.advice}")
    if f.waived is not None:
        out.append(f"  - waived: {f.waived}")
    return out


def _direction(report: Report, d: Direction, h: str) -> list[str]:
    result = report.directions[d]
    out = [f"{h}## {d.label[0].upper()}{d.label[1:]}: **{verdict(result.compatible)}**", "", f"`{d.value}`", ""]
    if not result.findings:
        return [*out, "No findings.", ""]
    for channel, findings in group_findings(result.findings):
        out += [f"{h}### {channel}", "", "| severity | rule | location | message | waived |", "|---|---|---|---|---|"]
        for f in findings:
            waived = _cell(f.waived) if f.waived is not None else ""
            out.append(
                f"| {f.severity.value} | {_code(f.rule)} | {_code(f.location or '/')} | {_cell(f.message)} | {waived} |"
            )
        out.append("")
        for f in findings:
            out += _details(f)
        out.append("")
    return out


def render_markdown(report: Report, *, depth: int = 0) -> str:
    """The report as Markdown; ``depth`` pushes every heading down that many levels (to nest it in a bigger page)."""
    h = "#" * depth
    seed = "derived from the inputs" if report.seed is None else str(report.seed)
    out = [
        f"{h}# cdcompat: {report.kind} contract",
        "",
        "| | |",
        "|---|---|",
        f"| old | {_code(report.old)} |",
        f"| new | {_code(report.new)} |",
        f"| semantics | {semantics_label(report)} |",
        f"| seed | {seed} |",
        f"| examples | {report.examples} |",
        "",
    ]
    for d in Direction:
        out += _direction(report, d, h)
    out += [f"{h}## Deploy order: {report.deploy_order}", "", report.deploy_steps, ""]
    if report.notes:
        out += [f"{h}## Notes", ""] + [f"- {n}" for n in report.notes] + [""]
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


# -- the pull-request comment ----------------------------------------------------------------------------------------

COMMENT_LIMIT = 60_000  # GitHub refuses comments over 65,536 characters; keep room for a sticky-comment marker
MARKER = "<!-- cdcompat-report -->"


def _counts(p: PairReport) -> tuple[int, int, int, int]:
    """(failing errors, warnings, notes, waived) over both directions."""
    errors = warnings = notes = waived = 0
    for d in Direction:
        for f in p.report.directions[d].findings:
            if f.waived is not None:
                waived += 1
            elif f.severity.value == "error":
                if d in p.required:
                    errors += 1
                else:
                    warnings += 1
            elif f.severity.value == "warning":
                warnings += 1
            else:
                notes += 1
    return errors, warnings, notes, waived


def _ok(p: PairReport) -> bool:
    return all(p.report.directions[d].compatible for d in p.required)


def _finding_block(f: Finding, d: Direction) -> list[str]:
    where = f" ({_code(f.position)})" if f.position else ""
    gone = " — gone in the new version, the line is in the old one" if f.in_old and f.position else ""
    head = f"- **{f.severity.value}** {_code(f.rule)} at {_code(f.location or '/')}{where}{gone}: {_cell(f.message)}"
    out = [head]
    if f.waived is not None:
        out.append(f"  - waived: {_cell(f.waived)}")
    if f.advice:
        out.append(f"  - advice: {_cell(f.advice)}")
    if f.counterexample is not None:
        body = pretty_json(f.counterexample)
        if len(body) > 4000:
            body = body[:4000] + "\n... (cut; the text report has all of it)"
        out += ["  <details><summary>counterexample</summary>", "", "  ```json"]
        out += [f"  {line}" for line in body.splitlines()]
        out += ["  ```", "", "  </details>"]
    return out


def render_comment(pairs: Sequence[PairReport], *, errors: Sequence[str] = (), full_report: str = "",
                   limit: int = COMMENT_LIMIT) -> str:  # fmt: skip
    """A pull-request comment: the verdict and deploy plan first, a table of the changed contracts with counts,
    then the details per contract in ``<details>`` blocks; never longer than ``limit`` characters."""
    failing = [p for p in pairs if not _ok(p)]
    ok = not failing and not errors
    verdict_line = (
        f"## cdcompat: ✅ compatible ({len(pairs)} contract pair{'s' if len(pairs) != 1 else ''} checked)"
        if ok
        else f"## cdcompat: ❌ INCOMPATIBLE: {len(failing)} of {len(pairs)} contract pair"
        f"{'s' if len(pairs) != 1 else ''} break a required direction"
        + (f", {len(errors)} could not be checked" if errors else "")
    )
    head = [MARKER, verdict_line, ""]
    plan = [f"- **{_cell(p.name)}**: {p.report.deploy_order}. {p.report.deploy_steps}" for p in failing]
    if plan:
        head += ["**Deploy plan**", "", *plan, ""]
    head += [f"- could not check: {_cell(e)}" for e in errors]
    if errors:
        head.append("")
    head += [
        "| contract | verdict | deploy order | errors | warnings | notes | waived |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in pairs:
        e, w, n, wv = _counts(p)
        head.append(
            f"| {_code(p.name)} | {'✅' if _ok(p) else '❌'} {verdict(_ok(p))} | {p.report.deploy_order} "
            f"| {e} | {w} | {n} | {wv} |"
        )
    head.append("")
    out = "\n".join(head) + "\n"
    total = sum(len(p.report.directions[d].findings) for p in pairs for d in Direction)
    shown = 0
    cut_in: list[str] = []
    reserve = 600  # room for the closing line saying what was cut
    for p in sorted(pairs, key=lambda p: (_ok(p), p.name)):
        if not any(p.report.directions[d].findings for d in Direction):
            continue
        opened = f"<details{' open' if not _ok(p) and len(pairs) == 1 else ''}><summary><b>{_cell(p.name)}</b>: " \
                 f"{verdict(_ok(p))}, {p.report.deploy_order}</summary>\n\n"  # fmt: skip
        block = opened
        complete = True
        for d in Direction:
            result = p.report.directions[d]
            if not result.findings:
                continue
            required = "" if d in p.required else " (not required by the mode)"
            section = f"**{d.label[0].upper()}{d.label[1:]}** (`{d.value}`): {verdict(result.compatible)}{required}\n\n"
            if len(out) + len(block) + len(section) + reserve > limit:
                complete = False
                break
            block += section
            for channel, findings in group_findings(result.findings):
                title = f"*{_cell(channel)}*\n\n"
                if len(out) + len(block) + len(title) + reserve > limit:
                    complete = False
                    break
                block += title
                for f in findings:
                    text = "\n".join(_finding_block(f, d)) + "\n"
                    if len(out) + len(block) + len(text) + reserve > limit:
                        complete = False
                        break
                    block += text
                    shown += 1
                if not complete:
                    break
                block += "\n"
            if not complete:
                break
        out += block + "\n</details>\n\n"
        if not complete:
            cut_in.append(p.name)
            break
    if shown < total:
        where = f"the full report is in `{full_report}`" if full_report else (
            "the full report: run `cdcompat check --format text` (or `--format json`), or see the job log"
        )  # fmt: skip
        out += (
            f"_Cut at {limit:,} characters: {shown} of {total} findings shown"
            f"{' (cut inside ' + ', '.join(_code(n) for n in cut_in) + ')' if cut_in else ''}; {where}._\n"
        )
    return out
