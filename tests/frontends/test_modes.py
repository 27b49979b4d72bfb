"""Confluent-style modes: the mapping to directions, in-file markers, the ini mapping; option resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_cdcompat.core.errors import UsageError
from pytest_cdcompat.core.findings import Direction
from pytest_cdcompat.run.modes import (
    is_transitive,
    mode_for,
    mode_in_text,
    normalise,
    parse_mode_map,
    required_directions,
)
from pytest_cdcompat.run.options import resolve

ONP = Direction.OLD_CONSUMER_NEW_PRODUCER
NOP = Direction.NEW_CONSUMER_OLD_PRODUCER


@pytest.mark.parametrize(
    "mode, required",
    [
        (None, {ONP, NOP}),
        ("BACKWARD", {NOP}),
        ("forward", {ONP}),
        ("FULL", {ONP, NOP}),
        ("NONE", set()),
        ("BACKWARD_TRANSITIVE", {NOP}),
        ("forward-transitive", {ONP}),
        ("FULL_TRANSITIVE", {ONP, NOP}),
    ],
)
def test_required_directions(mode, required):
    assert required_directions(mode) == required


def test_transitive():
    assert is_transitive("FULL_TRANSITIVE") and not is_transitive("FULL") and not is_transitive(None)


@pytest.mark.parametrize(
    "text, mode",
    [
        ("x-cd-compat:\n  mode: BACKWARD\nopenapi: 3.1.0\n", "BACKWARD"),
        ('{"x-cd-compat": {"mode": "forward"}, "type": "object"}', "FORWARD"),
        ('syntax = "proto3";\n// cd-compat: mode=FULL_TRANSITIVE\nmessage M {}\n', "FULL_TRANSITIVE"),
        ("-- cd-compat: mode = NONE\nCREATE TABLE t (id int);\n", "NONE"),
        ("# cd-compat: mode=BACKWARD\nasyncapi: 3.0.0\n", "BACKWARD"),
        ('{"type": "object"}', None),
    ],
)
def test_mode_in_text(text, mode):
    assert mode_in_text(text) == mode


def test_unknown_mode_in_file_names_the_file():
    with pytest.raises(UsageError, match=r"contracts/a\.json: unknown compatibility mode 'SIDEWAYS'"):
        mode_in_text('{"x-cd-compat": {"mode": "SIDEWAYS"}}', "contracts/a.json")


def test_mode_map_and_precedence():
    mapping = parse_mode_map(["", "# comment", "contracts/orders-events.avsc = FORWARD", "contracts/audit/* = NONE"])
    assert mapping == {"contracts/orders-events.avsc": "FORWARD", "contracts/audit/*": "NONE"}
    assert mode_for("contracts/orders-events.avsc", mapping=mapping) == "FORWARD"
    assert mode_for("contracts/audit/log.json", mapping=mapping, default="FULL") == "NONE"
    assert mode_for("contracts/other.json", mapping=mapping, default="full") == "FULL"
    assert mode_for("contracts/other.json", mapping=mapping) is None
    marker = '{"x-cd-compat": {"mode": "BACKWARD"}}'
    assert mode_for("contracts/orders-events.avsc", texts=[marker], mapping=mapping) == "BACKWARD"


@pytest.mark.parametrize("line", ["no equals sign", " = FULL", "a.json = SOMETIMES"])
def test_bad_mode_map_lines(line):
    with pytest.raises(UsageError, match="cd_compat_modes"):
        parse_mode_map([line])


def test_resolve_command_line_beats_ini_beats_default(tmp_path):
    cli = {"examples": 7, "strict": None}
    ini = {"examples": "50", "strict": "true", "history": "2", "paths": [tmp_path / "api"], "modes": ["a = FULL"]}
    opts = resolve(lambda n: cli.get(n), lambda n: ini.get(n), base_dir=tmp_path)
    assert opts.examples == 7 and opts.strict is True and opts.history == 2
    assert opts.paths == (tmp_path / "api",)
    assert opts.waivers == tmp_path / "api" / "cdcompat-waivers.yaml" and not opts.waivers_given
    assert opts.modes == {"a": "FULL"}
    defaults = resolve(lambda n: None, None, base_dir=tmp_path)
    assert defaults.examples == 100 and defaults.paths == (tmp_path / "contracts",) and defaults.seed is None


@pytest.mark.parametrize(
    "name, value, message", [("examples", "many", "examples: 'many' is not an integer"), ("history", -1, "must not")]
)
def test_resolve_rejects_bad_numbers(name, value, message):
    with pytest.raises(UsageError, match=message):
        resolve(lambda n: value if n == name else None, None, base_dir=Path("."))


def test_modes_are_normalised_and_unknown_ones_listed():
    assert normalise(" full-transitive ") == "FULL_TRANSITIVE"
    known = "BACKWARD, FORWARD, FULL, NONE, BACKWARD_TRANSITIVE, FORWARD_TRANSITIVE, FULL_TRANSITIVE"
    with pytest.raises(UsageError) as info:
        normalise("sideways")
    assert str(info.value) == f"unknown compatibility mode 'sideways' (known: {known})"
    with pytest.raises(UsageError) as info:
        normalise("sideways", "contracts/a.json")
    assert str(info.value).startswith("contracts/a.json: unknown compatibility mode 'sideways'")
    with pytest.raises(UsageError) as info:
        mode_in_text('{"x-cd-compat": {"mode": "SIDEWAYS"}}')
    assert str(info.value).startswith("unknown compatibility mode 'SIDEWAYS'")


def test_the_key_marker_wins_over_a_comment_marker():
    text = "# cd-compat: mode=NONE\nx-cd-compat:\n  mode: FORWARD\n"
    assert mode_in_text(text) == "FORWARD"


def test_mode_map_lines_split_on_the_last_equals_sign_and_errors_name_the_option():
    assert parse_mode_map(["  contracts/a=b.json = backward  "]) == {"contracts/a=b.json": "BACKWARD"}
    with pytest.raises(UsageError) as info:
        parse_mode_map(["  no equals sign  "])
    assert str(info.value) == "cd_compat_modes: expected 'path = MODE', got 'no equals sign'"
    with pytest.raises(UsageError) as info:
        parse_mode_map(["a.json=SOMETIMES"], where="pyproject.toml cd_compat_modes")
    assert str(info.value).startswith("pyproject.toml cd_compat_modes: unknown compatibility mode 'SOMETIMES'")


def test_mode_for_names_the_contract_when_its_marker_is_unknown():
    with pytest.raises(UsageError) as info:
        mode_for("contracts/a.json", texts=['{"type": "object"}', '{"x-cd-compat": {"mode": "SIDEWAYS"}}'])
    assert str(info.value).startswith("contracts/a.json: unknown compatibility mode 'SIDEWAYS'")


@pytest.mark.parametrize("pattern", ["contracts/audit", "contracts/audit/", "contracts/audit/*", "contracts/AUDIT_X/"])
def test_a_folder_in_the_mode_map_covers_the_files_under_it(pattern):
    folder = pattern.removesuffix("*").rstrip("/")
    assert mode_for(f"{folder}/log.json", mapping={pattern: "NONE"}) == "NONE"
    assert mode_for(f"{folder}ing.json", mapping={pattern: "NONE"}, default="FULL") == "FULL"


def test_an_empty_default_means_no_mode():
    assert mode_for("contracts/a.json", texts=['{"type": "object"}'], default="") is None
