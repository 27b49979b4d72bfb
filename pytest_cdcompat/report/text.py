"""The plain-text report: what a terminal, a CI log and a pytest failure show.

Layout: a header (kind, old -> new, semantics, seed, examples), then each deploy direction with its verdict and its
findings grouped by operation or message, then the deploy order and its steps. Counterexamples are pretty JSON with
sorted keys, so the same report always renders to the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable

from pytest_cdcompat.core.findings import Direction, Finding, Report
from pytest_cdcompat.report.groups import group_findings, pretty_json, semantics_label, verdict

INDENT = "  "


def _indent(text: str, depth: int) -> list[str]:
    pad = INDENT * depth
    return [pad + line if line else "" for line in text.splitlines()]


def render_header(report: Report) -> list[str]:
    seed = "derived from the inputs" if report.seed is None else str(report.seed)
    return [
        f"cdcompat: {report.kind} contract",
        f"  old: {report.old}",
        f"  new: {report.new}",
        f"  semantics: {semantics_label(report)}",
        f"  seed: {seed}, examples: {report.examples}",
    ]


def render_finding(f: Finding, depth: int) -> list[str]:
    where = f"{f.position}: " if f.position else ""
    lines = _indent(f"{where}{f.severity.value}: {f.rule} at {f.location or '/'}", depth)
    lines += _indent(f.message, depth + 1)
    if f.in_old and f.position:
        lines += _indent("(gone in the new version: the position is in the old version)", depth + 1)
    if f.counterexample is not None:
        lines += _indent("counterexample:", depth + 1)
        lines += _indent(pretty_json(f.counterexample), depth + 2)
    if f.advice:
        lines += _indent(f"advice: {f.advice}", depth + 1)
    if f.waived is not None:
        lines += _indent(f"waived: {f.waived}", depth + 1)
    return lines


def render_direction(report: Report, direction: Direction) -> list[str]:
    result = report.directions[direction]
    lines = [f"{direction.label} ({direction.value}): {verdict(result.compatible)}"]
    if not result.findings:
        lines.append(INDENT + "no findings")
    for channel, findings in group_findings(result.findings):
        lines.append(INDENT + channel)
        for f in findings:
            lines += render_finding(f, 2)
    return lines


def render_deploy(report: Report) -> list[str]:
    return [f"deploy order: {report.deploy_order}", *_indent(report.deploy_steps, 1)]


def render_text(report: Report, *, directions: Iterable[Direction] | None = None) -> str:
    """The whole report, or only the given ``directions`` (a pytest item shows its own direction)."""
    chosen = list(Direction) if directions is None else [d for d in Direction if d in set(directions)]
    lines = render_header(report)
    for d in chosen:
        lines.append("")
        lines += render_direction(report, d)
    lines.append("")
    lines += render_deploy(report)
    if report.notes:
        lines.append("")
        lines.append("notes:")
        lines += [f"{INDENT}- {n}" for n in report.notes]
    return "\n".join(lines) + "\n"
