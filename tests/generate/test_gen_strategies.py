"""Invariants of the strategies: every value is valid, few are rejected, tolerant mode stays within declarations."""

from __future__ import annotations

import pytest
from gen_schemas import SCHEMAS, UNSATISFIABLE, linked_list, pets, pets_one_of, tree
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

import pytest_cdcompat.kinds.schema.generate.strategies as strategies
from pytest_cdcompat.kinds.schema.generate import is_valid, strategy_for

NO_FILTER_CHECK = settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_value_is_valid(name):
    schema = SCHEMAS[name]
    strategy = strategy_for(schema)
    # the root safety filter is bypassed so that construction errors show up, not just hide as rejections
    raw = strategies._Builder(schema, "message", False).build(schema, strategies.BUDGET)
    assert raw is not None

    @NO_FILTER_CHECK
    @given(strategy, raw)
    def check(value, unfiltered):
        assert is_valid(schema, value), value
        assert is_valid(schema, unfiltered), unfiltered

    check()


def test_rejection_rate_is_low():
    strategies.FILTER_STATS.update(checked=0, rejected=0)
    worst = {}
    for name, schema in SCHEMAS.items():
        before = dict(strategies.FILTER_STATS)

        @settings(max_examples=30, database=None, suppress_health_check=list(HealthCheck), derandomize=True)
        @given(strategy_for(schema))
        def draw(value):
            pass

        draw()
        checked = strategies.FILTER_STATS["checked"] - before["checked"]
        rejected = strategies.FILTER_STATS["rejected"] - before["rejected"]
        worst[name] = rejected / checked if checked else 0.0
    total = strategies.FILTER_STATS
    assert total["checked"] > 0
    # measured: about 3% overall; the worst schemas are contrived (2 of 4 integers excluded by `not`)
    assert total["rejected"] / total["checked"] < 0.1, worst
    assert max(worst.values()) < 0.5, worst


@pytest.mark.parametrize("name", sorted(UNSATISFIABLE))
def test_unsatisfiable_schemas_give_nothing(name):
    assert strategy_for(UNSATISFIABLE[name]).is_empty


def _keys(value, out):
    if isinstance(value, dict):
        out.update(value)
        for v in value.values():
            _keys(v, out)
    elif isinstance(value, list):
        for v in value:
            _keys(v, out)
    return out


DECLARED = [
    (SCHEMAS["object"], {"id", "name", "tags"}),
    (SCHEMAS["all-of"], {"id", "name", "tags", "extra"}),
    (SCHEMAS["any-of-siblings"], {"a", "b"}),
    (tree(), {"name", "children"}),
    (linked_list(), {"value", "next"}),
    (pets(), {"petType", "name", "lives", "bark"}),
]


@pytest.mark.parametrize(("schema", "declared"), DECLARED)
def test_tolerant_mode_emits_only_declared_properties(schema, declared):
    @given(strategy_for(schema))
    def check(value):
        assert _keys(value, set()) <= declared

    check()


def test_strict_mode_emits_extra_properties_where_open():
    schema = SCHEMAS["object"]
    value = find(
        strategy_for(schema, strict=True),
        lambda v: set(v) - {"id", "name", "tags"},
        settings=settings(database=None, derandomize=True),
    )
    assert is_valid(schema, value)
    closed = SCHEMAS["object-closed"]

    @given(strategy_for(closed, strict=True))
    def check(value):
        assert set(value) <= {"id", "name", "tags"}

    check()


@pytest.mark.parametrize("name", ["map", "pattern-properties"])
def test_maps_and_pattern_properties_are_declared_entries(name):
    sizes = set()

    @settings(max_examples=40, database=None)
    @given(strategy_for(SCHEMAS[name]))
    def check(value):
        assert name == "map" or all(k.startswith("x-") for k in value)
        sizes.add(len(value))

    check()
    assert max(sizes) >= 2  # a declared map does get entries in tolerant mode


@pytest.mark.parametrize(("context", "hidden"), [("request", "id"), ("response", "secret")])
def test_context_hides_read_only_and_write_only(context, hidden):
    schema = SCHEMAS["read-write-only"]

    @given(strategy_for(schema, context=context))
    def check(value):
        assert hidden not in value
        assert "name" in value

    check()


def test_recursion_terminates_and_still_recurses():
    deep = find(
        strategy_for(linked_list()),
        lambda v: v.get("next") and v["next"].get("next"),
        settings=settings(database=None, derandomize=True),
    )
    assert deep["next"]["next"]["value"] is not None

    @given(strategy_for(tree()))
    def check(value):
        def depth(v):
            return 1 + max((depth(c) for c in v.get("children", [])), default=0)

        assert depth(value) <= strategies.BUDGET + 1

    check()


def test_discriminator_value_names_the_branch():
    @given(strategy_for(pets()))
    def check(value):
        assert value["petType"] in ("cat", "dog")
        if value["petType"] == "cat":
            assert 1 <= value["lives"] <= 9

    check()

    @given(strategy_for(SCHEMAS["discriminator-oneof"]))
    def check_oneof(value):
        assert value["kind"] == ("Circle" if "r" in value else "Square")

    check_oneof()

    seen = set()

    @given(strategy_for(pets_one_of()))
    def check_inherited(value):
        assert value["petType"] in ("cat", "dog")
        assert ("lives" in value) == (value["petType"] == "cat")
        seen.add(value["petType"])

    check_inherited()
    assert seen == {"cat", "dog"}


def test_enum_values_and_null_are_all_reachable():
    seen = set()

    @settings(max_examples=60, database=None)
    @given(strategy_for({"type": ["string", "null"], "enum": ["a", "b", None]}))
    def collect(value):
        seen.add(value)

    collect()
    assert seen == {"a", "b", None}


@given(st.data())
def test_formats_are_valid_formats(data):
    for fmt in ("date-time", "date", "time", "email", "uuid", "ipv4", "ipv6", "byte", "uri", "hostname"):
        value = data.draw(strategy_for({"type": ["string"], "format": fmt}))
        assert is_valid({"format": fmt}, value), (fmt, value)
