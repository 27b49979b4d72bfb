"""Bad Avro input: one ContractLoadError each, naming the file and the place; the CLI exits 2 on it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pytest_cdcompat import compare
from pytest_cdcompat.core.errors import ContractLoadError

CLI = "import sys; from pytest_cdcompat.cli import main; sys.exit(main(sys.argv[1:]))"
GOOD = {"type": "record", "name": "A", "fields": [{"name": "a", "type": "int"}]}


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ('{"type": "record", "name": "A",\n "fields": [}', ":2:"),  # JSON syntax: line and column
        (json.dumps({"type": "record", "name": "A", "fields": [{"name": "a", "type": "Missing"}]}), "/fields/0/type"),
        (json.dumps({"type": "record", "name": "A"}), "needs a 'fields' list"),
        (json.dumps({"type": "record", "name": "A", "fields": [{"name": "a"}]}), "/fields/0"),
        (json.dumps({"type": "enum", "name": "E", "symbols": ["A", "A"]}), "fastavro rejects"),
        (json.dumps({"type": "fixed", "name": "F", "size": "x"}), "non-negative integer 'size'"),
        (json.dumps({"type": "record", "name": "A", "fields": [{"name": "a", "type": "int", "default": "x"}]}), "fast"),
    ],
)
def test_bad_schema_is_one_clear_error(tmp_path, text, expect):
    bad = tmp_path / "bad.avsc"
    bad.write_text(text)
    good = tmp_path / "good.avsc"
    good.write_text(json.dumps(GOOD))
    with pytest.raises(ContractLoadError) as err:
        compare(good, bad, kind="avro")
    assert "bad.avsc" in str(err.value)
    assert expect in str(err.value)


def test_cli_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.avsc"
    bad.write_text(json.dumps({"type": "record", "name": "A", "fields": [{"name": "a", "type": "Nope"}]}))
    good = tmp_path / "good.avsc"
    good.write_text(json.dumps(GOOD))
    out = subprocess.run(
        [sys.executable, "-c", CLI, "compare", str(good), str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 2, out
    assert "Traceback" not in out.stderr
    assert "bad.avsc" in out.stderr and "Nope" in out.stderr


def test_confluent_mode_in_the_file_decides_what_fails(tmp_path):
    """BACKWARD (our new_consumer_old_producer) is required; a FORWARD-only break is reported, not failed."""
    old = {"type": "record", "name": "A", "fields": [{"name": "a", "type": "int"}, {"name": "b", "type": "string"}]}
    new = {"type": "record", "name": "A", "fields": [{"name": "a", "type": "int"}], "x-cd-compat": {"mode": "BACKWARD"}}
    (tmp_path / "old.avsc").write_text(json.dumps(old))
    (tmp_path / "new.avsc").write_text(json.dumps(new))
    args = [sys.executable, "-c", CLI, "compare", str(tmp_path / "old.avsc"), str(tmp_path / "new.avsc")]
    out = subprocess.run(args, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "avro-field-removed-without-default" in out.stdout and "BACKWARD" in out.stdout
    new["x-cd-compat"] = {"mode": "FORWARD"}
    (tmp_path / "new.avsc").write_text(json.dumps(new))
    assert subprocess.run(args, capture_output=True, text=True, check=False).returncode == 1


def _in_field(schema):
    return {"type": "record", "name": "A", "fields": [{"name": "a", "type": schema}]}


UNKNOWN = "unknown type name 'Missing' (not a primitive and not defined before this point)"


@pytest.mark.parametrize(
    ("schema", "message", "pointer"),
    [
        (_in_field(5), "a schema must be a type name, an object or a union list, not 5", "/fields/0/type"),
        (_in_field({"doc": "no type"}), "schema object has no 'type'", "/fields/0/type"),
        (_in_field({"type": "array"}), "array schema has no 'items'", "/fields/0/type"),
        (_in_field({"type": "map", "items": "int"}), "map schema has no 'values'", "/fields/0/type"),
        (_in_field({"type": "record", "fields": []}), "record schema has no 'name'", "/fields/0/type"),
        (_in_field({"type": "enum", "name": "", "symbols": ["A"]}), "enum schema has no 'name'", "/fields/0/type"),
        (_in_field({"type": "fixed", "name": 5, "size": 1}), "fixed schema has no 'name'", "/fields/0/type"),
        (_in_field({"type": "fixed", "name": "F", "size": -1}), "fixed schema needs a non-negative integer 'size'",
         "/fields/0/type"),
        (_in_field({"type": "record", "name": "B"}), "record schema needs a 'fields' list", "/fields/0/type"),
        ({"type": "record", "name": "A", "fields": [{"name": "a", "type": "int"}, {"type": "int"}]},
         "a record field needs a 'name' and a 'type'", "/fields/1"),
        ({"type": "record", "name": "A", "fields": ["a"]}, "a record field needs a 'name' and a 'type'", "/fields/0"),
        (_in_field("Missing"), UNKNOWN, "/fields/0/type"),
        (_in_field({"type": "Missing"}), UNKNOWN, "/fields/0/type/type"),  # a wrapper around a name
    ],
)  # fmt: skip
def test_bad_schema_names_what_is_wrong_and_where(tmp_path, schema, message, pointer):
    bad = tmp_path / "bad.avsc"
    bad.write_text(json.dumps(schema))
    with pytest.raises(ContractLoadError) as err:
        compare(bad, bad, kind="avro")
    assert (err.value.message, err.value.pointer) == (message, pointer)
    assert err.value.path is not None and err.value.path.endswith("bad.avsc")


@pytest.mark.parametrize(
    "schema",
    [
        _in_field({"type": {"type": "array", "items": "int"}}),  # a wrapper around a whole schema
        # a wrapper around a type defined above, in the namespace: found (not "unknown"), then refused by fastavro
        {"type": "record", "name": "A", "namespace": "shop",
         "fields": [{"name": "a", "type": {"type": "record", "name": "B", "fields": []}},
                    {"name": "b", "type": {"type": "B"}}]},
        _in_field({"type": "enum", "name": "E"}),  # no symbols
    ],
)  # fmt: skip
def test_schema_only_fastavro_refuses_is_its_error_not_a_crash(tmp_path, schema):
    bad = tmp_path / "bad.avsc"
    bad.write_text(json.dumps(schema))
    with pytest.raises(ContractLoadError) as err:
        compare(bad, bad, kind="avro")
    assert err.value.message.startswith("fastavro rejects the schema: ")
    assert err.value.pointer == ""
