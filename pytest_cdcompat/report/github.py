"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line per finding.

GitHub shows each as an annotation on the file and line (in the job log and on the pull request's changed files).
Values are escaped as the runner expects (``%``, CR and LF in messages; also ``:`` and ``,`` in properties).
The job summary (Markdown for ``$GITHUB_STEP_SUMMARY``) is the pull-request comment renderer's output.
"""

from __future__ import annotations

from collections.abc import Sequence

from pytest_cdcompat.report.entries import PairReport, entries

__all__ = ["escape_data", "escape_property", "render_github"]

COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(pairs: Sequence[PairReport]) -> str:
    lines = []
    for e in entries(pairs):
        props = ",".join(
            f"{k}={escape_property(str(v))}"
            for k, v in (("file", e.path), ("line", e.line), ("col", e.column), ("title", e.title))
        )
        lines.append(f"::{COMMAND[e.level]} {props}::{escape_data(e.message)}")
    verdicts = [
        f"{p.name}: {'compatible' if all(p.report.directions[d].compatible for d in p.required) else 'INCOMPATIBLE'}"
        f" ({p.report.deploy_order})"
        for p in pairs
    ]
    return "".join(f"{line}\n" for line in lines + verdicts)
