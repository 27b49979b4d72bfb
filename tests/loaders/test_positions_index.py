"""Positions in JSON documents come from ``JsonIndex``, which reads the text only along the pointer asked for.

The lines and columns are the ones a finding has always carried (the YAML composer's marks for a JSON text): these
tests pin them by hand for escapes, arrays, line endings, a BOM and non-ASCII text, and check them against the
composer on documents that mix all of it. YAML documents keep the node tree composed while parsing; nothing is
composed a second time.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from pytest_cdcompat.sources import positions
from pytest_cdcompat.sources.documents import parse_main
from pytest_cdcompat.sources.positions import DocumentPositions, JsonIndex, Position
from pytest_cdcompat.sources.source import file_source


def at(text: str, pointer: str) -> tuple[int, int, bool] | None:
    """(line, column, exact) of ``pointer`` in the JSON ``text``, 1-based, through a file as a report reads it."""
    idx = JsonIndex(text)
    segments = positions._segments(pointer)
    h = idx.root()
    mark = idx.start(h)
    for seg in segments:
        shape = idx.shape(h)
        child = None
        if shape == positions.MAPPING:
            got = idx.member(h, seg)
            if got is not None:
                mark, child = got
        elif shape == positions.SEQUENCE and seg.isdigit():
            child = idx.item(h, int(seg))
            mark = child if child is not None else mark
        if child is None:
            line, col = idx.line_column(mark)
            return line + 1, col + 1, False
        h = child
    line, col = idx.line_column(mark)
    return line + 1, col + 1, True


def locate(tmp_path: Path, name: str, data: bytes, pointer: str) -> Position | None:
    (tmp_path / name).write_bytes(data)
    src = file_source(str(tmp_path / name), allow_outside=False, root=None)
    parse_main(src)
    return DocumentPositions(src).locate(pointer)


DOC = '{\n  "a/b": {"m~n": 1},\n  "k\\u00e9y": [10, {"q\\"uote": true}],\n  "plain": {"x": {"y": "z"}}\n}\n'


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [
        ("", (1, 1, True)),  # the document itself: its opening brace
        ("/a~1b", (2, 3, True)),  # "~1" is "/" in the key; the position is the key's opening quote
        ("/a~1b/m~0n", (2, 11, True)),  # "~0" is "~"
        ("/k\u00e9y", (3, 3, True)),  # the key is written with a \u00e9 escape
        ("/k\u00e9y/0", (3, 16, True)),  # an array item: its first character
        ('/k\u00e9y/1/q"uote', (3, 21, True)),  # an escaped quote in a key
        ("/plain/x/y", (4, 19, True)),
        ("/plain/x/nope/deeper", (4, 13, False)),  # only a prefix exists: the nearest enclosing key
        ("/k\u00e9y/7", (3, 3, False)),  # past the end of an array
        ("/k\u00e9y/x", (3, 3, False)),  # not an index
    ],
)
def test_pointer_positions_by_hand(pointer, expected):
    assert at(DOC, pointer) == expected


def test_a_repeated_key_is_the_last_one_as_json_reads_it():
    text = '{"a": {"v": 1},\n "a": {"v": 2}}'
    assert json.loads(text)["a"] == {"v": 2}
    assert at(text, "/a") == (2, 2, True)
    assert at(text, "/a/v") == (2, 8, True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{\r\n  "a": 1,\r\n  "b": 2\r\n}', (3, 3)),  # CRLF is one line break
        ('{\r  "a": 1,\r  "b": 2\r}', (3, 3)),  # so is a lone CR (old Mac files), as for the YAML composer
        ('{"s": "x\u2028y", "b": 2}', (2, 5)),  # U+2028 in a string ends a line for YAML: kept so
        ('{"s": "x\x85y",\n "b": 2}', (3, 2)),  # U+0085 (NEL) too
    ],
)
def test_line_endings(text, expected):
    line, column, exact = at(text, "/b")  # type: ignore[misc]
    assert exact and (line, column) == expected


def test_non_ascii_before_the_target_counts_characters_not_bytes():
    # "é" is 2 bytes in UTF-8 and one character; the emoji is 4 bytes, one character (2 UTF-16 units)
    text = '{"é😀": 1, "b": 2}'
    assert at(text, "/b") == (1, 11, True)


def test_a_bom_is_not_counted(tmp_path):
    data = '\ufeff{"a": 1,\n "b": {"c": 2}}'.encode()
    assert at(data.decode("utf-8"), "/b/c") == (2, 8, True)  # a text that still holds the BOM
    pos = locate(tmp_path, "bom.json", data, "/b/c")  # a file with one, decoded as the loader decodes it
    assert pos is not None and (pos.line, pos.column, pos.exact) == (2, 8, True)


def _pointers(value: object, ptr: str = "") -> list[str]:
    out = [ptr]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _pointers(v, f"{ptr}/{k.replace('~', '~0').replace('/', '~1')}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _pointers(v, f"{ptr}/{i}")
    return out


def _composer_marks(text: str) -> dict[str, tuple[int, int]]:
    """pointer -> (line, column) of each element's key (or item) as the YAML composer marks them."""
    node = yaml.CSafeLoader(text).get_single_node()
    out = {"": (node.start_mark.line + 1, node.start_mark.column + 1)}
    stack = [(node, "")]
    while stack:
        n, ptr = stack.pop()
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                p = f"{ptr}/{k.value.replace('~', '~0').replace('/', '~1')}"
                out[p] = (k.start_mark.line + 1, k.start_mark.column + 1)
                stack.append((v, p))
        elif isinstance(n, yaml.SequenceNode):
            for i, v in enumerate(n.value):
                out[f"{ptr}/{i}"] = (v.start_mark.line + 1, v.start_mark.column + 1)
                stack.append((v, f"{ptr}/{i}"))
    return out


MIXED = (
    '{"openapi": "3.0.3",\r\n\t"paths": {"/a~b": {"get": {"x-é": "ü\u2028ß", "responses": {"200": {"d": [1, 2.5e3,'
    ' null, "\\"", {"k": false}]}}}}},\n  "n": [[], {}, [[{"deep": "\\u00e9\\n"}]]],\r  "last": "done"}\n'
)


@pytest.mark.parametrize("text", [DOC, MIXED, json.dumps({"a": [{"b": {"c": [1, {"d": "é"}]}}] * 3}, indent=2)])
def test_every_element_where_the_composer_marks_it(text):
    expected = _composer_marks(text)
    pointers = _pointers(json.loads(text))
    assert set(pointers) == set(expected)
    for ptr in pointers:
        assert at(text, ptr) == (*expected[ptr], True), ptr


def test_only_the_objects_on_the_path_are_scanned():
    text = json.dumps({"big": {f"k{i}": {"v": [i] * 5} for i in range(200)}, "a": {"b": {"c": 1}, "z": {"y": 2}}})
    idx = JsonIndex(text)
    root = idx.root()
    a = idx.member(root, "a")
    assert a is not None
    b = idx.member(a[1], "b")
    assert b is not None and idx.member(b[1], "c") is not None
    assert set(idx._objects) == {root, a[1], b[1]}  # "big" and its 200 objects were skipped, not indexed


def test_scalars_as_written_and_annotations(tmp_path):
    text = '{"x": {"deprecated": true, "x-sunset": "2025-01-01", "n": 1.50, "z": null, "o": {"p": 1}}}'
    idx = JsonIndex(text)
    x = idx.member(idx.root(), "x")
    assert x is not None
    assert dict((k, idx.scalar(v)) for k, v in idx.members(x[1])) == {
        "deprecated": "true", "x-sunset": "2025-01-01", "n": "1.50", "z": "null", "o": None,
    }  # fmt: skip
    (tmp_path / "doc.json").write_text(text)
    src = file_source(str(tmp_path / "doc.json"), allow_outside=False, root=None)
    notes = DocumentPositions(src).annotations("/x")
    assert notes == {"deprecated": "true", "x-sunset": "2025-01-01", "n": "1.50", "z": "null"}


def test_node_of_a_json_element_has_the_marks_of_the_whole_document(tmp_path):
    text = '{\n  "a": [1,\n    {"x-cd-compat-allow": ["rule-a"],\n     "k": "v"}]}\n'
    (tmp_path / "doc.json").write_text(text)
    src = file_source(str(tmp_path / "doc.json"), allow_outside=False, root=None)
    node = DocumentPositions(src).node("/a/1")
    whole = yaml.CSafeLoader(text).get_single_node().value[0][1].value[1]
    assert isinstance(node, yaml.MappingNode)
    assert [(k.value, k.start_mark.line, k.start_mark.column) for k, _ in node.value] == [
        (k.value, k.start_mark.line, k.start_mark.column) for k, _ in whole.value
    ]
    assert (node.value[0][0].start_mark.line, node.value[0][0].start_mark.column) == (2, 5)


def test_ref_into_another_json_file(tmp_path):
    (tmp_path / "main.json").write_text('{"paths": {"/o": {"$ref": "parts/o.json#/item"}}}')
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "o.json").write_text('{\n  "item": {\n    "get": {"summary": "s"}\n  }\n}')
    src = file_source(str(tmp_path / "main.json"), allow_outside=False, root=None)
    parse_main(src)
    pos = DocumentPositions(src).locate("/paths/~1o/get/summary")
    assert pos is not None
    assert (pos.file.endswith("parts/o.json"), pos.line, pos.column, pos.exact) == (True, 3, 13, True)


def _no_composing(monkeypatch):
    def refuse(*_a, **_k):
        raise AssertionError("composed again")

    monkeypatch.setattr(positions.yaml, "CSafeLoader", refuse)


def test_json_is_never_composed_for_a_position(tmp_path, monkeypatch):
    (tmp_path / "doc.json").write_text('{"a": {"b": 1}}')
    src = file_source(str(tmp_path / "doc.json"), allow_outside=False, root=None)
    parse_main(src)
    _no_composing(monkeypatch)
    pos = DocumentPositions(src).locate("/a/b")
    assert pos is not None and (pos.line, pos.column) == (1, 8)


def test_yaml_is_composed_once_for_every_reader(tmp_path, monkeypatch):
    (tmp_path / "doc.yaml").write_text("a:\n  b: 1\n  deprecated: true\n")
    src = file_source(str(tmp_path / "doc.yaml"), allow_outside=False, root=None)
    parse_main(src)  # the loader composes it, and keeps the node tree
    _no_composing(monkeypatch)
    first = DocumentPositions(src).locate("/a/b")
    second = DocumentPositions(src)  # another reader of the same source (inline waivers, deprecation notes)
    assert first is not None and (first.line, first.column) == (2, 3)
    assert second.annotations("/a") == {"b": "1", "deprecated": "true"}
    again = second.locate("/a/b")
    assert again is not None and (again.line, again.column) == (2, 3)


def test_a_flow_yaml_file_that_is_not_json_is_still_located(tmp_path):
    (tmp_path / "doc.yaml").write_text("{a: {b: 1},\n c: [x, y]}\n")
    src = file_source(str(tmp_path / "doc.yaml"), allow_outside=False, root=None)
    pos = DocumentPositions(src).locate("/c/1")  # not parsed before: found to be YAML, composed
    assert pos is not None and (pos.line, pos.column, pos.exact) == (2, 9, True)
