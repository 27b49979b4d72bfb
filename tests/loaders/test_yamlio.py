from __future__ import annotations

import pytest

from pytest_cdcompat.core.errors import CdcompatError, ContractLoadError
from pytest_cdcompat.sources.yamlio import MAX_DEPTH, parse


def test_yaml_1_2_scalars():
    doc = parse(
        b"enum: [on, off, yes, no, y, n, Yes, NO]\n"
        b"typed: [true, False, TRUE, null, ~, Null, 0o17, 0x1f, 017, 1.5, .inf, -.Inf, 1e3, 12]\n"
        b"date: 2001-12-14\nempty:\n",
        "a.yaml",
    )
    assert doc["enum"] == ["on", "off", "yes", "no", "y", "n", "Yes", "NO"]
    assert doc["typed"][:6] == [True, False, True, None, None, None]
    assert doc["typed"][6:10] == [15, 31, 17, 1.5]
    assert doc["typed"][10] == float("inf") and doc["typed"][11] == float("-inf")
    assert doc["typed"][12] == 1000.0 and isinstance(doc["typed"][13], int)
    assert doc["date"] == "2001-12-14"
    assert doc["empty"] is None
    nan = parse(b"x: .nan\n", "a.yaml")["x"]
    assert nan != nan


def test_merge_keys_are_kept():
    doc = parse(b"base: &b {type: string, maxLength: 3}\nuse:\n  <<: *b\n  maxLength: 5\n", "a.yaml")
    assert doc["use"] == {"type": "string", "maxLength": 5}


def test_json_goes_through_json():
    assert parse(b'{"a": [1, 2.5, "on", true, null]}', "a.json") == {"a": [1, 2.5, "on", True, None]}


@pytest.mark.parametrize(
    ("data", "label", "expected"),
    [
        (b"a: 1\nb: 2\na: 3\n", "x.yaml", "x.yaml:3:1: invalid YAML: duplicate key 'a'"),
        (b"a: [1, 2\nb: 3\n", "x.yaml", "x.yaml:2:"),
        (b"a:\n  - b\n c: d\n", "x.yaml", "x.yaml:3:"),
        (b'{"a": 1,\n "b": }', "x.json", "x.json:2:7: invalid JSON"),
        (b'{"a": 1, "a": 2}', "x.json", "x.json:1:10: invalid JSON: duplicate key 'a'"),
        (b"", "x.yaml", "x.yaml: the file is empty"),
        (b"  \n\n", "x.yaml", "x.yaml: the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "x.yaml", "x.yaml: binary file"),
        (b"a: \xff\xfe\xfa\n", "x.yaml", "x.yaml:1:4: not UTF-8 text"),
        (b"a: &x [1, *x]\n", "x.yaml", "x.yaml:1:11: recursive alias *x"),
        (b"a: *nope\n", "x.yaml", "x.yaml:1:4: undefined alias"),
        (b"--- a\n--- b\n", "x.yaml", "x.yaml:2:1: invalid YAML"),
    ],
)
def test_bad_input_is_one_clear_error(data, label, expected):
    with pytest.raises(ContractLoadError) as info:
        parse(data, label)
    assert expected in str(info.value)
    assert isinstance(info.value, CdcompatError)


def test_billion_laughs_fails_fast():
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    bomb = ("\n".join(lines) + "\n").encode()
    assert len(bomb) < 1100
    with pytest.raises(ContractLoadError, match="alias bomb") as info:
        parse(bomb, "bomb.yaml")  # refused before expansion (the time is measured in benchmarks/)
    assert str(info.value).startswith("bomb.yaml:")


def test_a_few_aliases_are_fine():
    doc = parse(b"a: &s {type: string}\nb: *s\nc: [*s, *s]\n", "a.yaml")
    assert doc["b"] == doc["c"][1] == {"type": "string"}


@pytest.mark.parametrize("style", ["flow", "block", "json"])
def test_nesting_10000_deep_is_an_error_not_a_crash(style):
    n = 10_000
    if style == "flow":
        data, label = ("a: " + "[" * n + "]" * n + "\n").encode(), "deep.yaml"
    elif style == "block":
        data, label = "".join(" " * i + "k:\n" for i in range(n)).encode() + b" " * n + b"v\n", "deep.yaml"
    else:
        data, label = ('{"a":' * n + "1" + "}" * n).encode(), "deep.json"
    with pytest.raises(ContractLoadError, match=f"nesting deeper than {MAX_DEPTH} levels") as info:
        parse(data, label)
    assert info.value.path == label and info.value.line is not None and info.value.column is not None
    if style == "block":
        assert info.value.line == MAX_DEPTH + 1  # the first line nested one level too deep
    else:
        # the bracket that opens level MAX_DEPTH + 1 (the top mapping is level 1; each '{"a":' is 5 characters)
        expected = 3 + MAX_DEPTH if style == "flow" else 5 * MAX_DEPTH + 1
        if style == "flow":
            # PyYAML 6.0.4's libyaml stops deep flow nesting itself while scanning ahead (at its own limit of
            # 1,000 levels), before our event scan reaches level MAX_DEPTH + 1: the place is then libyaml's
            assert info.value.line == 1 and expected <= info.value.column <= 3 + 1_001
        else:
            assert (info.value.line, info.value.column) == (1, expected)


def test_moderate_nesting_is_fine():
    n = MAX_DEPTH - 5
    value = parse(("[" * n + "]" * n).encode(), "ok.yaml")
    for _ in range(n - 1):
        value = value[0]
    assert value == []


def test_byte_order_marks():
    text = "enum: [yes, no]\n"
    assert parse(b"\xef\xbb\xbf" + text.encode(), "a.yaml") == {"enum": ["yes", "no"]}
    assert parse(text.encode("utf-16"), "a.yaml") == {"enum": ["yes", "no"]}


# Documents are built straight from libyaml's nodes when they hold only core-schema scalars, plain mappings and
# sequences; everything else goes through PyYAML's constructor. Both must give the same data.
CONSTRUCTION_CASES = [
    b"a: 1\nb: [x, 2.5, true, FALSE, null, ~, '', 0x1f, 0o7, -.inf]\nc: {d: {e: [[], {}]}}\n",
    b"200: ok\n1.5: f\ntrue: t\nnull: n\n",  # scalar keys become JSON's strings
    b"base: &b {type: string, maxLength: 3}\nuse:\n  <<: *b\n  maxLength: 5\n",  # merge key
    b"s: !!str 123\nb: !!binary aGk=\nset: !!set {a, b}\nfloat: !!float 1\n",  # explicit tags
    b"a: &x {k: [1, 2]}\nb: *x\nc: [*x, *x]\n",  # aliases
    b"q: 'on'\nbig: 123456789012345678901234567890\nexp: 1e3\nplain: yes\n",
    b"- a\n- - b\n  - c\n- {d: e}\n",
    b"just a string\n",
]


@pytest.mark.parametrize("data", CONSTRUCTION_CASES)
def test_direct_construction_gives_what_the_constructor_gives(data: bytes) -> None:
    import json

    from pytest_cdcompat.sources.yamlio import Yaml12Loader

    loader = Yaml12Loader(data.decode())
    try:
        expected = loader.get_single_data()
    finally:
        loader.dispose()
    got = parse(data, "a.yaml")
    assert got == expected
    assert json.dumps(got, default=repr) == json.dumps(expected, default=repr)  # same key order, same types


def test_aliases_share_one_value() -> None:
    doc = parse(b"a: &x {k: [1, 2]}\nb: *x\n", "a.yaml")
    assert doc["a"] is doc["b"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a: 1\nb: {c: 2, c: 3}\n", "x.yaml:2:11: invalid YAML: duplicate key 'c'"),
        (b"a: 1\n1: x\n'1': y\n", "x.yaml:3:1: invalid YAML: duplicate key '1'"),
        (b"a: !custom 1\n", "x.yaml:1:4: invalid YAML: could not determine a constructor for the tag '!custom'"),
    ],
)
def test_irregular_documents_keep_the_constructor_errors(data: bytes, expected: str) -> None:
    with pytest.raises(ContractLoadError) as e:
        parse(data, "x.yaml")
    assert str(e.value).startswith(expected)


def test_plain_documents_skip_the_slow_constructor(monkeypatch: pytest.MonkeyPatch) -> None:
    from pytest_cdcompat.sources.yamlio import Yaml12Loader

    def refuse(self: object, node: object) -> object:
        raise AssertionError("PyYAML's constructor was used for a plain document")

    monkeypatch.setattr(Yaml12Loader, "construct_document", refuse)
    doc = parse(b"openapi: 3.1.0\nflags: [true, False, null]\nn: [1, 2.5]\n'200': {a: &x [1]}\nb: *x\n", "a.yaml")
    assert doc == {"openapi": "3.1.0", "flags": [True, False, None], "n": [1, 2.5], "200": {"a": [1]}, "b": [1]}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a: 1\nwhen: !!timestamp x\n", "f.yaml:2:7: invalid YAML: cannot read the value 'x' tagged !!timestamp"),
        (
            b"- ok\n- !!timestamp 2020-13-45\n",
            "f.yaml:2:3: invalid YAML: cannot read the value '2020-13-45' tagged !!timestamp",
        ),
    ],
)
def test_a_value_its_explicit_tag_cannot_build_is_one_located_error(data, expected):
    with pytest.raises(ContractLoadError) as e:
        parse(data, "f.yaml")
    assert str(e.value) == expected
