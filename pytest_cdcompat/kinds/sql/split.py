"""Split a migration's text into statements, keeping each statement's line and its inline waivers.

sqlglot can parse several statements at once but loses where each began, and it cannot be trusted to split trigger
and function bodies (``BEGIN ... END;`` in SQLite/MySQL triggers, ``$$ ... $$`` in PostgreSQL). Reports must name
``file:line``, and the text must reach the database exactly as written, so this small scanner does the splitting:
it knows quotes, comments, dollar-quoting, and BEGIN/CASE ... END nesting inside CREATE TRIGGER/FUNCTION/PROCEDURE.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

WAIVER = re.compile(r"--\s*cd-compat:\s*allow\s+([a-z0-9-]+)\s*(.*)$", re.IGNORECASE | re.MULTILINE)
_ROUTINE = re.compile(r"^\s*create\s+(or\s+replace\s+)?(definer\s*=\s*\S+\s+)?(trigger|function|procedure)\b", re.I)
_DOLLAR = re.compile(r"\$[A-Za-z_0-9]*\$")


@dataclass(frozen=True)
class Statement:
    """One statement of a migration: its text (without the final ``;``), file and 1-based line."""

    file: str
    line: int
    text: str
    waivers: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"


def waivers_in(text: str) -> dict[str, str]:
    return {m.group(1).lower(): (m.group(2).strip() or "waived in the migration") for m in WAIVER.finditer(text)}


def split(text: str, file: str) -> list[Statement]:
    """Statements of ``text``; comments before a statement belong to it (that is where waivers are written)."""
    out: list[Statement] = []
    i, n = 0, len(text)
    start = 0
    depth = 0
    while i < n:
        c = text[i]
        if c == "-" and text.startswith("--", i):
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if c == "/" and text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
            continue
        if c in "'\"`":
            j = i + 1
            while j < n:
                if text[j] == c:
                    if j + 1 < n and text[j + 1] == c:
                        j += 2
                        continue
                    break
                if text[j] == "\\" and c != '"':
                    j += 1
                j += 1
            i = j + 1
            continue
        if c == "$":
            m = _DOLLAR.match(text, i)
            if m:
                j = text.find(m.group(0), m.end())
                i = n if j < 0 else j + len(m.group(0))
                continue
        if c.isalpha() or c == "_":
            j = i
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            word = text[i:j].lower()
            if word in ("begin", "case", "end") and _ROUTINE.match(_strip_comments(text[start:i])):
                if word in ("begin", "case"):
                    if not (word == "begin" and _after(text, j).lower().startswith(("transaction", "work"))):
                        depth += 1
                else:
                    nxt = _after(text, j).lower()
                    if not nxt.startswith(("if", "loop", "while", "repeat")) or nxt.startswith("if;"):
                        depth = max(0, depth - 1)
            i = j
            continue
        if c == ";" and depth == 0:
            eol = text.find("\n", i)
            eol = n if eol < 0 else eol
            rest = text[i + 1 : eol]
            trailing = rest if rest.strip().startswith("--") else ""
            _emit(out, text, start, i, file, trailing)
            start = eol if trailing else i + 1
            i = start if trailing else i + 1
            continue
        i += 1
    _emit(out, text, start, n, file)
    return out


def _after(text: str, j: int) -> str:
    return text[j : j + 12].lstrip()


def _strip_comments(chunk: str) -> str:
    chunk = re.sub(r"/\*.*?\*/", " ", chunk, flags=re.S)
    return re.sub(r"--[^\n]*", " ", chunk)


def _emit(out: list[Statement], text: str, start: int, end: int, file: str, trailing: str = "") -> None:
    chunk = text[start:end]
    body = _strip_comments(chunk).strip()
    if not body:
        return
    # the statement's line is the line of its first non-comment character
    lines = chunk.split("\n")
    offset = 0
    for k, raw in enumerate(lines):
        if _strip_comments(raw).strip() and not raw.lstrip().startswith("--"):
            offset = k
            break
    line = text.count("\n", 0, start) + 1 + offset
    stmt_text = "\n".join(lines[offset:]).strip()
    waivers = waivers_in(chunk + "\n" + trailing)
    if waivers:
        _check_waived_rules(chunk + "\n" + trailing, file, text.count("\n", 0, start) + 1)
    out.append(Statement(file=file, line=line, text=stmt_text, waivers=waivers))


def _check_waived_rules(text: str, file: str, first_line: int) -> None:
    """An inline waiver naming a rule the catalogue does not know is one clear error at its line: a typo would
    otherwise waive nothing, silently."""
    from pytest_cdcompat.catalogue import by_id
    from pytest_cdcompat.core.errors import ContractLoadError

    for m in WAIVER.finditer(text):
        rule = m.group(1).lower()
        if by_id(rule) is None:
            line = first_line + text.count("\n", 0, m.start())
            raise ContractLoadError(f"cd-compat: allow: unknown rule id {rule!r}", path=file, line=line)
