"""Parse one contract file (YAML 1.2 or JSON) into plain Python data, safely.

Why not ``yaml.safe_load``: PyYAML implements YAML 1.1, where ``on``/``off``/``yes``/``no``/``y``/``n`` are booleans
and ``010`` is octal, so ``enum: [yes, no]`` silently becomes ``[True, False]``. OpenAPI 3.1 and JSON Schema are
YAML 1.2 documents, so our loader subclasses the C loader (libyaml, 10x faster than pure Python) and replaces its
implicit resolvers with the YAML 1.2 core schema. Merge keys (``<<: *base``) are kept: they are common in hand-written
specs and cannot be confused with data.

Why a pre-scan: libyaml composes nodes recursively in C, so 100,000 nested ``[`` crash the interpreter, and aliases
let a 1 KB file stand for a billion nodes (the "billion laughs"), which every later stage would expand. A first pass
over the event stream (iterative, ~0.1 s for a 3 MB spec) measures nesting depth and the alias-expanded size before
anything is composed. JSON goes through ``json`` (far faster, and JSON is YAML 1.2) with duplicate keys refused.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

import yaml

from pytest_cdcompat.core.errors import ContractLoadError

MAX_DEPTH = 200  # real specs nest < 50 levels; later stages walk schemas recursively
MAX_EXPANDED_NODES = 2_000_000  # a 4 MB Stripe spec has ~300k; aliases may not multiply a document past this

__all__ = ["MAX_DEPTH", "MAX_EXPANDED_NODES", "Yaml12Loader", "parse", "yaml_error"]


class Yaml12Loader(yaml.CSafeLoader):
    """libyaml's parser with YAML 1.2 core-schema scalars and duplicate keys refused."""


Yaml12Loader.yaml_implicit_resolvers = {}  # own table: the YAML 1.1 resolvers of the base class are not inherited


def _implicit(tag: str, pattern: str, first: list[str]) -> None:
    Yaml12Loader.add_implicit_resolver(tag, re.compile(pattern, re.X), first)


_implicit("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])
_implicit("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF"))
_implicit("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789"))
_implicit(
    "tag:yaml.org,2002:float",
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
    list("-+0123456789."),
)
_implicit("tag:yaml.org,2002:merge", r"^(?:<<)$", ["<"])


MAX_INT_DIGITS = 4000  # under Python's own 4,300-digit conversion limit; no contract needs more than a few dozen


def _number_problem(text: str) -> str | None:
    """Why a number literal cannot be a contract's number: too many digits, or a float overflowing to infinity."""
    digits = sum(c.isdigit() for c in text)
    if digits > MAX_INT_DIGITS:
        return f"a number of {digits:,} digits is too large (at most {MAX_INT_DIGITS:,} digits)"
    if any(c in text for c in ".eE") and not text.lower().lstrip("+-").startswith(".inf"):
        try:
            value = float(text)
        except ValueError:
            return None
        if math.isinf(value):
            return f"the number {text[:40]} is out of range (larger than a 64-bit float: it would be infinity)"
    return None


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node)).replace("_", "")
    if (problem := _number_problem(text)) is not None:
        raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark)
    if text.startswith(("0o", "0O")):
        return int(text[2:], 8)
    if text.startswith(("0x", "0X")):
        return int(text[2:], 16)
    try:
        return int(text, 10)
    except ValueError:
        raise yaml.constructor.ConstructorError(None, None, f"not an integer: {text!r}", node.start_mark) from None


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    text = str(loader.construct_scalar(node)).replace("_", "")
    low = text.lower()
    if low in (".inf", "+.inf"):
        return float("inf")
    if low == "-.inf":
        return float("-inf")
    if low == ".nan":
        return float("nan")
    if (problem := _number_problem(text)) is not None:
        raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark)
    try:
        return float(text)
    except ValueError:
        raise yaml.constructor.ConstructorError(None, None, f"not a number: {text!r}", node.start_mark) from None


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Iterator[dict[str, Any]]:
    """Duplicate keys are an error; scalar keys become strings (JSON's data model: ``200:`` is ``"200"``)."""
    seen: set[str] = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        if isinstance(key_node, yaml.ScalarNode):
            key = _key(loader.construct_object(key_node))
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
    data: dict[str, Any] = {}
    yield data
    data.update({_key(k): v for k, v in loader.construct_mapping(node).items()})


def _key(key: Any) -> Any:
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    if isinstance(key, (int, float)):
        return str(key)
    return key


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
Yaml12Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
Yaml12Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


_STR, _NULL, _BOOL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool"
_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_MAP, _SEQ, _MERGE = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:merge"


class _Irregular(Exception):
    """A node the direct construction leaves to PyYAML's constructor (and its error messages)."""


def _construct(loader: Yaml12Loader, root: yaml.Node) -> Any:
    """The document's data, built straight from the composed nodes when they hold only the core schema's scalars,
    plain mappings and sequences (every contract in practice): PyYAML's constructor goes through a generator and a
    dispatch per node and took most of a large document's parse. Anything else (an explicit tag, a merge key, a
    duplicate or non-scalar key, a bad number) is built again by the full constructor, which gives the same data
    and the same errors as before. Aliases share one value, as with the constructor; nesting is bounded by the
    pre-scan (``MAX_DEPTH``), so the recursion is too."""
    built: dict[int, Any] = {}
    numbers: Any = loader  # the number constructors registered on the loader (typed for PyYAML's pure loader)
    scalar, sequence, mapping = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode

    def build(node: Any) -> Any:
        key = id(node)
        if key in built:
            return built[key]
        kind, tag = type(node), node.tag
        if kind is scalar:
            if tag == _STR:
                value: Any = node.value
            elif tag == _NULL:
                value = None
            elif tag == _INT:
                value = _construct_int(numbers, node)
            elif tag == _FLOAT:
                value = _construct_float(numbers, node)
            elif tag == _BOOL and node.value in _BOOLS:
                value = _BOOLS[node.value]
            else:
                raise _Irregular
        elif kind is mapping and tag == _MAP:
            value = built[key] = {}
            for key_node, value_node in node.value:
                if type(key_node) is not scalar or key_node.tag == _MERGE:
                    raise _Irregular
                name = _key(build(key_node))
                if name in value:
                    raise _Irregular
                value[name] = build(value_node)
        elif kind is sequence and tag == _SEQ:
            value = built[key] = []
            value.extend(build(item) for item in node.value)
        else:
            raise _Irregular
        built[key] = value
        return value

    try:
        return build(root)
    except (_Irregular, yaml.YAMLError):
        pass
    try:
        return loader.construct_document(root)
    except (ValueError, TypeError, AttributeError, OverflowError) as e:
        # PyYAML's constructors of explicit tags raise plain exceptions on a bad value (``!!timestamp x``:
        # AttributeError, ``!!binary`` of bad base64: a TypeError): find the node and say where it is
        bad = _failing_scalar(loader, root)
        mark = bad.start_mark if bad is not None else None
        tag = f" tagged {bad.tag.replace('tag:yaml.org,2002:', '!!')}" if bad is not None else ""
        value = f" {bad.value!r}" if bad is not None else ""
        raise yaml.MarkedYAMLError(problem=f"cannot read the value{value}{tag}", problem_mark=mark) from e


def _failing_scalar(loader: Yaml12Loader, root: yaml.Node) -> Any:
    """The first scalar node PyYAML's constructor cannot build on its own, or ``None``."""
    work, seen = [root], set()
    while work:
        node = work.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            try:
                loader.construct_object(node, deep=True)
            except (ValueError, TypeError, AttributeError, OverflowError, yaml.YAMLError):
                return node
        elif isinstance(node, yaml.MappingNode):
            work.extend(n for pair in reversed(node.value) for n in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            work.extend(reversed(node.value))
    return None


_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


def decode(data: bytes, label: str) -> str:
    if not data.strip():
        raise ContractLoadError("the file is empty", path=label)
    if b"\0" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ContractLoadError("binary file (contains NUL bytes), not a YAML or JSON contract", path=label)
    for bom, codec in ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise ContractLoadError(
            f"not UTF-8 text (byte 0x{data[e.start]:02x}); is this a binary file?", path=label, line=line, column=col
        ) from None


def parse(data: bytes, label: str, *, prefer_json: bool = False, nodes: list[Any] | None = None) -> Any:
    """Parse ``data`` (the bytes of ``label``) into dicts, lists and scalars; a ``ContractLoadError`` on bad input.

    With ``nodes``, a YAML document's composed node tree (with its line and column marks) is appended to it.
    """
    text = decode(data, label)
    stripped = text.lstrip()
    if prefer_json or stripped[:1] in "{[":
        try:
            value = json.loads(
                text, object_pairs_hook=_json_object(), parse_int=_json_int, parse_float=_json_float,
                parse_constant=_json_constant,
            )  # fmt: skip
            return _check_size(value, label, text)
        except _BadNumber as e:
            raise _number_error(e.text, text, label) from None
        except json.JSONDecodeError as e:
            if prefer_json or label.endswith(".json"):
                raise ContractLoadError(f"invalid JSON: {e.msg}", path=label, line=e.lineno, column=e.colno) from None
        except RecursionError:
            raise _too_deep(text, label) from None
        except _DuplicateKey as e:
            # ``json`` cannot say where; JSON is YAML, and the YAML loader reports the duplicate with its position
            _prescan(text, label)
            try:
                Yaml12Loader(text).get_single_data()
            except yaml.MarkedYAMLError as located:
                mark = located.problem_mark
                if mark is not None and "duplicate key" in str(located.problem):
                    raise ContractLoadError(f"invalid JSON: {located.problem}", path=label, line=mark.line + 1,
                                            column=mark.column + 1) from None  # fmt: skip
            except yaml.YAMLError:
                pass
            raise ContractLoadError(f"invalid JSON: duplicate key {e.key!r}", path=label) from None
    _prescan(text, label)
    try:
        loader = Yaml12Loader(text)
        try:
            node = loader.get_single_node()
            if nodes is not None and node is not None:
                nodes.append(node)
            value = _construct(loader, node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as e:
        message, line, column = yaml_error(e, text)
        raise ContractLoadError(message, path=label, line=line, column=column) from None
    return value


def yaml_error(e: yaml.YAMLError, text: str) -> tuple[str, int | None, int | None]:
    """A PyYAML error as one message with its 1-based line and column (``None`` when PyYAML gives no place).

    ``str(e)`` is no message for a user: it spans two lines and names the stream, ``in "<unicode string>", line 3,
    column 5``, never the file. Every YAML reader of ours (contracts here, waiver files) reports through this, so
    the caller adds the file and the message reads ``file:line:column: invalid YAML: problem``."""
    if isinstance(e, yaml.MarkedYAMLError):
        mark = e.problem_mark or e.context_mark
        problem = e.problem or e.context or "syntax error"
        return f"invalid YAML: {problem}", mark.line + 1 if mark else None, mark.column + 1 if mark else None
    if isinstance(e, yaml.reader.ReaderError):
        position = max(0, min(int(getattr(e, "position", 0) or 0), len(text)))
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        char = getattr(e, "character", None)
        what = f"character U+{char:04X}" if isinstance(char, int) else "a character"
        reason = getattr(e, "reason", None) or "control characters are not allowed"
        return f"invalid YAML: {what} is not allowed ({reason})", line, column
    first = str(e).strip().splitlines()  # no other PyYAML error is raised while reading; one line all the same
    return f"invalid YAML: {first[0] if first else type(e).__name__}", None, None


class _BadNumber(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _json_int(text: str) -> int:
    if len(text) > MAX_INT_DIGITS:
        raise _BadNumber(text)
    return int(text)


def _json_float(text: str) -> float:
    value = float(text)
    if math.isinf(value) or len(text) > MAX_INT_DIGITS:
        raise _BadNumber(text)
    return value


def _json_constant(text: str) -> float:
    raise _BadNumber(text)  # NaN, Infinity, -Infinity: Python's json reads them, JSON has no such values


def _number_error(literal: str, text: str, label: str) -> ContractLoadError:
    """Where the number is (``json`` does not say), found by searching the text for the literal."""
    problem = _number_problem(literal) or f"{literal} is not a JSON number"
    at = text.find(literal)
    line = text.count("\n", 0, at) + 1 if at >= 0 else None
    column = at - (text.rfind("\n", 0, at) + 1) + 1 if at >= 0 else None
    return ContractLoadError(f"invalid JSON: {problem}", path=label, line=line, column=column)


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _json_object() -> Any:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    raise _DuplicateKey(key)
                seen.add(key)
        return out

    return hook


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_surrogates(value: Any, label: str) -> None:
    """JSON can spell a lone UTF-16 surrogate (``"\\ud800"``), which is no Unicode text: no encoder can write it,
    so it would end in a crash far from here. Refused with its JSON pointer (pairs are joined by ``json``)."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        node, ptr = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for k, v in items:
            here = f"{ptr}/{str(k).replace('~', '~0').replace('/', '~1')}"
            for text in (k, v):
                if isinstance(text, str) and _SURROGATE.search(text):
                    where = "key" if text is k else "string"
                    raise ContractLoadError(
                        f"{where} {text!r} holds a lone UTF-16 surrogate: not Unicode text", path=label, pointer=here
                    )
            if isinstance(v, (dict, list)):
                stack.append((v, here))


def _check_size(value: Any, label: str, text: str) -> Any:
    """JSON has no aliases, so only depth matters; ``json`` itself stops near 1,000 levels."""
    if _SURROGATE_ESCAPE.search(text):
        if isinstance(value, str) and _SURROGATE.search(value):
            raise ContractLoadError("the document holds a lone UTF-16 surrogate: not Unicode text", path=label)
        if isinstance(value, (dict, list)):
            _check_surrogates(value, label)
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_deep(text, label)
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node if isinstance(v, (dict, list)))
    return value


def _too_deep(text: str, label: str) -> ContractLoadError:
    """The error for JSON nested too deep, with the line and column where it gets too deep (found by a scan that
    only runs on this error path)."""
    depth = 0
    in_string = escaped = False
    line, start = 1, 0
    for i, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return ContractLoadError(f"nesting deeper than {MAX_DEPTH} levels", path=label, line=line,
                                         column=i - start + 1)  # fmt: skip
        elif char in "]}":
            depth -= 1
        elif char == "\n":
            line, start = line + 1, i + 1
    return ContractLoadError(f"nesting deeper than {MAX_DEPTH} levels", path=label)


def _prescan(text: str, label: str) -> None:
    """Walk the event stream once: refuse deep nesting, recursive aliases and alias bombs before composing."""
    loader = yaml.CSafeLoader(text)
    sizes: dict[str, int] = {}  # anchor -> expanded node count of the anchored node
    stack: list[list[Any]] = []  # open collections: [anchor, expanded size so far]
    total = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                stack.append([event.anchor, 1])
                if len(stack) > MAX_DEPTH:
                    raise _mark_error(f"nesting deeper than {MAX_DEPTH} levels", label, event)
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                anchor, size = stack.pop()
                if anchor is not None:
                    sizes[anchor] = size
            elif isinstance(event, yaml.ScalarEvent):
                size = 1
                if event.anchor is not None:
                    sizes[event.anchor] = 1
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor not in sizes:
                    if any(entry[0] == event.anchor for entry in stack):
                        raise _mark_error(f"recursive alias *{event.anchor}", label, event)
                    raise _mark_error(f"undefined alias *{event.anchor}", label, event)
                size = sizes[event.anchor]
            else:
                continue
            total += size
            if stack:
                stack[-1][1] += size
            if total > MAX_EXPANDED_NODES:
                raise _mark_error(
                    f"aliases expand the document past {MAX_EXPANDED_NODES:,} nodes (a YAML alias bomb?)", label, event
                )
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = e.problem or e.context or "syntax error"
        if "nesting depth" in problem:  # newer libyaml stops deep flow nesting itself, while scanning ahead
            problem = f"nesting deeper than {MAX_DEPTH} levels"
            raise ContractLoadError(
                problem, path=label, line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None
            ) from None
        raise ContractLoadError(
            f"invalid YAML: {problem}",
            path=label,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.reader.ReaderError as e:
        raise _reader_error(e, text, label) from None
    finally:
        loader.dispose()


def _reader_error(e: Any, text: str, label: str) -> ContractLoadError:
    """A character YAML does not allow (a control character, anywhere in a line), with its line and column."""
    message, line, column = yaml_error(e, text)
    return ContractLoadError(message, path=label, line=line, column=column)


def _mark_error(message: str, label: str, event: Any) -> ContractLoadError:
    mark = event.start_mark
    return ContractLoadError(message, path=label, line=mark.line + 1, column=mark.column + 1)
