"""Canonical schemas (as the loaders produce them) covering every keyword the generator handles.

Recursive ones are built in Python as cyclic dicts, exactly like resolved ``$ref``s.
"""

from __future__ import annotations


def linked_list():
    node = {
        "type": ["object"],
        "properties": {"value": {"type": ["integer"]}},
        "required": ["value"],
        "x-cdc-loc": "/components/schemas/Node",
        "x-cdc-ref": "Node",
    }
    node["properties"]["next"] = {"anyOf": [{"type": ["null"]}, node]}
    return node


def tree():
    node = {"type": ["object"], "properties": {"name": {"type": ["string"], "maxLength": 5}}, "required": ["name"]}
    node["properties"]["children"] = {"type": ["array"], "items": node, "maxItems": 3}
    return node


def mutual():
    a = {"type": ["object"], "properties": {"tag": {"const": "a"}}, "required": ["tag"]}
    b = {"type": ["object"], "properties": {"tag": {"const": "b"}, "a": a}, "required": ["tag"]}
    a["properties"]["b"] = b
    return a


def json_value():
    value = {}
    value["anyOf"] = [
        {"type": ["boolean", "null", "number", "string"]},
        {"type": ["array"], "items": value},
        {"type": ["object"], "additionalProperties": value},
    ]
    return value


def infinite():
    node = {"type": ["object"], "properties": {}, "required": ["again"]}
    node["properties"]["again"] = node
    return node


def pets():
    pet = {
        "type": ["object"],
        "properties": {"petType": {"type": ["string"]}, "name": {"type": ["string"]}},
        "required": ["petType"],
        "x-cdc-ref": "Pet",
    }
    cat = {
        "allOf": [
            pet,
            {
                "type": ["object"],
                "properties": {"lives": {"type": ["integer"], "minimum": 1, "maximum": 9}},
                "required": ["lives"],
            },
        ],
        "x-cdc-ref": "Cat",
    }
    dog = {
        "allOf": [pet, {"type": ["object"], "properties": {"bark": {"type": ["boolean"]}}, "required": ["bark"]}],
        "x-cdc-ref": "Dog",
    }
    pet["discriminator"] = {"propertyName": "petType", "mapping": {"cat": cat, "dog": dog}}
    return pet


def pets_one_of():
    """``oneOf: [Cat, Dog]`` with a mapping, where Cat and Dog inherit the same discriminator from Pet.

    Dog requires ``bark`` so that no cat is also a valid dog: validators ignore the discriminator, so a plain
    ``oneOf`` of two open objects would reject every value matching both.
    """
    pet = pets()
    mapping = pet["discriminator"]["mapping"]
    return {"oneOf": [mapping["cat"], mapping["dog"]], "discriminator": pet["discriminator"]}


def shapes():
    circle = {
        "type": ["object"],
        "properties": {"kind": {"type": ["string"]}, "r": {"type": ["number"], "exclusiveMinimum": 0}},
        "required": ["kind", "r"],
        "x-cdc-ref": "Circle",
    }
    square = {
        "type": ["object"],
        "properties": {"kind": {"type": ["string"]}, "side": {"type": ["integer"]}},
        "required": ["kind", "side"],
        "x-cdc-ref": "Square",
    }
    return {"oneOf": [circle, square], "discriminator": {"propertyName": "kind"}}


OBJ = {
    "type": ["object"],
    "properties": {
        "id": {"type": ["integer"], "format": "int64"},
        "name": {"type": ["string"], "minLength": 1, "maxLength": 20},
        "tags": {"type": ["array"], "items": {"type": ["string"]}},
    },
    "required": ["id"],
    "x-cdc-loc": "/components/schemas/Item",
}

SCHEMAS = {
    "true": True,
    "empty": {},
    "null": {"type": ["null"]},
    "boolean": {"type": ["boolean"]},
    "integer-bounds": {"type": ["integer"], "minimum": -3, "maximum": 7},
    "integer-exclusive": {"type": ["integer"], "exclusiveMinimum": 0, "exclusiveMaximum": 10},
    "integer-multiple": {"type": ["integer"], "multipleOf": 5, "minimum": 1, "maximum": 100},
    "int32": {"type": ["integer"], "format": "int32"},
    "number-bounds": {"type": ["number"], "minimum": 0.5, "exclusiveMaximum": 2.5},
    "number-multiple": {"type": ["number"], "multipleOf": 0.25, "maximum": 10},
    "float": {"type": ["number"], "format": "float"},
    "nullable-integer": {"type": ["integer", "null"]},
    "string-lengths": {"type": ["string"], "minLength": 2, "maxLength": 4},
    "string-pattern": {"type": ["string"], "pattern": "^[A-Z]{2}-[0-9]{3}$"},
    "pattern-and-length": {"type": ["string"], "pattern": "[a-z]+", "maxLength": 6},
    "formats": {
        "anyOf": [
            {"type": ["string"], "format": f}
            for f in (
                "date-time",
                "date",
                "time",
                "email",
                "uuid",
                "uri",
                "ipv4",
                "ipv6",
                "hostname",
                "byte",
                "json-pointer",
            )
        ]
    },
    "unknown-format": {"type": ["string"], "format": "x-weird"},
    "enum": {"type": ["string"], "enum": ["a", "b", "c"]},
    "enum-nullable": {"type": ["string", "null"], "enum": ["a", None]},
    "const": {"const": {"k": [1, 2]}},
    "array-bounds": {"type": ["array"], "items": {"type": ["integer"]}, "minItems": 1, "maxItems": 3},
    "prefix-items": {
        "type": ["array"],
        "prefixItems": [{"type": ["string"]}, {"type": ["boolean"]}],
        "items": {"type": ["null"]},
    },
    "prefix-closed": {"type": ["array"], "prefixItems": [{"type": ["integer"]}], "items": False, "minItems": 1},
    "unique-items": {
        "type": ["array"],
        "items": {"type": ["integer"], "minimum": 0, "maximum": 5},
        "uniqueItems": True,
        "minItems": 3,
    },
    "contains": {
        "type": ["array"],
        "items": {"type": ["integer"]},
        "contains": {"minimum": 100},
        "minContains": 1,
        "maxContains": 2,
    },
    "object": OBJ,
    "object-closed": {**OBJ, "additionalProperties": False},
    "pattern-properties": {
        "type": ["object"],
        "patternProperties": {"^x-": {"type": ["string"]}},
        "additionalProperties": False,
    },
    "map": {"type": ["object"], "additionalProperties": {"type": ["integer"]}, "maxProperties": 3},
    "property-names": {
        "type": ["object"],
        "propertyNames": {"maxLength": 3},
        "properties": {"ab": {"type": ["integer"]}, "long": {"type": ["integer"]}},
    },
    "min-properties": {
        "type": ["object"],
        "properties": {"a": {"type": ["null"]}, "b": {"type": ["null"]}, "c": {"type": ["null"]}},
        "minProperties": 2,
    },
    "dependent-required": {
        "type": ["object"],
        "properties": {"card": {"type": ["string"]}, "billing": {"type": ["string"]}},
        "dependentRequired": {"card": ["billing"]},
    },
    "dependent-schemas": {
        "type": ["object"],
        "properties": {"a": {"type": ["integer"]}, "b": {"type": ["integer"]}},
        "dependentSchemas": {"a": {"required": ["b"]}},
    },
    "all-of": {
        "allOf": [
            OBJ,
            {
                "type": ["object"],
                "properties": {"extra": {"type": ["boolean"]}, "id": {"minimum": 10}},
                "required": ["extra"],
            },
        ]
    },
    "all-of-closed": {
        "allOf": [
            {"type": ["object"], "properties": {"a": {"type": ["integer"]}}},
            {"properties": {"a": {}, "b": {"type": ["string"]}}, "additionalProperties": False},
        ]
    },
    "any-of": {"anyOf": [{"type": ["string"], "maxLength": 2}, {"type": ["integer"], "minimum": 1000}]},
    "one-of-overlap": {"oneOf": [{"type": ["integer"]}, {"type": ["number"], "minimum": 0}]},
    "any-of-siblings": {
        "type": ["object"],
        "properties": {"a": {"type": ["integer"]}, "b": {"type": ["integer"]}},
        "anyOf": [{"required": ["a"]}, {"required": ["b"]}],
    },
    "not-type": {"not": {"type": ["string", "object", "array"]}},
    "not-enum": {"type": ["integer"], "minimum": 0, "maximum": 3, "not": {"enum": [1, 2]}},
    "not-required": {
        "type": ["object"],
        "properties": {"a": {"type": ["integer"]}, "b": {"type": ["integer"]}},
        "not": {"required": ["b"]},
    },
    "if-then-else": {
        "type": ["object"],
        "properties": {"kind": {"enum": ["a", "b"]}, "n": {"type": ["integer"]}},
        "required": ["kind"],
        "if": {"properties": {"kind": {"const": "a"}}},
        "then": {"required": ["n"]},
        "else": {"not": {"required": ["n"]}},
    },
    "unevaluated": {
        "type": ["object"],
        "allOf": [{"properties": {"a": {"type": ["integer"]}}}],
        "properties": {"b": {"type": ["integer"]}},
        "unevaluatedProperties": False,
    },
    "read-write-only": {
        "type": ["object"],
        "properties": {
            "id": {"type": ["integer"], "readOnly": True},
            "secret": {"type": ["string"], "writeOnly": True},
            "name": {"type": ["string"]},
        },
        "required": ["id", "secret", "name"],
    },
    "dynamic-ref": {"type": ["object"], "properties": {"x": {"$dynamicRef": "#meta"}}},
    "linked-list": linked_list(),
    "tree": tree(),
    "mutual": mutual(),
    "json-value": json_value(),
    "discriminator-mapping": pets(),
    "discriminator-oneof": shapes(),
    "discriminator-oneof-inherited": pets_one_of(),
}

UNSATISFIABLE = {
    "false": False,
    "empty-range": {"type": ["integer"], "minimum": 5, "maximum": 3},
    "empty-enum": {"type": ["integer"], "enum": ["a"]},
    "required-false": {"type": ["object"], "properties": {"a": False}, "required": ["a"]},
    "infinite-recursion": infinite(),
    "contradicting-all-of": {"allOf": [{"type": ["string"]}, {"type": ["integer"]}]},
}
