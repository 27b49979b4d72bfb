"""GitLab code quality report (``artifacts:reports:codequality``): a JSON array of Code Climate issues.

Each finding is an issue with ``description``, ``check_name`` (the rule id), a stable ``fingerprint``, a
``severity`` (``critical`` for a failing error, ``minor`` for a warning, ``info`` for notes and waived findings) and
``location.path`` / ``location.lines.begin``, which GitLab shows in the merge request widget and the diff.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pytest_cdcompat.report.entries import PairReport, entries

__all__ = ["render_gitlab"]

SEVERITY = {"error": "critical", "warning": "minor", "note": "info"}


def render_gitlab(pairs: Sequence[PairReport]) -> str:
    issues: list[dict[str, Any]] = []
    for e in entries(pairs):
        issues.append(
            {
                "type": "issue",
                "description": f"{e.finding.rule}: {e.message}",
                "check_name": e.finding.rule,
                "fingerprint": e.fingerprint,
                "severity": SEVERITY[e.level],
                "categories": ["Compatibility"],
                "location": {"path": e.path, "lines": {"begin": e.line}},
            }
        )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
