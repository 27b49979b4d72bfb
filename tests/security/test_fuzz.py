"""Fuzzing the loaders: random mutations of small valid documents of every kind must end in a ``Report`` (rendered in
every format) or a ``CdcompatError``, never in another exception.

Two mutation families: bytes (insert, delete, duplicate or replace a slice with bytes that matter to a parser), and
structure for the YAML/JSON kinds (a value anywhere in the parsed document replaced by random JSON). The example count
is small for CI; ``CDCOMPAT_FUZZ_EXAMPLES=2000`` runs a long campaign (see docs/development.md)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_cdcompat.api import compare
from pytest_cdcompat.core.errors import CdcompatError
from pytest_cdcompat.core.findings import Report
from pytest_cdcompat.report import FORMATS, render

EXAMPLES = int(os.environ.get("CDCOMPAT_FUZZ_EXAMPLES", "6"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

DOCS: dict[str, tuple[str, str]] = {
    "openapi": (
        "api.yaml",
        """openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /orders/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
        - {name: q, in: query, schema: {type: string, pattern: "^[a-z]+$", maxLength: 8}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Order"}
components:
  schemas:
    Order:
      type: object
      required: [id]
      properties:
        id: {type: integer}
        state: {type: string, enum: [open, closed]}
        lines: {type: array, items: {type: number}, maxItems: 3}
""",
    ),
    "jsonschema": (
        "s.json",
        json.dumps(
            {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "integer", "maximum": 100},
                    "tags": {"type": "array", "items": {"$ref": "#/$defs/tag"}},
                    "kind": {"oneOf": [{"const": "a"}, {"type": "string", "minLength": 2}]},
                },
                "$defs": {"tag": {"type": "string", "pattern": "^t"}},
            }
        ),
    ),
    "asyncapi": (
        "events.yaml",
        """asyncapi: 2.6.0
info: {title: t, version: "1"}
channels:
  orders:
    subscribe:
      message:
        messageId: created
        payload:
          type: object
          required: [id]
          properties:
            id: {type: string}
            total: {type: number, minimum: 0}
""",
    ),
    "avro": (
        "r.avsc",
        json.dumps(
            {
                "type": "record",
                "name": "R",
                "fields": [
                    {"name": "a", "type": "int"},
                    {"name": "b", "type": ["null", "string"], "default": None},
                    {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["X", "Y"]}},
                    {"name": "kids", "type": {"type": "array", "items": "R"}, "default": []},
                ],
            }
        ),
    ),
    "protobuf": (
        "m.proto",
        'syntax = "proto3";\npackage p;\nmessage M {\n  int32 a = 1;\n  string b = 2;\n  repeated M kids = 3;\n'
        "  enum E { E0 = 0; E1 = 1; }\n  E e = 4;\n}\n",
    ),
    "sql": (
        "schema.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '', n INTEGER CHECK (n > 0));\n"
        "CREATE INDEX t_name ON t (name);\n",
    ),
}
STRUCTURED = ("openapi", "jsonschema", "asyncapi", "avro")
SPECIAL = [b"{", b"}", b"[", b"]", b":", b",", b'"', b"'", b"\n", b"\t", b"\x00", b"\xff", b"#", b"&a", b"*a", b"!",
           b"|", b"-", b".", b"0", b"1e400", b"9" * 50, b"\\u", b"\\ud800", b"$ref", b"/", b"..", b";", b"(", b")",
           b"\x07", b"\xc3", b"%2F"]  # fmt: skip

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


@st.composite
def byte_mutation(draw: st.DrawFn, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(out)))
        op = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        size = draw(st.integers(1, 12))
        if op == "insert":
            out[at:at] = draw(st.sampled_from(SPECIAL) | st.binary(min_size=1, max_size=4))
        elif op == "delete":
            del out[at : at + size]
        elif op == "replace":
            out[at : at + size] = draw(st.sampled_from(SPECIAL))
        else:
            out[at:at] = out[at : at + size]
    return bytes(out)


@st.composite
def structure_mutation(draw: st.DrawFn, doc: Any) -> Any:
    """``doc`` with one value (found by walking a random path) replaced by random JSON."""
    doc = json.loads(json.dumps(doc))
    node, key = None, None
    here = doc
    for _ in range(draw(st.integers(0, 6))):
        if isinstance(here, dict) and here:
            k = draw(st.sampled_from(sorted(here)))
        elif isinstance(here, list) and here:
            k = draw(st.integers(0, len(here) - 1))
        else:
            break
        node, key, here = here, k, here[k]
    replacement = draw(json_values)
    if node is None:
        return replacement
    node[key] = replacement
    return doc


def check(kind: str, new_text: bytes) -> None:
    name, old_text = DOCS[kind]
    with tempfile.TemporaryDirectory(prefix="cdcompat-fuzz-") as tmp:
        folder = Path(tmp)
        (folder / "old").mkdir()
        (folder / "new").mkdir()
        (folder / "old" / name).write_text(old_text)
        (folder / "new" / name).write_bytes(new_text)
        try:
            report = compare(folder / "old" / name, folder / "new" / name, examples=3, seed=1)
        except CdcompatError as e:
            message = str(e)
            assert message.strip() and "\n" not in message, message  # one line, as the CLI prints it
            return
        assert isinstance(report, Report)
        for fmt in FORMATS:
            assert render(report, fmt)


@pytest.mark.parametrize("kind", sorted(DOCS))
def test_byte_mutations_end_in_a_report_or_a_clear_error(kind: str) -> None:
    data = DOCS[kind][1].encode()

    @FUZZ
    @given(byte_mutation(data))
    def run(mutated: bytes) -> None:
        check(kind, mutated)

    run()


@pytest.mark.parametrize("kind", STRUCTURED)
def test_structure_mutations_end_in_a_report_or_a_clear_error(kind: str) -> None:
    import yaml

    name, text = DOCS[kind]
    doc = json.loads(text) if name.endswith((".json", ".avsc")) else yaml.safe_load(text)

    @FUZZ
    @given(structure_mutation(doc))
    def run(mutated: Any) -> None:
        check(kind, json.dumps(mutated).encode())

    run()


def test_the_valid_documents_load() -> None:
    for kind in DOCS:
        check(kind, DOCS[kind][1].encode())
        name, text = DOCS[kind]
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / name).write_text(text)
            report = compare(Path(tmp) / name, Path(tmp) / name, examples=3, seed=1)
            assert report.kind == kind and all(r.compatible for r in report.directions.values())
