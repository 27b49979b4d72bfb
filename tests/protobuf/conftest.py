"""Shared helpers for the Protobuf tests: replay a counterexample with the protobuf runtime, independently."""

from __future__ import annotations

import functools
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory


def message_class(proto: Path, full_name: str):
    return _message_class(str(proto), proto.read_text(), full_name)


@functools.lru_cache(maxsize=256)
def _message_class(path: str, text: str, full_name: str):
    proto = Path(path)
    with tempfile.TemporaryDirectory() as tmp:  # never write next to the fixtures (xdist workers share them)
        return _compile(proto, Path(tmp) / "set.pb", full_name)


def _compile(proto: Path, out: Path, full_name: str):
    subprocess.run(
        [sys.executable, "-m", "grpc_tools.protoc", f"-I{proto.parent}", "--include_imports",
         f"--descriptor_set_out={out}", str(proto)],
        check=True, capture_output=True,
    )  # fmt: skip
    fds = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes())
    pool = descriptor_pool.DescriptorPool()
    for f in fds.file:
        pool.Add(f)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName(full_name))


def _by_number(msg) -> dict:
    out = {}
    for f in msg.DESCRIPTOR.fields:  # unset fields with an explicit (proto2) default read as that default
        if not f.is_repeated and f.message_type is None and f.has_default_value:
            out[f.number] = _plain(getattr(msg, f.name))
    for f, v in msg.ListFields():
        out[f.number] = _plain(v)
    return out


def _plain(v):
    if hasattr(v, "ListFields"):
        return _by_number(v)
    if isinstance(v, str):
        return v.encode()
    if isinstance(v, bool):
        return int(v)
    if hasattr(v, "items") and not hasattr(v, "ListFields"):
        return {_plain(k): _plain(x) for k, x in v.items()}
    if hasattr(v, "__len__") and not isinstance(v, (bytes, dict)):
        return [_plain(x) for x in v]
    return v


def _differs(a: dict, b: dict) -> bool:
    """Does the reader's view ``b`` differ from the writer's ``a``? (unset equals the default; a singular value
    equals a one-element list, as a singular reader keeps the last element)"""
    for n in a.keys() | b.keys():
        x, y = a.get(n), b.get(n)
        if isinstance(x, list) or isinstance(y, list):
            xs = x if isinstance(x, list) else ([] if x is None else [x])
            ys = y if isinstance(y, list) else ([] if y is None else [y])
            if len(xs) != len(ys) or any(_differs({0: p}, {0: q}) for p, q in zip(xs, ys, strict=True)):
                return True
        elif isinstance(x, dict) and isinstance(y, dict):
            if _differs(x, y):
                return True
        elif x is None or y is None:
            if (x if x is not None else y) not in (0, b"", {}):
                return True
        elif x != y:
            return True
    return False


def _replay(message, encoding, writer_cls, reader_cls) -> bool:
    w = json_format.ParseDict(message, writer_cls())
    r = reader_cls()
    try:
        if encoding == "binary":
            r.ParseFromString(w.SerializePartialToString())
        else:
            json_format.Parse(json_format.MessageToJson(w), r, ignore_unknown_fields=True)
    except Exception:
        return True
    if not r.IsInitialized():
        return True
    # compare the field numbers both versions know
    known = {f.number for f in reader_cls.DESCRIPTOR.fields}
    if _differs({k: v for k, v in _by_number(w).items() if k in known}, _by_number(r)):
        return True
    # and the fields both versions know by name under different numbers (the application reads them by name)
    wv, rv = _by_number(w), _by_number(r)
    for f in writer_cls.DESCRIPTOR.fields:
        g = reader_cls.DESCRIPTOR.fields_by_name.get(f.name)
        if g is not None and g.number != f.number and _differs({0: wv.get(f.number)}, {0: rv.get(g.number)}):
            return True
    return False


@pytest.fixture
def replay_fails():
    """``replay_fails(counterexample, writer_cls, reader_cls)``: does the protobuf runtime itself fail on it?"""
    return lambda ce, w, r: _replay(ce["message"], ce["encoding"], w, r)


@pytest.fixture
def proto_class():
    return message_class
