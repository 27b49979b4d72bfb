"""Where an element of a YAML or JSON document is: a JSON pointer mapped back to a file, line and column.

Findings name what they are about by JSON pointer (``/paths/~1orders/post/.../properties/total``), possibly in
another file (``common.yaml#/components/schemas/Money``). A CI annotation needs a file and a line. The loaders parse
with libyaml into plain data (fast, no marks kept), so positions are recovered only when a report has findings: the
files are composed once more by the same C parser (``CSafeLoader.compose``: node trees with start marks, no scalar
resolution, so YAML 1.2 keys such as ``on`` or ``200`` are the strings they are written as) and the pointer is
walked through the node tree. Where the pointer leaves a mapping through a ``$ref`` (a key the mapping does not
have, and a ``$ref`` beside it), the walk follows the reference, into another file of the same source when it
names one, so an element reached through ``$ref`` is located where it is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote

import yaml

from pytest_cdcompat.core.errors import CdcompatError
from pytest_cdcompat.sources.source import Source

__all__ = ["DocumentPositions", "Position", "split_location"]

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


class DocumentPositions:
    """Positions in the YAML/JSON files of one ``Source``; each file is composed at most once."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self._trees: dict[PurePosixPath, yaml.Node | None] = {}

    def tree(self, rel: PurePosixPath) -> yaml.Node | None:
        if rel not in self._trees:
            self._trees[rel] = self._compose(rel)
        return self._trees[rel]

    def _compose(self, rel: PurePosixPath) -> yaml.Node | None:
        kept = self.source.composed.pop(rel, None)  # composed already while parsing (a YAML document)
        if kept is not None:
            return kept  # type: ignore[no-any-return]
        try:
            data = self.source.read(rel)
        except CdcompatError:
            return None
        text = data.decode("utf-8-sig", "replace")
        if "\t" in text and text.lstrip()[:1] in "{[":
            text = text.replace("\t", " ")  # JSON may indent with tabs; YAML may not (columns stay the same)
        for attempt in (text, _json_safe(text)):
            loader = yaml.CSafeLoader(attempt)
            try:
                return loader.get_single_node()
            except yaml.YAMLError:
                if attempt is not text or text.lstrip()[:1] not in "{[":
                    return None
            finally:
                loader.dispose()
        return None

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

    def node(self, location: str) -> yaml.Node | None:
        """The composed node at ``location`` (following ``$ref``s like ``locate``), or None when it is not there."""
        target = self._target(location)
        hit = self._walk(*target) if target is not None else None
        return hit[1] if hit is not None and hit[2] else None

    def annotations(self, location: str) -> dict[str, str]:
        """The scalar keys of the mapping at ``location`` (``deprecated``, ``x-sunset``...), as written."""
        node = self.node(location)
        if isinstance(node, yaml.MappingNode) and _mapping_get(node, "$ref") is not None:
            target = self._follow(self.source.rel, str(_mapping_get(node, "$ref")[1].value))  # type: ignore[index]
            own = {k.value: v.value for k, v in node.value if isinstance(v, yaml.ScalarNode)}
            if target is not None and isinstance(target[1], yaml.MappingNode):
                base = {k.value: v.value for k, v in target[1].value if isinstance(v, yaml.ScalarNode)}
                return {**base, **own}
            return own
        if not isinstance(node, yaml.MappingNode):
            return {}
        return {
            k.value: v.value for k, v in node.value if isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode)
        }

    def _walk(self, rel: PurePosixPath, segments: list[str]) -> tuple[PurePosixPath, yaml.Node, bool, Any] | None:
        """(file, node, whole pointer found, mark of the last key) for ``segments`` from the root of ``rel``."""
        node = self.tree(rel)
        if node is None:
            return None
        here = node.start_mark
        hops = 0
        i = 0
        while i < len(segments):
            seg = segments[i]
            child: yaml.Node | None = None
            mark: Any = None
            if isinstance(node, yaml.MappingNode):
                got = _mapping_get(node, seg)
                if got is not None:
                    mark, child = got[0].start_mark, got[1]
                else:
                    ref = _mapping_get(node, "$ref")
                    if ref is not None and isinstance(ref[1], yaml.ScalarNode) and hops < MAX_REF_HOPS:
                        hops += 1
                        target = self._follow(rel, str(ref[1].value))
                        if target is not None:
                            rel, node = target
                            continue
            elif isinstance(node, yaml.SequenceNode) and seg.isdigit() and int(seg) < len(node.value):
                child = node.value[int(seg)]
                mark = child.start_mark
            if child is None:
                return rel, node, False, here
            node, here = child, mark
            i += 1
        return rel, node, True, here

    def walk(self, rel: PurePosixPath, segments: list[str]) -> Position | None:
        hit = self._walk(rel, segments)
        if hit is None:
            return None
        return self._position(hit[0], hit[3], exact=hit[2])

    def _follow(self, rel: PurePosixPath, ref: str) -> tuple[PurePosixPath, yaml.Node] | None:
        url, _, fragment = ref.partition("#")
        if url:
            if "://" in url:
                return None
            target = self._file_of(rel, url)
            if target is None:
                return None
            rel = target
        node = self.tree(rel)
        for seg in _segments(unquote(fragment)):
            if isinstance(node, yaml.MappingNode):
                got = _mapping_get(node, seg)
                node = got[1] if got is not None else None
            elif isinstance(node, yaml.SequenceNode) and seg.isdigit() and int(seg) < len(node.value):
                node = node.value[int(seg)]
            else:
                node = None
            if node is None:
                return None
        return (rel, node) if node is not None else None

    def _position(self, rel: PurePosixPath, mark: Any, *, exact: bool) -> Position:
        return Position(self.source.describe(rel), mark.line + 1, mark.column + 1, exact)
