"""What pytest shows besides the per-item report: the ``cdcompat`` terminal-summary lines and the waiver snippet.

- Warnings and notes of *passing* items are easy to miss (pytest hides captured sections of passing tests unless
  ``-rA``), so each becomes one line of the ``cdcompat`` terminal section: ``path:line:col: warning: rule at
  location (direction)``.
- A failure ends with a ready-to-paste waiver entry for its first error (rule, location, contract, direction, a
  reason to fill in and an expiry 30 days ahead), so accepting a reviewed break takes one edit, not a trip to the
  docs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from pytest_cdcompat.core.findings import Direction, Finding

__all__ = ["WAIVER_DAYS", "summary_lines", "waiver_snippet"]

WAIVER_DAYS = 30


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a YAML double-quoted scalar is a JSON string


def waiver_snippet(f: Finding, contract: str, direction: Direction, today: dt.date, waiver_file: str = "") -> str:
    expires = today + dt.timedelta(days=WAIVER_DAYS)
    where = f" to {waiver_file}" if waiver_file else ""
    return "\n".join(
        [
            f"To accept this break after review, add{where}:",
            f"- rule: {f.rule}",
            f"  location: {_quote(f.location)}",
            f"  contract: {_quote(contract)}",
            f"  direction: {direction.value}",
            '  reason: "<why this break is acceptable, and who agreed>"',
            f"  expires: {expires.isoformat()}",
        ]
    )


def summary_lines(name: str, direction: Direction, findings: Iterable[Finding]) -> list[str]:
    """One line per warning, note or waived finding of a passing direction."""
    out = []
    for f in findings:
        if f.fails:
            continue
        where = f"{f.position}: " if f.position else ""
        status = "waived" if f.waived is not None else f.severity.value
        tail = f" (waived: {f.waived})" if f.waived is not None else ""
        out.append(f"{where}{status}: {f.rule} at {f.location or '/'} [{name}, {direction.value}]{tail}")
    return out
