"""Choosing and writing report formats: ``--format`` on the command line, ``--cd-compat-report FORMAT=FILE``.

``render_pairs`` renders any format for one or many compared pairs (the CI formats are one document for a whole
run); ``parse_targets`` checks ``FORMAT=FILE`` requests before anything runs, so an unknown format, a folder that
does not exist or a path that is a folder is one clear error, not a traceback after minutes of work.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from pytest_cdcompat.core.errors import UsageError
from pytest_cdcompat.report.entries import PairReport

__all__ = ["CI_FORMATS", "FORMATS", "parse_targets", "render_pairs", "write_step_summary", "write_targets"]

FORMATS = ("text", "json", "markdown", "github", "sarif", "junit", "gitlab")
CI_FORMATS = ("github", "sarif", "junit", "gitlab")


def render_pairs(pairs: Sequence[PairReport], fmt: str, *, errors: Sequence[str] = (), full_report: str = "") -> str:
    if fmt == "sarif":
        from pytest_cdcompat.report.sarif import render_sarif

        return render_sarif(pairs)
    if fmt == "github":
        from pytest_cdcompat.report.github import render_github

        return render_github(pairs)
    if fmt == "gitlab":
        from pytest_cdcompat.report.gitlab import render_gitlab

        return render_gitlab(pairs)
    if fmt == "junit":
        from pytest_cdcompat.report.junit import render_junit

        return render_junit(pairs, errors=errors)
    if fmt == "markdown":
        from pytest_cdcompat.report.markdown import render_comment

        return render_comment(pairs, errors=errors, full_report=full_report)
    if fmt == "json":
        import json

        if len(pairs) == 1:
            return pairs[0].report.dumps()
        return json.dumps([p.report.to_json() for p in pairs], indent=2, ensure_ascii=False) + "\n"
    if fmt == "text":
        from pytest_cdcompat.report.text import render_text

        return "\n".join(render_text(p.report) for p in pairs)
    raise UsageError(f"unknown report format {fmt!r} (choose from {', '.join(FORMATS)})")


def parse_targets(lines: Sequence[str]) -> tuple[tuple[str, Path], ...]:
    """``FORMAT=FILE`` requests, checked: a known format, a file whose folder exists, not a folder itself."""
    out = []
    for line in lines:
        text = str(line).strip()
        if not text:
            continue
        fmt, sep, file = text.partition("=")
        fmt, file = fmt.strip().lower(), file.strip()
        if not sep or not file:
            raise UsageError(f"report: expected FORMAT=FILE, got {text!r}")
        if fmt not in FORMATS:
            raise UsageError(f"report: unknown format {fmt!r} in {text!r} (choose from {', '.join(FORMATS)})")
        path = Path(file)
        if path.is_dir():
            raise UsageError(f"report: {file}: is a folder, not a file to write the {fmt} report to")
        if not path.parent.is_dir():
            raise UsageError(f"report: {file}: the folder {str(path.parent)!r} does not exist")
        out.append((fmt, path))
    return tuple(out)


def write_targets(
    targets: Sequence[tuple[str, Path]], pairs: Sequence[PairReport], *, errors: Sequence[str] = ()
) -> None:
    for fmt, path in targets:
        full = next((str(p) for f, p in targets if f in ("text", "json") and p != path), "")
        text = render_pairs(pairs, fmt, errors=errors, full_report=full)
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as e:
            raise UsageError(f"report: cannot write {path}: {e.strerror}") from None


def write_step_summary(
    pairs: Sequence[PairReport], *, errors: Sequence[str] = (), env: dict[str, str] | None = None
) -> bool:
    """Append the pull-request comment to ``$GITHUB_STEP_SUMMARY`` when it is set; True when written."""
    target = (env if env is not None else dict(os.environ)).get("GITHUB_STEP_SUMMARY")
    if not target:
        return False
    from pytest_cdcompat.report.markdown import render_comment

    try:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(render_comment(pairs, errors=errors) + "\n")
    except OSError as e:
        raise UsageError(f"GITHUB_STEP_SUMMARY: cannot write {target}: {e.strerror}") from None
    return True
