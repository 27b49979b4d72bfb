"""Shared helpers for the Avro tests: compare a fixture pair and check counterexamples with fastavro itself."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from fastavro import json_reader, parse_schema, schemaless_reader, schemaless_writer

from pytest_cdcompat.kinds.avro.datums import strip_logical


def _really_fails(message, writer_path: Path, reader_path: Path) -> bool:
    """Read the counterexample with the writer schema, encode it in binary, decode with the reader schema."""
    w = parse_schema(strip_logical(json.loads(writer_path.read_text())))
    r = parse_schema(strip_logical(json.loads(reader_path.read_text())))
    (datum,) = list(json_reader(io.StringIO(json.dumps(message)), w))
    buf = io.BytesIO()
    schemaless_writer(buf, w, datum)
    buf.seek(0)
    try:
        schemaless_reader(buf, w, r)
    except Exception:
        return True
    return bool(buf.read())


@pytest.fixture
def really_fails():
    """``really_fails(message, writer_path, reader_path)``: does fastavro itself fail on this counterexample?"""
    return _really_fails


@pytest.fixture
def avro_pair(tmp_path):
    """Write two schemas (Python objects) to files; return their paths."""

    def make(old, new):
        paths = []
        for name, schema in (("old", old), ("new", new)):
            p = tmp_path / f"{name}.avsc"
            p.write_text(json.dumps(schema))
            paths.append(p)
        return tuple(paths)

    return make
