"""Generate Protobuf messages for a writer's descriptor and prove breaks with the protobuf runtime, binary and JSON.

A generated *plan* (field name -> value, nested plans for messages) is materialised into a message of the writer's
class, encoded (``SerializePartialToString`` and ProtoJSON), and decoded with the reader's class (``ParseFromString``
and ``json_format.Parse`` with ``ignore_unknown_fields``: readers are tolerant, as the semantics say). A break is
a decode error, a reader missing proto2 ``required`` fields (``IsInitialized``, as generated proto2 code enforces),
or a *changed value*: the reader's view of a field number differs from what the writer wrote (a truncated int64, a
value lost to an unknown JSON name or an unknown closed-enum number, the last of several oneof members).

Plans steered at one field set only that field (plus required ones), so a failure is that field's fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

import pytest_cdcompat.proving.driver  # noqa: F401  (hypothesis' storage folder, before any strategy)
from pytest_cdcompat.kinds.protobuf.proto_pairing import is_map, type_name

DEPTH_LIMIT = 3

_SCALARS: dict[str, st.SearchStrategy[Any]] = {
    "int32": st.integers(-(2**31), 2**31 - 1),
    "sint32": st.integers(-(2**31), 2**31 - 1),
    "sfixed32": st.integers(-(2**31), 2**31 - 1),
    "int64": st.integers(-(2**63), 2**63 - 1),
    "sint64": st.integers(-(2**63), 2**63 - 1),
    "sfixed64": st.integers(-(2**63), 2**63 - 1),
    "uint32": st.integers(0, 2**32 - 1),
    "fixed32": st.integers(0, 2**32 - 1),
    "uint64": st.integers(0, 2**64 - 1),
    "fixed64": st.integers(0, 2**64 - 1),
    "bool": st.booleans(),
    "float": st.floats(width=32, allow_nan=False, allow_infinity=False),
    "double": st.floats(allow_nan=False, allow_infinity=False),
    "string": st.text(st.characters(exclude_categories=["Cs"]), max_size=6),
    "bytes": st.binary(max_size=6),
}


@dataclass(frozen=True)
class Focus:
    """Steer a plan at field ``number``: set it (non-default), force an enum ``value``, also set ``also``, or
    leave it ``unset``."""

    number: int
    value: int | None = None
    also: tuple[int, ...] = ()
    repeat: int = 1
    unset: bool = False  # leave the field out (its readers fall back to their own default)


def _element(f: Any, depth: int) -> st.SearchStrategy[Any]:
    t = type_name(f)
    if t == "enum":
        return st.sampled_from([v.number for v in f.enum_type.values])
    if t in ("message", "group"):
        return plan(f.message_type, depth=depth + 1)
    return _SCALARS[t]


def _value(f: Any, depth: int, *, nonempty: bool = False, repeat: int = 1) -> st.SearchStrategy[Any]:
    if is_map(f):
        k, v = f.message_type.fields_by_name["key"], f.message_type.fields_by_name["value"]
        return st.dictionaries(_element(k, depth), _element(v, depth), min_size=1 if nonempty else 0, max_size=3)
    if f.is_repeated:
        return st.lists(_element(f, depth), min_size=repeat if nonempty else 0, max_size=max(3, repeat))
    s = _element(f, depth)
    if nonempty and type_name(f) not in ("message", "group"):
        s = s.filter(lambda v: bool(v))  # implicit-presence defaults are not written at all
    return s


def _simplest(f: Any) -> Any:
    t = type_name(f)
    if f.is_repeated or t == "map":
        return [] if t != "map" else {}
    if t in ("message", "group"):
        return {g.name: _simplest(g) for g in f.message_type.fields if g.is_required}
    if t == "enum":
        return f.enum_type.values[0].number
    return {"string": "", "bytes": b"", "bool": False, "float": 0.0, "double": 0.0}.get(t, 0)


def plan(
    desc: Any, focus: Focus | None = None, depth: int = 0, vary: frozenset[int] | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """Plans of messages of ``desc``: every field optional (required ones always set), or steered by ``focus``;
    with ``vary``, only those field numbers may be set at the top level (the others cannot make a difference)."""
    required = {f.name: _simplest(f) for f in desc.fields if f.is_required}
    if focus is not None:
        parts: dict[str, st.SearchStrategy[Any]] = {k: st.just(v) for k, v in required.items()}
        target = desc.fields_by_number.get(focus.number)
        if target is not None and focus.unset:
            parts.pop(target.name, None)
        elif target is not None:
            if focus.value is not None:
                forced: Any = [focus.value] * focus.repeat if target.is_repeated else focus.value
                parts[target.name] = st.just(forced)
            else:
                parts[target.name] = _value(target, depth, nonempty=True, repeat=focus.repeat)
        for n in focus.also:
            other = desc.fields_by_number.get(n)
            if other is not None and other.name not in parts:
                parts[other.name] = _value(other, depth, nonempty=True)
        return st.fixed_dictionaries(parts)
    if depth > DEPTH_LIMIT:
        return st.just(required)
    optional = {
        f.name: _value(f, depth) for f in desc.fields if not f.is_required and (vary is None or f.number in vary)
    }
    return st.fixed_dictionaries({k: st.just(v) for k, v in required.items()}, optional=optional)


def fill(msg: Any, spec: dict[str, Any]) -> Any:
    desc = msg.DESCRIPTOR
    for name, value in spec.items():
        f = desc.fields_by_name[name]
        if is_map(f):
            target = getattr(msg, name)
            nested = f.message_type.fields_by_name["value"].message_type is not None
            for k, v in value.items():
                if nested:
                    fill(target[k], v)
                else:
                    target[k] = v
        elif f.is_repeated:
            if f.message_type is not None:
                for v in value:
                    fill(getattr(msg, name).add(), v)
            else:
                getattr(msg, name).extend(value)
        elif f.message_type is not None:
            sub = getattr(msg, name)
            sub.SetInParent()
            fill(sub, value)
        else:
            setattr(msg, name, value)
    return msg


def _norm(f: Any, v: Any) -> Any:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, str):
        return v.encode("utf-8")
    if f.message_type is not None and hasattr(v, "DESCRIPTOR"):
        return view(v)
    return v


class View(dict[int, Any]):
    """A message as a reader sees it, by field number (a map value is a plain dict)."""


def view(msg: Any, only: frozenset[int] | None = None) -> View:
    """What a reader sees, by field number: values normalised (enums and bools as ints, strings as UTF-8);
    with ``only``, just those top-level field numbers."""
    out = View()
    fields = msg.DESCRIPTOR.fields
    if only is not None:
        by_number = msg.DESCRIPTOR.fields_by_number
        fields = [by_number[n] for n in only if n in by_number]
    for f in fields:
        value = getattr(msg, f.name)
        if is_map(f):
            vf = f.message_type.fields_by_name["value"]
            out[f.number] = {_norm(vf, k): _norm(vf, v) for k, v in value.items()}
        elif f.is_repeated:
            out[f.number] = [_norm(f, v) for v in value]
        elif f.message_type is not None:
            out[f.number] = view(value) if msg.HasField(f.name) else None
        else:
            out[f.number] = _norm(f, value)
    return out


def _blank(v: Any) -> bool:
    """Unset or a default: what an implicit-presence field looks like when nothing was written."""
    if isinstance(v, View):
        return all(_blank(x) for x in v.values())
    return v is None or not v


def same(a: Any, b: Any) -> bool:
    """Values equal as the reader understands them (fields unknown to either side are not compared)."""
    if _blank(a) and _blank(b):
        return True
    if isinstance(a, list) and not isinstance(b, list):
        return (len(a) == 1 and same(a[0], b)) or (not a and not b)
    if isinstance(b, list) and not isinstance(a, list):
        return same(b, a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, View) and isinstance(b, View):
        return all(same(a[k], b[k]) for k in a.keys() & b.keys())
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if type(a) is not type(b) and (isinstance(a, (dict, bytes)) or isinstance(b, (dict, bytes))):
        return False
    return bool(a == b)


@dataclass(frozen=True)
class Problem:
    encoding: str  # "binary" or "json"
    number: int | None  # the field whose value changed, or None for a decode failure
    detail: str


def roundtrip(
    writer_cls: Any, reader_cls: Any, spec: dict[str, Any], only: frozenset[int] | None = None
) -> tuple[Any, list[Problem]]:
    """Encode a plan with the writer's class, decode with the reader's: the writer message and what went wrong
    (decode failures, and changed values of the field numbers in ``only``, or of all fields)."""
    from google.protobuf import json_format

    w = fill(writer_cls(), spec)
    wv = view(w, only)
    problems: list[Problem] = []
    data = w.SerializePartialToString()
    attempts: list[tuple[str, Any]] = [("binary", lambda r: r.ParseFromString(data))]
    text = json_format.MessageToJson(w)
    attempts.append(("json", lambda r: json_format.Parse(text, r, ignore_unknown_fields=True)))
    names = {f.number: f.name for f in w.DESCRIPTOR.fields}
    for encoding, decode in attempts:
        found = _decode(reader_cls, decode, wv, only, encoding, names)
        if found and encoding == "json" and _decode(writer_cls, decode, wv, only, encoding, names):
            # the writer's own schema does not survive this JSON either (e.g. the largest float32, printed rounded,
            # is "too large" for the runtime's parser): a quirk of the encoding, not a compatibility break
            continue
        problems += found
    return w, problems


def _decode(
    cls: Any, decode: Any, wv: View, only: frozenset[int] | None, encoding: str, names: dict[int, str]
) -> list[Problem]:
    r = cls()
    try:
        decode(r)
    except Exception as e:  # DecodeError, ParseError, ValueError: the reader rejects valid writer output
        return [Problem(encoding, None, f"{type(e).__name__}: {e}"[:300])]
    if not r.IsInitialized():
        missing = ", ".join(r.FindInitializationErrors())
        return [Problem(encoding, None, f"missing required fields: {missing}")]
    rv = view(r, only)
    out = [
        Problem(encoding, n, f"field {n} written as {_show(wv[n])}, read as {_show(rv[n])}")
        for n in sorted(wv.keys() & rv.keys())
        if not same(wv[n], rv[n])
    ]
    # a field the reader declares under the same name but another number: applications read it by name
    for n, name in sorted(names.items()):
        rf = r.DESCRIPTOR.fields_by_name.get(name)
        if n not in wv or rf is None or rf.number == n:
            continue
        got = view(r, frozenset({rf.number}))[rf.number]
        if not same(wv[n], got):
            shown = f"{name!r} written as field {n} ({_show(wv[n])}), read as field {rf.number} ({_show(got)})"
            out.append(Problem(encoding, n, shown))
    return out


def _show(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 80 else text[:77] + "..."


def as_json(msg: Any) -> Any:
    from google.protobuf import json_format

    return json_format.MessageToDict(msg)
