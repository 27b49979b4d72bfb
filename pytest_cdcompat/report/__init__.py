"""Report renderers: turn one ``Report`` into text, Markdown or JSON for people and machines.

Every renderer is a pure function of the report (no clock, no environment), so the same report always gives the same
bytes and golden-file tests can pin the output. JSON is ``Report.dumps()``: the compare interface, key for key.
"""

from __future__ import annotations

from pytest_cdcompat.core.findings import Report
from pytest_cdcompat.report.entries import PairReport
from pytest_cdcompat.report.groups import channel_of, group_findings
from pytest_cdcompat.report.markdown import render_markdown
from pytest_cdcompat.report.outputs import CI_FORMATS, FORMATS, render_pairs
from pytest_cdcompat.report.text import render_text

__all__ = [
    "CI_FORMATS", "FORMATS", "PairReport", "channel_of", "group_findings", "render", "render_json", "render_markdown",
    "render_pairs", "render_text",
]  # fmt: skip


def render_json(report: Report) -> str:
    return report.dumps()


def render(report: Report, fmt: str) -> str:
    """Render ``report`` in one of ``FORMATS``."""
    if fmt == "json":
        return render_json(report)
    if fmt == "markdown":
        return render_markdown(report)
    if fmt == "text":
        return render_text(report)
    return render_pairs([PairReport(report.new, report)], fmt)
