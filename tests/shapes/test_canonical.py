from __future__ import annotations

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_cdcompat.kinds.schema import Hasher, canonicalise, structural_hash

D04 = "http://json-schema.org/draft-04/schema#"
D07 = "http://json-schema.org/draft-07/schema#"
PROFILE = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow])  # fmt: skip

KEYS = st.sampled_from(["a", "b", "c"])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([0.5, -1.5, 2.25]), st.sampled_from(["", "x", "yy"])
)
VALUES = st.recursive(
    SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=3)),
    max_leaves=8,
)  # fmt: skip
TYPES = st.sampled_from(["string", "integer", "number", "boolean", "null", "array", "object"])


def leaves(draft4: bool) -> st.SearchStrategy:
    bound = st.integers(-2, 2)
    exclusive = (
        st.fixed_dictionaries({"minimum": bound, "exclusiveMinimum": st.booleans()})
        if draft4
        else st.fixed_dictionaries({"exclusiveMinimum": bound})
    )
    return st.one_of(
        st.just({}) if draft4 else st.booleans(),  # draft-04 has no boolean schemas
        st.fixed_dictionaries({"type": TYPES}),
        st.fixed_dictionaries({"type": st.lists(TYPES, min_size=1, max_size=3, unique=True)}),
        st.fixed_dictionaries({"enum": st.lists(SCALARS, min_size=1, max_size=4)}),
        exclusive,
        st.fixed_dictionaries({"maximum": bound, "exclusiveMaximum": st.booleans()}) if draft4 else st.just({}),
        st.fixed_dictionaries({"minLength": st.integers(0, 2), "description": st.just("annotation")}),
        st.fixed_dictionaries({"required": st.lists(KEYS, max_size=3)}),
        *([] if draft4 else [st.fixed_dictionaries({"const": SCALARS})]),
    )


def schemas(draft4: bool = False) -> st.SearchStrategy:
    def extend(inner):
        dependency = st.one_of(st.lists(KEYS, max_size=2), inner)
        return st.one_of(
            st.fixed_dictionaries(
                {"properties": st.dictionaries(KEYS, inner, max_size=2)},
                optional={"required": st.lists(KEYS, max_size=2), "additionalProperties": inner},
            ),
            st.fixed_dictionaries({"items": inner}),
            st.fixed_dictionaries({"items": st.lists(inner, max_size=2)}, optional={"additionalItems": inner}),
            st.fixed_dictionaries({"anyOf": st.lists(inner, min_size=1, max_size=3)}),
            st.fixed_dictionaries({"oneOf": st.lists(inner, min_size=1, max_size=2)}),
            st.fixed_dictionaries({"allOf": st.lists(inner, min_size=1, max_size=2)}, optional={"title": st.just("t")}),
            st.fixed_dictionaries({"anyOf": st.tuples(st.just({"type": "null"}), inner).map(list)}),
            st.fixed_dictionaries({"not": inner}),
            st.fixed_dictionaries({"dependencies": st.dictionaries(KEYS, dependency, max_size=2)}),
        )

    return st.recursive(leaves(draft4), extend, max_leaves=6)


def valid(schema, value, cls) -> bool:
    return cls(schema).is_valid(value)


@PROFILE
@given(schemas(), VALUES)
def test_canonicalise_keeps_validity_draft07(schema, value):
    after = canonicalise(schema, D07)
    jsonschema.Draft202012Validator.check_schema(after)
    # stronger than "valid before, valid after": the canonical form means exactly the same
    assert valid(schema, value, jsonschema.Draft7Validator) == valid(after, value, jsonschema.Draft202012Validator)


@PROFILE
@given(schemas(draft4=True), VALUES)
def test_canonicalise_keeps_validity_draft04(schema, value):
    after = canonicalise(schema, D04)
    assert valid(schema, value, jsonschema.Draft4Validator) == valid(after, value, jsonschema.Draft202012Validator)


@PROFILE
@given(schemas())
def test_canonicalise_is_idempotent(schema):
    once = canonicalise(schema, D07)
    twice = canonicalise(once, D07)
    assert twice == once
    assert structural_hash(twice) == structural_hash(once)


@PROFILE
@given(schemas())
def test_structural_hash_ignores_locations(schema):
    tagged = canonicalise(schema)
    if isinstance(tagged, dict):
        tagged = {**tagged, "x-cdc-loc": "/somewhere", "x-cdc-ref": "Name"}
    assert structural_hash(tagged) == structural_hash(canonicalise(schema))


NULLABLE_SPELLINGS = [
    ("openapi-3.0", {"type": "string", "nullable": True, "enum": ["b", "a"]}),
    ("openapi-2.0", {"type": "string", "x-nullable": True, "enum": ["a", "b"]}),
    ("openapi-3.1", {"type": ["string", "null"], "enum": ["a", None, "b"]}),
    ("openapi-3.1", {"oneOf": [{"type": "null"}, {"type": "string", "enum": ["a", "b"]}]}),
    ("openapi-3.1", {"anyOf": [{"type": "string", "enum": ["b", "a"]}, {"type": ["null"]}], "description": "d"}),
    ("openapi-3.0", {"nullable": True, "allOf": [{"type": "string", "enum": ["a", "b"]}]}),
]


def test_one_of_null_is_kept_when_the_other_branch_also_accepts_null():
    schema = {"oneOf": [{"type": "null"}, {"minLength": 1}]}  # null matches both branches: invalid
    out = canonicalise(schema, "openapi-3.1")
    assert not jsonschema.Draft202012Validator(out).is_valid(None)


@pytest.mark.parametrize(("dialect", "schema"), NULLABLE_SPELLINGS)
def test_nullable_spellings_are_one(dialect, schema):
    assert canonicalise(schema, dialect) == {"type": ["null", "string"], "enum": ["a", "b", None]}


def test_nullable_without_type_next_to_combinators():
    out = canonicalise({"nullable": True, "oneOf": [{"type": "string"}, {"type": "integer"}]}, "openapi-3.0")
    assert out == {"anyOf": [{"type": ["null"]}, {"oneOf": [{"type": ["string"]}, {"type": ["integer"]}]}]}
    assert jsonschema.Draft202012Validator(out).is_valid(None)
    assert canonicalise(out) == out


def test_type_null_next_to_enum_without_null_still_rejects_null():
    out = canonicalise({"type": ["string", "null"], "enum": ["a"]}, "openapi-3.1")
    assert out == {"type": ["null", "string"], "enum": ["a"]}


def test_nullable_means_nothing_outside_openapi_3_0():
    assert canonicalise({"type": "string", "nullable": True}, "openapi-3.1") == {"type": ["string"]}


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "integer"}, {"type": ["integer"]}),
        ({"type": ["number", "integer", "string"]}, {"type": ["number", "string"]}),
        ({"const": 3}, {"enum": [3]}),
        ({"enum": [2, 1, 1.0, "a", None, True]}, {"enum": ["a", 1, 2, None, True]}),
        ({"required": ["b", "a", "b"]}, {"required": ["a", "b"]}),
        ({"required": []}, {}),
        (
            {"minimum": 1, "exclusiveMinimum": True, "maximum": 5, "exclusiveMaximum": False},
            {"exclusiveMinimum": 1, "maximum": 5},
        ),
        (
            {"items": [{"type": "string"}], "additionalItems": {"type": "integer"}},
            {"prefixItems": [{"type": ["string"]}], "items": {"type": ["integer"]}},
        ),
        ({"items": {"type": "string"}, "additionalItems": False}, {"items": {"type": ["string"]}}),
        (
            {"dependencies": {"a": ["c", "b"], "d": {"required": ["e"]}}},
            {"dependentRequired": {"a": ["b", "c"]}, "dependentSchemas": {"d": {"required": ["e"]}}},
        ),
        (
            {
                "title": "T",
                "description": "D",
                "example": 1,
                "examples": [1],
                "$comment": "c",
                "externalDocs": {},
                "xml": {},
                "x-vendor": 1,
                "readOnly": True,
                "deprecated": True,
                "default": "x",
                "format": "date",
                "x-cdc-loc": "/p",
            },
            {"readOnly": True, "deprecated": True, "default": "x", "format": "date", "x-cdc-loc": "/p"},
        ),
        ({"readOnly": False, "additionalProperties": True, "items": True}, {}),
        ({"allOf": [{"type": "string"}], "readOnly": True}, {"type": ["string"], "readOnly": True}),
        ({"$defs": {"a": {}}, "definitions": {}, "$schema": D07, "$id": "x", "type": "null"}, {"type": ["null"]}),
        ({"type": "file"}, {"type": ["string"]}),
    ],
)
def test_canonical_form(schema, expected):
    assert canonicalise(schema, "openapi-2.0") == expected


def test_equivalent_spellings_hash_equal():
    a = {"type": "object", "required": ["y", "x"], "properties": {"x": {"enum": [2, 1]}, "y": {"type": "string"}}}
    b = {"properties": {"y": {"type": ["string"]}, "x": {"enum": [1, 2]}}, "required": ["x", "y"], "type": ["object"]}
    assert structural_hash(canonicalise(a)) == structural_hash(canonicalise(b))
    c = {**b, "required": ["x"]}
    assert structural_hash(canonicalise(a)) != structural_hash(canonicalise(c))


def cyclic(extra=None):
    node = {"type": "object", "properties": {}}
    node["properties"]["next"] = node
    node["properties"]["items"] = {"type": "array", "items": node}
    if extra:
        node["properties"].update(extra)
    return node


def test_cycles_terminate_and_keep_sharing():
    out = canonicalise(cyclic())
    assert out["properties"]["next"] is out
    assert out["properties"]["items"]["items"] is out
    again = canonicalise(out)
    assert again["properties"]["next"] is again
    assert structural_hash(again) == structural_hash(out)


def test_hash_of_cycles():
    assert structural_hash(canonicalise(cyclic())) == structural_hash(canonicalise(cyclic()))
    assert structural_hash(cyclic()) != structural_hash(cyclic({"z": {"type": "string"}}))
    hasher = Hasher()
    graph = cyclic()
    entry = {"anyOf": [graph, graph["properties"]["items"]]}
    assert hasher.hash(entry) == Hasher().hash(entry)
    assert hasher.hash(graph["properties"]["items"]) == Hasher().hash(graph["properties"]["items"])


def test_hash_ref_target_equals_inline_copies():
    shared = {"type": ["string"], "x-cdc-ref": "S", "x-cdc-loc": "/components/schemas/S"}
    by_ref = {"properties": {"a": shared, "b": shared}}
    inline = {"properties": {"a": {"type": ["string"]}, "b": {"type": ["string"]}}}
    assert structural_hash(by_ref) == structural_hash(inline)


def test_empty_schema_hashes_like_true():
    assert structural_hash({"x-cdc-loc": "/a"}) == structural_hash(True) != structural_hash(False)


def test_deep_chain_does_not_recurse():
    schema: dict = {"type": "string"}
    for _ in range(5000):
        schema = {"type": "array", "items": schema}
    out = canonicalise(schema)
    depth = 0
    while "items" in out:
        out = out["items"]
        depth += 1
    assert depth == 5000 and out == {"type": ["string"]}


def test_long_chain_of_recursive_schemas_hashes_without_recursion():
    nodes = [{"type": ["object"], "properties": {}} for _ in range(3000)]
    for i, node in enumerate(nodes):
        node["properties"]["self"] = node
        if i + 1 < len(nodes):
            node["properties"]["next"] = nodes[i + 1]
    hasher = Hasher()
    assert hasher.hash(nodes[0]) != hasher.hash(nodes[1])  # the chains differ in length
    alone = {"type": ["object"], "properties": {}}
    alone["properties"]["self"] = alone
    assert hasher.hash(nodes[-1]) == Hasher().hash(alone)
    out = canonicalise(nodes[0])
    assert out["properties"]["self"] is out


GRAPHS = st.integers(1, 6).flatmap(
    lambda n: st.lists(
        st.tuples(st.sampled_from(["a", "b"]), st.dictionaries(st.sampled_from(["p", "q"]), st.integers(0, n - 1))),
        min_size=n,
        max_size=n,
    )
)


def build(spec, order):
    nodes = {i: {"type": [spec[i][0]], "properties": {}} for i in order}
    for i in order:
        for key, target in spec[i][1].items():
            nodes[i]["properties"][key] = nodes[target]
    return nodes


def unfold(node, depth):
    if depth == 0:
        return ()
    return (node["type"][0], tuple(sorted((k, unfold(v, depth - 1)) for k, v in node["properties"].items())))


@PROFILE
@given(GRAPHS, st.randoms(use_true_random=False))
def test_structural_hash_on_random_cyclic_graphs(spec, rnd):
    n = len(spec)
    first = build(spec, range(n))
    order = list(range(n))
    rnd.shuffle(order)
    second = build(spec, order)  # same graph, other objects built in another order
    hasher = Hasher()
    hashes = [hasher.hash(first[i]) for i in range(n)]
    assert hashes == [Hasher().hash(second[i]) for i in range(n)]
    for u in range(n):
        for v in range(u + 1, n):
            if hashes[u] == hashes[v]:  # equal hashes only for equal schemas (n levels tell n states apart)
                assert unfold(first[u], n + 1) == unfold(first[v], n + 1)


def test_render_is_finite_json():
    import json

    from pytest_cdcompat.kinds.schema import render

    graph = canonicalise(cyclic())
    graph["x-cdc-loc"] = "/components/schemas/Node"
    out = render(graph)
    assert out["properties"]["next"] == {"$ref": "/components/schemas/Node"}
    assert out["properties"]["items"]["items"] == {"$ref": "/components/schemas/Node"}
    assert out["type"] == ["object"] and "x-cdc-loc" not in out
    json.dumps(out)
    assert render(graph, tags=True)["x-cdc-loc"] == "/components/schemas/Node"
    assert render({"enum": [1, None], "type": ["integer", "null"]}) == {"enum": [1, None], "type": ["integer", "null"]}
