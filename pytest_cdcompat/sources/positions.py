"""Where an element of a YAML or JSON document is: a JSON pointer mapped back to a file, line and column.

Findings name what they are about by JSON pointer (``/paths/~1orders/post/.../properties/total``), possibly in
another file (``common.yaml#/components/schemas/Money``). A CI annotation needs a file and a line. Positions are
looked up only when a report has findings, and each file gets one tree, kept on its ``Source`` and shared by
every reader (findings' positions, inline waivers, deprecation notes):

- **YAML**: the node tree libyaml composed while the loader parsed the file (``Source.composed``; node trees with
  start marks, no scalar resolution, so YAML 1.2 keys such as ``on`` or ``200`` are the strings they are written
  as). A file no loader parsed is composed once by the same C parser.
- **JSON**: ``JsonIndex``, which reads the raw text only along the pointers asked for. An object or array is
  scanned once, when a pointer first passes through it: its keys are decoded with ``json``'s C string scanner and
  its values skipped with the C scanner, and the offsets of its keys and values are kept. An offset becomes a line
  and a column through a table of line starts and ``bisect``. Composing a 4 MB document took seconds; a pointer
  costs the size of the objects it passes through, each once.

Both give what the YAML composer gives for a JSON text (JSON is YAML): 1-based lines where ``\\n``, ``\\r\\n``,
``\\r``, U+0085, U+2028 and U+2029 end a line, 1-based columns counted in characters (code points), a key's
position at its opening quote, an array item's at its first character, a leading BOM not counted.

Where the pointer leaves a mapping through a ``$ref`` (a key the mapping does not have, and a ``$ref`` beside it),
the walk follows the reference, into another file of the same source when it names one, so an element reached
through ``$ref`` is located where it is written.
"""

from __future__ import annotations

import json
import json.decoder
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import accumulate, count
from operator import add
from pathlib import PurePosixPath
from typing import Any, Protocol
from urllib.parse import unquote

import yaml

from pytest_cdcompat.core.errors import CdcompatError
from pytest_cdcompat.sources.source import Source

__all__ = ["DocumentPositions", "JsonIndex", "Position", "split_location"]

MAX_REF_HOPS = 64  # a cycle of pure refs cannot loop the walk


@dataclass(frozen=True, slots=True)
class Position:
    """A place in a file: ``file`` as reports name it, 1-based ``line`` and ``column``.

    ``exact`` is False when only a prefix of the pointer exists (the position is then the nearest enclosing element).
    """

    file: str
    line: int
    column: int
    exact: bool = True


def split_location(location: str) -> tuple[str, str]:
    """``common.yaml#/a/b`` -> (``common.yaml``, ``/a/b``); a plain pointer -> (``""``, pointer)."""
    if "#" in location and not location.startswith("/"):
        file, _, ptr = location.partition("#")
        return file, ptr
    return "", location


_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _json_safe(text: str) -> str:
    """JSON escapes libyaml refuses (UTF-16 surrogate halves, ``\\u00XX`` controls are fine) replaced by a space
    escape of the same length, so every line and column stays where it was."""
    return _SURROGATE.sub(lambda m: "\\u0020", text)


def _segments(pointer: str) -> list[str]:
    if not pointer or pointer == "/":
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.lstrip("/").split("/")]


# -- trees: what the walk needs of a parsed file -------------------------------------------------------------------

MAPPING, SEQUENCE, SCALAR = 0, 1, 2


class _Tree(Protocol):
    """A file's elements as the walk sees them; ``H`` (an element) and marks are whatever the tree uses."""

    def root(self) -> Any: ...
    def shape(self, h: Any) -> int: ...
    def start(self, h: Any) -> Any: ...
    def member(self, h: Any, key: str) -> tuple[Any, Any] | None: ...
    def item(self, h: Any, index: int) -> Any | None: ...
    def scalar(self, h: Any) -> str | None: ...
    def members(self, h: Any) -> Iterator[tuple[str | None, Any]]: ...
    def line_column(self, mark: Any) -> tuple[int, int]: ...
    def yaml_node(self, h: Any) -> yaml.Node | None: ...


def _mapping_get(node: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """(key node, value node) of ``key`` in ``node``, looking into ``<<`` merges too."""
    merges: list[yaml.Node] = []
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode):
            if k.tag == "tag:yaml.org,2002:merge" or (k.value == "<<" and k.style is None):
                merges.append(v)
            elif k.value == key:
                return k, v
    for m in merges:
        for sub in m.value if isinstance(m, yaml.SequenceNode) else [m]:
            if isinstance(sub, yaml.MappingNode):
                found = _mapping_get(sub, key)
                if found is not None:
                    return found
    return None


class _YamlTree:
    """A composed YAML node tree; elements are nodes, marks are libyaml's start marks."""

    def __init__(self, node: yaml.Node) -> None:
        self.node = node

    def root(self) -> yaml.Node:
        return self.node

    def shape(self, h: yaml.Node) -> int:
        return MAPPING if isinstance(h, yaml.MappingNode) else SEQUENCE if isinstance(h, yaml.SequenceNode) else SCALAR

    def start(self, h: yaml.Node) -> Any:
        return h.start_mark

    def member(self, h: yaml.Node, key: str) -> tuple[Any, yaml.Node] | None:
        got = _mapping_get(h, key)  # type: ignore[arg-type]
        return (got[0].start_mark, got[1]) if got is not None else None

    def item(self, h: yaml.Node, index: int) -> yaml.Node | None:
        return h.value[index] if index < len(h.value) else None

    def scalar(self, h: yaml.Node) -> str | None:
        return str(h.value) if isinstance(h, yaml.ScalarNode) else None

    def members(self, h: yaml.Node) -> Iterator[tuple[str | None, yaml.Node]]:
        for k, v in h.value:
            yield (str(k.value) if isinstance(k, yaml.ScalarNode) else None), v

    def line_column(self, mark: Any) -> tuple[int, int]:
        return mark.line, mark.column

    def yaml_node(self, h: yaml.Node) -> yaml.Node:
        return h


# json's C string scanner (text, offset after the opening quote, strict) -> (decoded string, offset after the closing
# quote); typeshed does not declare it
scanstring: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
_WS = re.compile(r"[ \t\n\r]*")
_BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


class JsonIndex:
    """Line, column and members of a JSON text's elements, read lazily along the pointers asked for.

    An element is the offset of its first character in the text. ``ValueError`` when the text is not JSON where a
    walk passes.
    """

    def __init__(self, text: str) -> None:
        self.text = text[1:] if text.startswith("\ufeff") else text
        self._scan: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder(strict=False).scan_once  # type: ignore[attr-defined]
        self._objects: dict[int, dict[str, tuple[int, int]]] = {}
        self._arrays: dict[int, list[int]] = {}
        self._starts: list[int] | None = None

    # line starts: offsets where each line begins, the breaks being those of YAML (so of the composer)
    def _line_starts(self) -> list[int]:
        if self._starts is None:
            text = self.text
            if not any(c in text for c in "\r\x85\u2028\u2029"):  # only \n ends lines (a C search each)
                self._starts = [0, *map(add, accumulate(map(len, text.split("\n"))), count(1))]
            else:
                self._starts = [0, *(m.end() for m in _BREAKS.finditer(text))]
        return self._starts

    def line_column(self, mark: int) -> tuple[int, int]:
        starts = self._line_starts()
        line = bisect_right(starts, mark) - 1
        return line, mark - starts[line]

    def _skip_ws(self, i: int) -> int:
        return _WS.match(self.text, i).end()  # type: ignore[union-attr]

    def _end(self, i: int) -> int:
        """The offset just after the value starting at ``i``."""
        if self.text.startswith('"', i):
            end: int = scanstring(self.text, i + 1, False)[1]
            return end
        try:
            return self._scan(self.text, i)[1]
        except (StopIteration, RecursionError):
            raise ValueError(f"no JSON value at offset {i}") from None

    def _object(self, o: int) -> dict[str, tuple[int, int]]:
        """key -> (offset of the key, offset of its value) of the object at ``o``; a repeated key: the last, as
        ``json`` reads it."""
        found = self._objects.get(o)
        if found is not None:
            return found
        text = self.text
        out: dict[str, tuple[int, int]] = {}
        i = self._skip_ws(o + 1)
        if not text.startswith("}", i):
            while True:
                if not text.startswith('"', i):
                    raise ValueError(f"expected a key at offset {i}")
                key, j = scanstring(text, i + 1, False)
                j = self._skip_ws(j)
                if not text.startswith(":", j):
                    raise ValueError(f"expected ':' at offset {j}")
                v = self._skip_ws(j + 1)
                out.pop(key, None)  # a repeated key takes the later place in the order too
                out[key] = (i, v)
                i = self._skip_ws(self._end(v))
                if text.startswith(",", i):
                    i = self._skip_ws(i + 1)
                elif text.startswith("}", i):
                    break
                else:
                    raise ValueError(f"expected ',' or '}}' at offset {i}")
        self._objects[o] = out
        return out

    def _array(self, o: int) -> list[int]:
        found = self._arrays.get(o)
        if found is not None:
            return found
        text = self.text
        out: list[int] = []
        i = self._skip_ws(o + 1)
        if not text.startswith("]", i):
            while True:
                out.append(i)
                i = self._skip_ws(self._end(i))
                if text.startswith(",", i):
                    i = self._skip_ws(i + 1)
                elif text.startswith("]", i):
                    break
                else:
                    raise ValueError(f"expected ',' or ']' at offset {i}")
        self._arrays[o] = out
        return out

    def root(self) -> int:
        i = self._skip_ws(0)
        if i >= len(self.text):
            raise ValueError("empty document")
        return i

    def shape(self, h: int) -> int:
        c = self.text[h]
        return MAPPING if c == "{" else SEQUENCE if c == "[" else SCALAR

    def start(self, h: int) -> int:
        return h

    def member(self, h: int, key: str) -> tuple[int, int] | None:
        return self._object(h).get(key)

    def item(self, h: int, index: int) -> int | None:
        items = self._array(h)
        return items[index] if index < len(items) else None

    def scalar(self, h: int) -> str | None:
        """A scalar as written (a string decoded, ``true``, ``1.50`` as they stand), as the YAML composer gives it."""
        if self.text.startswith('"', h):
            return str(scanstring(self.text, h + 1, False)[0])
        if self.text[h] in "{[":
            return None
        return self.text[h : self._end(h)]

    def members(self, h: int) -> Iterator[tuple[str | None, int]]:
        for key, (_, v) in self._object(h).items():
            yield key, v

    def yaml_node(self, h: int) -> yaml.Node | None:
        """The element at ``h`` composed by the YAML parser, with the marks it has in the whole text."""
        line, column = self.line_column(h)
        part = self.text[h : self._end(h)].replace("\t", " ")
        for attempt in (part, _json_safe(part)):
            loader = yaml.CSafeLoader("\n" * line + " " * column + attempt)
            try:
                node: yaml.Node | None = loader.get_single_node()
                return node
            except yaml.YAMLError:
                continue
            finally:
                loader.dispose()
        return None


class _Unreadable:
    """A file that has no tree (missing, or neither YAML nor JSON)."""


_UNREADABLE = _Unreadable()


class DocumentPositions:
    """Positions in the YAML/JSON files of one ``Source``; each file gets one tree, kept on the source."""

    def __init__(self, source: Source) -> None:
        self.source = source

    def tree(self, rel: PurePosixPath) -> _Tree | None:
        kept = self.source.composed.get(rel)
        if isinstance(kept, (_YamlTree, JsonIndex)):
            return kept
        if kept is _UNREADABLE:
            return None
        tree: _Tree | None
        if isinstance(kept, yaml.Node):  # composed while parsing (a YAML document)
            tree = _YamlTree(kept)
        else:
            tree = self._read(rel)
        self.source.composed[rel] = _UNREADABLE if tree is None else tree
        return tree

    def _read(self, rel: PurePosixPath) -> _Tree | None:
        try:
            data = self.source.read(rel)
        except CdcompatError:
            return None
        text = data.decode("utf-8-sig", "replace")
        if text.lstrip()[:1] in ("{", "["):
            # parsed by the loader and nothing composed: the JSON parser read it; else find out
            if rel in self.source.parsed or _is_json(text):
                return JsonIndex(text)
        loader = yaml.CSafeLoader(text)
        try:
            node = loader.get_single_node()
        except yaml.YAMLError:
            return None
        finally:
            loader.dispose()
        return _YamlTree(node) if node is not None else None

    def _file_of(self, base: PurePosixPath, name: str) -> PurePosixPath | None:
        try:
            return self.source.resolve(base, unquote(name))
        except CdcompatError:
            return None

    def _target(self, location: str) -> tuple[PurePosixPath, list[str]] | None:
        """The file and pointer segments of ``location`` (a pointer into the main file, or ``file#pointer``)."""
        file, ptr = split_location(location)
        rel = self._file_of(self.source.rel, file) if file else self.source.rel
        return (rel, _segments(ptr)) if rel is not None else None

    def locate(self, location: str) -> Position | None:
        """The position of ``location`` (a pointer into the main file, or ``file#pointer`` relative to it)."""
        target = self._target(location)
        return self.walk(*target) if target is not None else None

    def _element(self, location: str) -> tuple[PurePosixPath, _Tree, Any] | None:
        target = self._target(location)
        hit = self._walk(*target) if target is not None else None
        return (hit[0], hit[1], hit[2]) if hit is not None and hit[3] else None

    def node(self, location: str) -> yaml.Node | None:
        """The composed node at ``location`` (following ``$ref``s like ``locate``), or None when it is not there."""
        found = self._element(location)
        return found[1].yaml_node(found[2]) if found is not None else None

    def annotations(self, location: str) -> dict[str, str]:
        """The scalar keys of the mapping at ``location`` (``deprecated``, ``x-sunset``...), as written."""
        found = self._element(location)
        if found is None:
            return {}
        rel, tree, h = found
        if tree.shape(h) != MAPPING:
            return {}
        own = _scalars(tree, h)
        ref = tree.member(h, "$ref")
        value = tree.scalar(ref[1]) if ref is not None else None
        if value is None:
            return own
        target = self._follow(rel, value)
        if target is not None and target[1].shape(target[2]) == MAPPING:
            return {**_scalars(target[1], target[2]), **own}
        return own

    def _walk(self, rel: PurePosixPath, segments: list[str]) -> tuple[PurePosixPath, _Tree, Any, bool, Any] | None:
        """(file, tree, element, whole pointer found, mark of the last key) for ``segments`` from the root of
        ``rel``."""
        try:
            return self._walk_tree(rel, segments)
        except ValueError:  # a JSON text broken where the walk passes (the loader read it, so not expected)
            return None

    def _walk_tree(self, rel: PurePosixPath, segments: list[str]) -> tuple[PurePosixPath, _Tree, Any, bool, Any] | None:
        tree = self.tree(rel)
        if tree is None:
            return None
        h = tree.root()
        here = tree.start(h)
        hops = 0
        i = 0
        while i < len(segments):
            seg = segments[i]
            child: Any = None
            mark: Any = None
            shape = tree.shape(h)
            if shape == MAPPING:
                got = tree.member(h, seg)
                if got is not None:
                    mark, child = got
                else:
                    ref = tree.member(h, "$ref")
                    value = tree.scalar(ref[1]) if ref is not None else None
                    if value is not None and hops < MAX_REF_HOPS:
                        hops += 1
                        target = self._follow(rel, value)
                        if target is not None:
                            rel, tree, h = target
                            continue
            elif shape == SEQUENCE and seg.isdigit():
                child = tree.item(h, int(seg))
                if child is not None:
                    mark = tree.start(child)
            if child is None:
                return rel, tree, h, False, here
            h, here = child, mark
            i += 1
        return rel, tree, h, True, here

    def walk(self, rel: PurePosixPath, segments: list[str]) -> Position | None:
        hit = self._walk(rel, segments)
        if hit is None:
            return None
        line, column = hit[1].line_column(hit[4])
        return Position(self.source.describe(hit[0]), line + 1, column + 1, hit[3])

    def _follow(self, rel: PurePosixPath, ref: str) -> tuple[PurePosixPath, _Tree, Any] | None:
        url, _, fragment = ref.partition("#")
        if url:
            if "://" in url:
                return None
            target = self._file_of(rel, url)
            if target is None:
                return None
            rel = target
        tree = self.tree(rel)
        if tree is None:
            return None
        h: Any = tree.root()
        for seg in _segments(unquote(fragment)):
            shape = tree.shape(h)
            if shape == MAPPING:
                got = tree.member(h, seg)
                h = got[1] if got is not None else None
            elif shape == SEQUENCE and seg.isdigit():
                h = tree.item(h, int(seg))
            else:
                h = None
            if h is None:
                return None
        return rel, tree, h


def _scalars(tree: _Tree, h: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, v in tree.members(h):
        value = tree.scalar(v)
        if key is not None and value is not None:
            out[key] = value
    return out


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True
