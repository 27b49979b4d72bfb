"""Hostile inputs end within their bound with a verdict or one clear message: catastrophic regular expressions
(RE2, or Python's re under a time limit), recursion that never descends into the value, and a total time limit per
comparison. Small inputs that reach each bound; no wall-clock assertions."""

from __future__ import annotations

import json
import time

import pytest

from pytest_cdcompat import Direction, compare
from pytest_cdcompat.cli import main
from pytest_cdcompat.core import regex
from pytest_cdcompat.core.deadline import ComparisonTimeout
from pytest_cdcompat.core.errors import ContractLoadError
from pytest_cdcompat.kinds.schema.recursion import UnguardedRecursion

OLD = Direction.OLD_CONSUMER_NEW_PRODUCER
NEW = Direction.NEW_CONSUMER_OLD_PRODUCER
S = "https://json-schema.org/draft/2020-12/schema"
EVIL = "^(a+)+$"
WRITES_EVIL_INPUT = {"type": "string", "pattern": "^a{30}!$"}  # 30 a's and a '!': 2^30 paths for a backtracker


def write(tmp_path, old, new):
    for name, doc in (("old", old), ("new", new)):
        (tmp_path / f"{name}.json").write_text(json.dumps({"$schema": S, **doc}))
    return tmp_path / "old.json", tmp_path / "new.json"


# -- regular expressions ---------------------------------------------------------------------------------------
def test_a_catastrophic_pattern_is_matched_by_re2_and_gives_a_verdict_both_ways(tmp_path):
    assert regex.engine_for(EVIL) == "re2"
    report = compare(*write(tmp_path, WRITES_EVIL_INPUT, {"type": "string", "pattern": EVIL}), seed=1, examples=20)
    # old writers send 30 a's and a '!', which the new reader's catastrophic pattern must reject (and does, at once)
    (f,) = report.directions[NEW].findings
    assert (f.rule, f.location, f.counterexample) == ("pattern-changed", "/pattern", "a" * 30 + "!")
    assert "pattern changed from '^a{30}!$' to '^(a+)+$'" in f.message
    # new writers send "a", which the old pattern rejects
    (g,) = report.directions[OLD].findings
    assert (g.rule, g.location, g.counterexample) == ("pattern-changed", "/pattern", "a")


def test_a_pattern_re2_cannot_run_is_bounded_and_named(tmp_path, monkeypatch):
    """Lookahead: RE2 refuses it, Python's re backtracks; the time limit ends the comparison with one message."""
    monkeypatch.setattr(regex, "FALLBACK_SECONDS", 0.2)
    lookahead = "^(?=a)(a+)+$"
    assert regex.engine_for(lookahead) == "re"
    old, new = write(tmp_path, WRITES_EVIL_INPUT, {"type": "string", "pattern": lookahead})
    with pytest.raises(ComparisonTimeout) as err:
        compare(old, new, seed=1, examples=20)
    text = str(err.value)
    assert lookahead in text and "31-character string" in text and "lookaround" in text and "new.json" in text


def test_regex_search_keeps_json_schema_semantics():
    assert regex.search("^[a-z]+$", "abc") and not regex.search("^[a-z]+$", "abc\n")  # ECMA: $ is the end
    assert regex.search("b", "abc")  # search, not match
    with pytest.raises(Exception):  # noqa: B017 - re.error, like re.search
        regex.search("(", "x")


# -- recursion that never descends into the value -----------------------------------------------------------
SELF_ANYOF = {"anyOf": [{"$ref": "#"}, {"type": "string"}]}
SELF_ANYOF_SHORT = {"anyOf": [{"$ref": "#"}, {"type": "string", "maxLength": 3}]}


def test_a_self_recursive_anyof_is_legal_and_means_its_base_case(tmp_path):
    same = compare(*write(tmp_path, {"type": "string"}, SELF_ANYOF), seed=1, examples=20)
    assert all(r.findings == () for r in same.directions.values())
    report = compare(*write(tmp_path, SELF_ANYOF, SELF_ANYOF_SHORT), seed=1, examples=20)
    (f,) = report.directions[NEW].findings  # old writers send long strings the new reader refuses
    assert (f.rule, f.location) == ("max-length-decreased", "/anyOf/1/maxLength")
    assert isinstance(f.counterexample, str) and len(f.counterexample) > 3
    assert report.directions[OLD].findings == ()


def test_an_anyof_cycle_over_two_definitions_means_the_union_of_its_exits(tmp_path):
    cycle = {
        "$defs": {"A": {"anyOf": [{"$ref": "#/$defs/B"}, {"type": "integer"}]},
                  "B": {"anyOf": [{"$ref": "#/$defs/A"}, {"type": "string"}]}},
        "$ref": "#/$defs/A",
    }  # fmt: skip
    report = compare(*write(tmp_path, {"type": ["integer", "string"]}, cycle), seed=1, examples=20)
    assert all(r.findings == () for r in report.directions.values())
    narrower = compare(*write(tmp_path, cycle, {"type": "integer"}), seed=1, examples=20)
    assert [f.counterexample for f in narrower.directions[NEW].findings] == [""]  # the B exit: a string


@pytest.mark.parametrize(
    ("doc", "pointer", "fragment"),
    [
        ({"not": {"$ref": "#"}}, "/", "'not' of itself has no meaning"),
        (
            {
                "$defs": {"A": {"allOf": [{"$ref": "#/$defs/B"}]}, "B": {"allOf": [{"$ref": "#/$defs/A"}]}},
                "$ref": "#/$defs/A",
            },
            "/$defs/A",
            "(/$defs/A -> /$defs/B)",
        ),
        ({"type": "object", "allOf": [{"$ref": "#"}]}, "/", "an allOf of itself has no single meaning"),
        ({"oneOf": [{"$ref": "#"}, {"type": "string"}]}, "/", "a oneOf of itself has no meaning"),
    ],
)
def test_recursion_without_a_meaning_is_one_clear_error(tmp_path, capsys, doc, pointer, fragment):
    old, new = write(tmp_path, {"type": "string"}, doc)
    with pytest.raises(UnguardedRecursion) as err:
        compare(old, new)
    assert isinstance(err.value, ContractLoadError)
    assert err.value.path.endswith("new.json") and err.value.pointer == pointer
    assert fragment in str(err.value) and "without descending into the value" in str(err.value)
    assert main(["compare", str(new), str(old)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and fragment in captured.err


def test_guarded_recursion_is_untouched(tmp_path):
    tree = {
        "type": "object",
        "properties": {"v": {"type": "string"}, "kids": {"type": "array", "items": {"$ref": "#"}}},
    }
    deeper = json.loads(json.dumps(tree).replace('"v": {"type": "string"}', '"v": {"type": "string", "maxLength": 2}'))
    report = compare(*write(tmp_path, tree, deeper), seed=1, examples=20)
    (f,) = report.directions[NEW].findings
    assert (f.rule, f.location) == ("max-length-decreased", "/properties/v/maxLength")


# -- the total time limit ---------------------------------------------------------------------------------
def _runaway(*_args, **_kwargs):
    while True:
        time.sleep(0.01)


def test_a_runaway_engine_ends_with_the_timeout_error(tmp_path, monkeypatch):
    from pytest_cdcompat.kinds.schema import schema_engine

    monkeypatch.setattr(schema_engine, "run", _runaway)
    old, new = write(tmp_path, {"type": "string"}, {"type": "integer"})
    with pytest.raises(ComparisonTimeout) as err:
        compare(old, new, timeout=0.3)
    assert "did not finish within 0.3 s (--cd-compat-timeout)" in str(err.value) and "new.json" in str(err.value)


def test_a_runaway_inside_the_hypothesis_search_is_not_swallowed(tmp_path, monkeypatch, capsys):
    """hypothesis treats an Exception in the search as a failure to shrink; the limit passes through it."""
    from pytest_cdcompat.kinds.schema.generate import counterexample

    monkeypatch.setattr(counterexample, "accepts", _runaway)
    # multiples of 4 are multiples of 2, but the local check before a search does not know it: the search runs
    old, new = write(tmp_path, {"type": "integer", "multipleOf": 2}, {"type": "integer", "multipleOf": 4})
    assert main(["compare", str(old), str(new), "--timeout", "1", "--seed", "1"]) == 2
    err = capsys.readouterr().err
    assert "did not finish within 1 s (--cd-compat-timeout)" in err and "Traceback" not in err


def test_the_limit_is_an_option_of_both_front_ends():
    from pytest_cdcompat.run.options import BY_NAME, RunOptions

    assert BY_NAME["timeout"].default == 600
    assert RunOptions(timeout=5).settings().timeout == 5
    assert RunOptions(timeout=0).settings().timeout is None  # 0: no limit
