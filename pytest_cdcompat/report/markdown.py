"""The Markdown report: the same content as the text report, as tables and lists for pull-request comments.

Each direction gets a heading with its verdict; each operation or message a sub-heading with a findings table
(severity, rule, location, message) followed by the details a table cannot hold: counterexample, advice, waiver.
"""

from __future__ import annotations

from pytest_cdcompat.core.findings import Direction, Finding, Report
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
