"""Random schemas: the generator never crashes, never yields an invalid value, and minimal instances are valid."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_cdcompat.catalogue.base import NOTHING
from pytest_cdcompat.kinds.schema.generate import embed, is_valid, minimal_instance, strategy_for

NAMES = ["a", "b", "c"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["", "x", "yy"]))


LEAVES = st.one_of(
    st.sampled_from([True, False, {}]),
    st.sampled_from(["null", "boolean", "integer", "number", "string"]).map(lambda t: {"type": [t]}),
    st.fixed_dictionaries(
        {"type": st.just(["integer"])},
        optional={
            "minimum": st.integers(-5, 5),
            "maximum": st.integers(-5, 5),
            "exclusiveMinimum": st.integers(-5, 5),
            "multipleOf": st.integers(1, 3),
            "format": st.just("int32"),
        },
    ),
    st.fixed_dictionaries(
        {"type": st.sampled_from([["number"], ["integer", "number"], ["null", "number"]])},
        optional={
            "minimum": st.floats(-5, 5),
            "exclusiveMaximum": st.floats(-5, 5),
            "multipleOf": st.sampled_from([0.5, 2]),
        },
    ),
    st.fixed_dictionaries(
        {"type": st.sampled_from([["string"], ["null", "string"]])},
        optional={
            "minLength": st.integers(0, 3),
            "maxLength": st.integers(0, 5),
            "pattern": st.sampled_from(["^[a-c]+$", "x", "^[0-9]{2}$"]),
            "format": st.sampled_from(["date", "email", "uuid", "ipv4", "x-unknown"]),
        },
    ),
    st.lists(SCALARS, min_size=1, max_size=3, unique=True).map(lambda e: {"enum": e}),
    SCALARS.map(lambda c: {"const": c}),
)


@st.composite
def _object(draw, inner):
    props = draw(st.dictionaries(st.sampled_from(NAMES), inner, max_size=3))
    out = {"type": ["object"], "properties": props}
    if props:
        out["required"] = draw(st.lists(st.sampled_from(sorted(props)), unique=True, max_size=2))
    out.update(
        draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "additionalProperties": st.one_of(st.booleans(), inner),
                    "minProperties": st.integers(0, 2),
                    "maxProperties": st.integers(0, 3),
                    "dependentRequired": st.just({"a": ["b"]}),
                    "patternProperties": st.just({"^z": {"type": ["integer"]}}),
                },
            )
        )
    )
    return out


def _extend(inner):
    return st.one_of(
        _object(inner),
        st.fixed_dictionaries(
            {"type": st.just(["array"]), "items": inner},
            optional={
                "minItems": st.integers(0, 2),
                "maxItems": st.integers(0, 3),
                "uniqueItems": st.booleans(),
                "contains": inner,
                "prefixItems": st.lists(inner, max_size=2),
            },
        ),
        st.lists(inner, min_size=1, max_size=3).map(lambda b: {"anyOf": b}),
        st.lists(inner, min_size=1, max_size=3).map(lambda b: {"oneOf": b}),
        st.lists(inner, min_size=1, max_size=3).map(lambda b: {"allOf": b}),
        inner.map(lambda n: {"not": n}),
        st.tuples(inner, inner, inner).map(lambda t: {"if": t[0], "then": t[1], "else": t[2]}),
    )


SCHEMAS = st.recursive(LEAVES, _extend, max_leaves=5)
# CDCOMPAT_FUZZ_EXAMPLES=2000 for a long local run
FUZZ = settings(
    max_examples=int(os.environ.get("CDCOMPAT_FUZZ_EXAMPLES", "40")),
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@FUZZ
@given(SCHEMAS, st.data())
def test_random_schema_values_are_valid(schema, data):
    strategy = strategy_for(schema)
    if strategy.is_empty:
        return
    value = data.draw(strategy)
    assert is_valid(schema, value)


@FUZZ
@given(SCHEMAS)
def test_random_schema_minimal_instances_are_valid(schema):
    value = minimal_instance(schema)
    assert value is NOTHING or is_valid(schema, value)
    again = minimal_instance(schema)
    assert (again is NOTHING) == (value is NOTHING)
    if value is not NOTHING:
        assert again == value


@FUZZ
@given(SCHEMAS, st.lists(st.sampled_from([*NAMES, 0, 1]), min_size=1, max_size=3), SCALARS)
def test_random_embed_never_crashes_and_places_the_witness(schema, path, witness):
    value = embed(schema, path, witness)
    if value is NOTHING:
        return
    here = value
    for step in path:
        assert isinstance(here, (dict, list))
        here = here[step]
    assert here == witness
