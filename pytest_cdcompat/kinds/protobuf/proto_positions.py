"""Where a Protobuf element is written: ``/messages/<full name>/fields/<name>`` mapped to a ``.proto`` line.

Protobuf findings name messages, fields, enums and RPCs by their full names, not by a place in the file. A light
scan of the ``.proto`` text (comments blanked, braces tracked, the ``package`` statement read) records the line and
column of every ``message``, ``enum``, ``service``, field, enum value and ``rpc``; the main file and the files it
imports (when they are in the same source) are scanned.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from pytest_cdcompat.core.errors import CdcompatError
from pytest_cdcompat.sources.positions import Position
from pytest_cdcompat.sources.source import Source

__all__ = ["ProtoPositions", "deprecated_elements", "scan_proto", "sunset_marks"]

_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
_TOKEN = re.compile(
    r"\b(?P<block>message|enum|service|oneof|extend)\s+(?P<bname>[\w.]+)\s*\{"
    r"|\brpc\s+(?P<rpc>\w+)"
    r"|\bpackage\s+(?P<package>[\w.]+)\s*;"
    r"|(?P<open>\{)|(?P<close>\})"
    r"|\b(?P<field>\w+)\s*=\s*-?(?:0x[0-9a-fA-F]+|\d+)\s*[;\[]"
)
_IMPORT = re.compile(r'\bimport\s+(?:public\s+|weak\s+)?"([^"]+)"\s*;')


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def scan_proto(text: str) -> dict[str, tuple[int, int]]:
    """Pointer -> (line, column) for the elements of one ``.proto`` file."""
    clean = _COMMENT.sub(_blank, _STRING.sub(lambda m: '"' + " " * (len(m.group(0)) - 2) + '"', text))
    starts = [0] + [m.end() for m in re.finditer(r"\n", clean)]

    def where(offset: int) -> tuple[int, int]:
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, offset - starts[lo] + 1

    out: dict[str, tuple[int, int]] = {}
    package = ""
    stack: list[tuple[str, str]] = []  # (block kind, full name); "" kind for an anonymous brace

    def named() -> tuple[str, str] | None:
        for kind, full in reversed(stack):
            if kind in ("message", "enum", "service"):
                return kind, full
        return None

    for m in _TOKEN.finditer(clean):
        if m.group("package"):
            package = m.group("package")
        elif m.group("block"):
            kind, name = m.group("block"), m.group("bname")
            outer = named()
            if kind == "oneof":
                stack.append(("oneof", outer[1] if outer else name))
                continue
            if kind == "extend":
                stack.append(("extend", name))
                continue
            prefix = outer[1] if outer and outer[0] == "message" else package
            full = f"{prefix}.{name}" if prefix else name
            pos = where(m.start())
            out[f"/{'services' if kind == 'service' else 'messages'}/{full}"] = pos
            if kind == "enum":
                out.setdefault(f"/enums/{full}", pos)
            stack.append((kind, full))
        elif m.group("rpc"):
            outer = named()
            if outer and outer[0] == "service":
                out[f"/services/{outer[1]}/methods/{m.group('rpc')}"] = where(m.start())
        elif m.group("open"):
            stack.append(("", ""))
        elif m.group("close"):
            if stack:
                stack.pop()
        elif m.group("field"):
            outer = named()
            if outer is None:
                continue
            pos = where(m.start("field"))
            sub = "values" if outer[0] == "enum" else "fields"
            out.setdefault(f"/messages/{outer[1]}/{sub}/{m.group('field')}", pos)
            if outer[0] == "enum":
                out.setdefault(f"/enums/{outer[1]}/values/{m.group('field')}", pos)
    return out


class ProtoPositions:
    """Positions in the ``.proto`` files of one ``Source`` (the main file first, then its imports)."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self._index: list[tuple[str, dict[str, tuple[int, int]]]] | None = None

    def _files(self) -> list[tuple[str, dict[str, tuple[int, int]]]]:
        if self._index is None:
            self._index = []
            todo, seen = [self.source.rel], set()
            while todo:
                rel = todo.pop(0)
                if rel in seen:
                    continue
                seen.add(rel)
                try:
                    text = self.source.read(rel).decode("utf-8-sig", "replace")
                except CdcompatError:
                    continue
                self._index.append((self.source.describe(rel), scan_proto(text)))
                for name in _IMPORT.findall(text):
                    for base in (rel, self.source.rel, PurePosixPath("x")):
                        try:
                            target = self.source.resolve(base, name)
                        except CdcompatError:
                            continue
                        todo.append(target)
        return self._index

    def locate(self, location: str) -> Position | None:
        files = self._files()
        ptr = location
        exact = True
        while ptr:
            for file, index in files:
                if ptr in index:
                    line, col = index[ptr]
                    return Position(file, line, col, exact)
            ptr = ptr.rsplit("/", 1)[0] if "/" in ptr.lstrip("/") else ""
            exact = False
        return None


_DEPRECATED_OPTION = re.compile(r"deprecated\s*=\s*true", re.I)
_OPTION_DEPRECATED = re.compile(r"\boption\s+deprecated\s*=\s*true")
_SUNSET_MARK = re.compile(r"//\s*cd-compat:\s*sunset\s*=\s*(\S*)")


def _block_option(lines: list[str], line: int, col: int) -> bool:
    """Whether the block opening at ``line`` (1-based, its element at ``col``) holds ``option deprecated = true;``
    at its own level (not inside a nested block: a service's option, not one of its RPCs')."""
    depth, n = 0, line - 1
    text = lines[n][col - 1 :] if n < len(lines) else ""
    while True:
        level = ""
        for ch in text:
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth <= 0:
                    break
            elif depth == 1:
                level += ch
        if _OPTION_DEPRECATED.search(level):
            return True
        n += 1
        if depth <= 0 or n >= len(lines):
            return False
        text = lines[n]


def deprecated_elements(text: str) -> set[str]:
    """Pointers of the fields, enum values, messages and RPCs marked ``[deprecated = true]`` (or ``option
    deprecated = true;`` inside a message, service or rpc block)."""
    clean = _COMMENT.sub(_blank, text)
    index = scan_proto(text)
    lines = clean.splitlines()
    out: set[str] = set()
    for ptr, (line, col) in index.items():
        body = lines[line - 1][col - 1 :] if line - 1 < len(lines) else ""
        head = body.split("{", 1)[0] if "{" in body else body
        if "/methods/" not in ptr and ptr.count("/") != 2:
            if _DEPRECATED_OPTION.search(head):
                out.add(ptr)
        elif "{" in body and _block_option(lines, line, col):
            out.add(ptr)
    return out


def sunset_marks(text: str, label: str) -> dict[str, str]:
    """Pointer -> the date of each element with ``// cd-compat: sunset=YYYY-MM-DD`` on its line; a value that is
    not a date is one ``ContractLoadError`` naming the file and the line."""
    import datetime as dt

    from pytest_cdcompat.core.errors import ContractLoadError

    def parse_date(value: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
        except ValueError:
            return None

    if "cd-compat" not in text:
        return {}
    marks: dict[int, str] = {}
    for n, line in enumerate(text.splitlines(), 1):
        m = _SUNSET_MARK.search(line)
        if m is None:
            continue
        if parse_date(m.group(1)) is None:
            raise ContractLoadError(
                f"cd-compat: sunset={m.group(1)!r} is not a date (YYYY-MM-DD)", path=label, line=n,
                column=m.start(1) + 1,
            )  # fmt: skip
        marks[n] = m.group(1)
    if not marks:
        return {}
    # the mark belongs to the elements written on its line (a field, an rpc, a message's opening line)
    return {ptr: marks[line] for ptr, (line, _) in scan_proto(text).items() if line in marks}


_FIELD_NUMBER = re.compile(r"\b(\w+)\s*=\s*(-?\d+)\s*[;\[]")


def field_numbers(text: str) -> dict[str, int]:
    """``/messages/<full>/fields/<name>`` -> field number (what identifies a field on the binary wire)."""
    clean = _COMMENT.sub(_blank, text)
    lines = clean.splitlines()
    out: dict[str, int] = {}
    for ptr, (line, col) in scan_proto(text).items():
        if "/fields/" not in ptr or line - 1 >= len(lines):
            continue
        m = _FIELD_NUMBER.match(lines[line - 1], col - 1)
        if m:
            out[ptr] = int(m.group(2))
    return out
