"""Odd input, as a careless user or an attacker writes it: each ends in one clear message (exit 2) or, where the input
is valid, the right verdict; never a traceback. Every case runs the CLI and checks the exit code and the message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_cdcompat import cli
from tests.security.conftest import SCHEMA, World

ROOT = Path(__file__).resolve().parents[2]


def js(x: object, **top: object) -> str:
    return json.dumps({"$schema": SCHEMA, "type": "object", "properties": {"x": x}, "required": ["x"], **top})


def one_error(world: World, *args: str) -> str:
    runs = world.cli("compare", *args, formats=("text",))
    run = runs[0]
    assert run.code == 2, (run.out, run.err)
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cdcompat: error: "), run.err
    assert "Traceback" not in run.err
    return lines[0]


def verdict(world: World, *args: str) -> str:
    run = world.cli("compare", *args, formats=("text",))[0]
    assert run.code in (0, 1) and not run.err.strip(), run.err
    return run.out


def test_symlink_loop_as_the_contract(world: World) -> None:
    world.write("old.json", js({"type": "integer"}))
    os.symlink("loop2", world.repo / "loop1")
    os.symlink("loop1", world.repo / "loop2")
    assert "loop1: symlink loop" in one_error(world, "old.json", "loop1")


def test_symlink_loop_through_a_ref(world: World) -> None:
    world.write("old.json", js({"type": "integer"}))
    world.write("new.json", js({"$ref": "loop1"}))
    os.symlink("loop1", world.repo / "loop1")
    assert "loop1: symlink loop" in one_error(world, "old.json", "new.json")


def test_waiver_dated_february_30(world: World) -> None:
    world.write("a.json", js({"type": "integer"}))
    world.write("w.yaml", "- rule: type-changed\n  location: /x\n  reason: r\n  expires: 2026-02-30\n")
    message = one_error(world, "a.json", "a.json", "--waivers", "w.yaml")
    assert "w.yaml entry 1: expires '2026-02-30' is not a date" in message


def test_control_character_late_in_a_long_yaml_line(world: World) -> None:
    world.write("old.yaml", 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths: {}\n')
    world.write(
        "new.yaml", 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths: {}\nx-long: "' + "a" * 3000 + '\x07"\n'
    )
    message = one_error(world, "old.yaml", "new.yaml")
    assert "new.yaml:4:3010: invalid YAML: character U+0007 is not allowed" in message


def test_lone_surrogate_in_an_enum(world: World) -> None:
    world.write("old.json", js({"type": "string", "enum": ["a"]}))
    world.write("new.json", js({"type": "string", "enum": ["a", "\\ud800"]}).replace("\\\\ud800", "\\ud800"))
    message = one_error(world, "old.json", "new.json")
    assert "new.json at /properties/x/enum/1:" in message and "lone UTF-16 surrogate" in message


def test_ascii_terminal_and_non_ascii_report(world: World) -> None:
    world.write("old.json", js({"type": "string", "enum": ["a"]}))
    world.write("new.json", js({"type": "string", "enum": ["é", "𝄞"]}))
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "PYTHONPATH": str(ROOT)}
    for fmt in ("text", "json", "markdown"):
        out = subprocess.run(
            [sys.executable, "-c", "import sys; from pytest_cdcompat.cli import main; sys.exit(main())",
             "compare", "old.json", "new.json", "--format", fmt],
            capture_output=True, cwd=world.repo, env=env, check=False,
        )  # fmt: skip
        assert out.returncode == 1, out.stderr
        assert b"Traceback" not in out.stderr and not out.stderr.strip()
        text = out.stdout.decode("ascii")  # only ASCII was written
        assert "\\u00e9" in text
        if fmt == "json":
            values = json.dumps(json.loads(text), ensure_ascii=False)
            assert '"x": "é"' in values  # the escapes are JSON escapes: the counterexample survives


def test_output_escapes_are_json_escapes() -> None:
    escaped = "é 𝄞 \ud800".encode("ascii", "cdcompat-escape")
    assert escaped == b"\\u00e9 \\ud834\\udd1e \\ud800"
    assert json.loads(b'"' + escaped[:19] + b'"') == "é 𝄞"


@pytest.mark.parametrize(
    ("literal", "fragment"),
    [
        ("1e400", "the number 1e400 is out of range (larger than a 64-bit float"),
        ("9" * 5000, "a number of 5,000 digits is too large"),
    ],
)
def test_numbers_that_do_not_fit(world: World, literal: str, fragment: str) -> None:
    world.write("old.json", js({"type": "integer", "maximum": 10}))
    world.write("new.json", js({"type": "integer", "maximum": 10}).replace("10", literal))
    message = one_error(world, "old.json", "new.json")
    assert message.startswith("cdcompat: error: new.json:1:") and fragment in message


def test_number_overflowing_in_yaml(world: World) -> None:
    world.write("old.yaml", 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths: {}\n')
    world.write("new.yaml", 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths: {}\nx-n: 1e400\n')
    assert "new.yaml:4:6: invalid YAML: the number 1e400 is out of range" in one_error(world, "old.yaml", "new.yaml")


def test_min_length_of_a_million_gets_its_verdict(world: World) -> None:
    world.write("old.json", js({"type": "string", "minLength": 999999}))
    world.write("new.json", js({"type": "string", "minLength": 1000000}))
    out = verdict(world, "old.json", "new.json")
    assert "(old_consumer_new_producer): COMPATIBLE" in out
    assert "(new_consumer_old_producer): INCOMPATIBLE" in out
    assert "error: min-length-increased at /properties/x/minLength" in out
    assert "minLength changed from 999999 to 1000000" in out


def test_ref_to_a_scalar(world: World) -> None:
    api = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        "200":\n'
    api += "          description: ok\n          content:\n            application/json:\n              schema: "
    world.write("old.yaml", api + "{type: string}\n")
    world.write("new.yaml", api + "{$ref: '#/info/title'}\n")
    message = one_error(world, "old.yaml", "new.yaml")
    assert "new.yaml at /paths/~1a/get/responses/200/content/application~1json/schema/$ref:" in message
    assert "$ref '#/info/title' points to a string, not to a schema or an object" in message


def test_invalid_regular_expression_in_a_pattern(world: World) -> None:
    world.write("old.json", js({"type": "string"}))
    world.write("new.json", js({"type": "string", "pattern": "([a-z"}))
    message = one_error(world, "old.json", "new.json")
    assert "new.json at /properties/x/pattern: pattern '([a-z' is not a valid regular expression" in message


def test_invalid_regular_expression_in_pattern_properties(world: World) -> None:
    world.write("old.json", js({"type": "object"}))
    world.write("new.json", js({"type": "object", "patternProperties": {"(": {"type": "string"}}}))
    message = one_error(world, "old.json", "new.json")
    assert "at /properties/x/patternProperties/(: pattern '(' is not a valid regular expression" in message


def test_unicode_property_escape_is_a_valid_pattern(world: World) -> None:
    """``\\p{L}`` is valid JSON Schema (ECMA-262) that Python's ``re`` cannot read and RE2 can: compared, not refused."""
    world.write("old.json", js({"type": "string", "pattern": "^\\p{L}+$"}))
    world.write("new.json", js({"type": "string", "pattern": "^\\p{L}*$"}))
    out = verdict(world, "old.json", "new.json", "--examples", "20")
    ocnp, ncop = out.split("new consumers against the old producer")
    assert (
        "(old_consumer_new_producer): INCOMPATIBLE" in ocnp
        and "error: pattern-changed at /properties/x/pattern" in ocnp
    )
    assert "(new_consumer_old_producer): COMPATIBLE" in ncop


AVRO = '{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}%s]}'


def test_recursive_avro_record_through_an_array(world: World) -> None:
    world.write("old.avsc", AVRO % ', {"name": "kids", "type": {"type": "array", "items": "R"}}')
    world.write("new.avsc", AVRO % ', {"name": "kids", "type": {"type": "array", "items": "R"}, "default": []}')
    out = verdict(world, "old.avsc", "new.avsc")
    assert "(old_consumer_new_producer): COMPATIBLE" in out and "(new_consumer_old_producer): COMPATIBLE" in out
    world.write(
        "newer.avsc", AVRO % ', {"name": "kids", "type": {"type": "array", "items": "R"}}, {"name": "b", "type": "int"}'
    )
    out = verdict(world, "old.avsc", "newer.avsc")
    assert "(new_consumer_old_producer): INCOMPATIBLE" in out and "avro-field-added-without-default" in out


def test_avro_union_nested_in_a_union(world: World) -> None:
    world.write("old.avsc", AVRO % "")
    world.write("new.avsc", AVRO % ', {"name": "b", "type": ["null", ["int", "string"]], "default": null}')
    message = one_error(world, "old.avsc", "new.avsc")
    assert "new.avsc at /fields/1/type/1: a union inside a union is not valid Avro" in message


def test_avro_enum_default_not_a_symbol(world: World) -> None:
    world.write("old.avsc", AVRO % "")
    enum = '{"type": "enum", "name": "E", "symbols": ["A", "B"], "default": "C"}'
    world.write("new.avsc", AVRO % f', {{"name": "e", "type": {enum}, "default": "A"}}')
    message = one_error(world, "old.avsc", "new.avsc")
    assert "new.avsc" in message and "Default value for enum must be in symbols list" in message


def test_proto2_required_self_recursive_message(world: World) -> None:
    world.write("old.proto", 'syntax = "proto2";\nmessage Node { required int32 a = 1; }\n')
    world.write("new.proto", 'syntax = "proto2";\nmessage Node { required int32 a = 1; required Node next = 2; }\n')
    out = verdict(world, "old.proto", "new.proto")
    assert "(old_consumer_new_producer): COMPATIBLE" in out
    assert "(new_consumer_old_producer): INCOMPATIBLE" in out
    assert "error: proto-required-field-added at /messages/Node/fields/next" in out


def test_unexpected_exception_is_one_internal_error_line(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    import pytest_cdcompat.api as api

    def broken(*args: object, **kwargs: object) -> object:
        raise KeyError("boom")

    world.write("a.json", js({"type": "integer"}))
    monkeypatch.setattr(api, "engine_for", broken, raising=False)
    monkeypatch.setattr("pytest_cdcompat.kinds.engine_for", broken)
    code = cli.main(["compare", "a.json", "a.json"])
    err = world.capsys.readouterr().err
    assert code == 2
    assert err == "cdcompat: internal error while checking a.json -> a.json: KeyError: 'boom'\n"


def test_unexpected_exception_in_check_fails_that_pair_only(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    import pytest_cdcompat.run.runner as runner

    real = runner.compare_pair

    def sometimes(pair, *args):  # type: ignore[no-untyped-def]
        if pair.id.endswith("bad.json"):
            raise ValueError("kaput")
        return real(pair, *args)

    world.write("contracts/v1.json", js({"type": "integer"}))
    world.write("contracts/v2.json", js({"type": "integer"}))
    world.write("other/v1.json", js({"type": "integer"}))
    world.write("other/bad.json", js({"type": "integer"}))
    world.commit()
    monkeypatch.setattr(runner, "compare_pair", sometimes)
    world.write("other/bad.json", js({"type": "string"}))
    code = cli.main(["check", "contracts", "other"])
    captured = world.capsys.readouterr()
    assert code == 2
    assert "cdcompat: internal error while checking other/bad.json: ValueError: kaput" in captured.err
    assert "== contracts/v2.json::v1-to-v2 [version]" in captured.out
    assert "Traceback" not in captured.err


def test_path_parameter_missing_from_the_template(world: World) -> None:
    # found by the fuzz test: a declared path parameter the template does not name is matched by its name
    api = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      parameters:\n'
    api += "        - {name: id, in: path, required: true, schema: {type: %s}}\n"
    api += '      responses:\n        "200": {description: ok}\n'
    world.write("old.yaml", api % "string")
    world.write("new.yaml", api % "integer")
    out = verdict(world, "old.yaml", "new.yaml")
    assert "(old_consumer_new_producer): INCOMPATIBLE" in out and "(new_consumer_old_producer): INCOMPATIBLE" in out
    assert out.count("error: type-changed at /paths/~1a/get/parameters/0/schema/type") == 2


def test_avro_array_of_an_empty_union(world: World) -> None:
    # found by the fuzz test: only the empty array exists, and generation must not fail on it
    world.write("old.avsc", AVRO % ', {"name": "kids", "type": {"type": "array", "items": "int"}, "default": []}')
    world.write("new.avsc", AVRO % ', {"name": "kids", "type": {"type": "array", "items": []}, "default": []}')
    out = verdict(world, "old.avsc", "new.avsc")
    assert "(old_consumer_new_producer): " in out and "(new_consumer_old_producer): " in out
