"""Canonical JSON Schemas: one spelling for each meaning, so rules compare meanings instead of spellings.

The same constraint can be written many ways: OpenAPI 3.0's ``nullable: true``, Swagger's ``x-nullable``, 3.1's
``type: [string, "null"]`` and ``oneOf: [{type: "null"}, {$ref: X}]`` all say "X or null"; draft-04's
``exclusiveMinimum: true`` next to ``minimum: 5`` is 2020-12's ``exclusiveMinimum: 5``; ``enum`` and ``required``
are sets whatever their order. A rule written against every spelling would be a rule with bugs, so (as
hypothesis-jsonschema's ``_canonicalise.py`` does before generating data) we rewrite every schema into one form first:

- 2020-12 keywords only; ``type`` is a sorted list (``integer`` stays distinct, and is dropped next to ``number``);
  every nullable spelling becomes a ``"null"`` member of ``type``, and of ``enum`` when there is one (except for a
  plain ``type: [x, "null"]`` next to an ``enum`` without null: that schema rejects null, and still does);
- ``const`` becomes a one-value ``enum``; ``enum`` is sorted by canonical JSON and ``required`` sorted, both deduped;
- array ``items`` becomes ``prefixItems`` (``additionalItems`` then ``items``), ``dependencies`` becomes
  ``dependentRequired``/``dependentSchemas``, boolean ``exclusiveMinimum``/``Maximum`` become numbers;
- a single-member ``allOf`` wrapper and an ``anyOf``/``oneOf`` of "null" and one schema collapse into that schema;
- annotations are dropped (``title``, ``description``, examples, ``$comment``, ``externalDocs``, ``xml``, ``x-*``)
  but ``readOnly``, ``writeOnly``, ``deprecated``, ``default``, ``format``, ``discriminator`` and ``x-cdc-*`` stay;
  defaults that say nothing (``additionalProperties: true``, ``readOnly: false``) are dropped too.

The input is the output of ``sources/refs.py``: ``$ref`` already replaced by shared objects, possibly cyclic. The
output keeps that sharing: each input node (with its nullability) is canonicalised once, into one output object, and
the walk is iterative (an output node is created empty and filled from a work list), so recursive schemas terminate
and long chains never reach Python's recursion limit. Canonicalising is a fixpoint: doing it twice changes nothing.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["Canonicaliser", "canonicalise", "dumps", "encode", "sorted_values"]

LOC, REF = "x-cdc-loc", "x-cdc-ref"
DROPPED = frozenset(
    {
        "title", "description", "example", "examples", "$comment", "externalDocs", "xml", "$schema", "$id",
        "$anchor", "$defs", "definitions", "$vocabulary", "nullable", "x-nullable", "$dynamicAnchor",
    }
)  # fmt: skip
KEPT_ANNOTATIONS = frozenset({"readOnly", "writeOnly", "deprecated", "default", LOC, REF})
SINGLE = ("additionalProperties", "items", "not", "if", "then", "else", "contains", "propertyNames",
          "unevaluatedItems", "unevaluatedProperties", "contentSchema")  # fmt: skip
LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
MAPS = ("properties", "patternProperties", "dependentSchemas")
NULL_TYPE = ["null"]


def canonicalise(schema: Any, dialect: str | None = None) -> Any:
    """The canonical form of ``schema`` (see the module docstring); ``dialect`` is an OpenAPI version such as
    ``"openapi-3.0"`` or a JSON Schema ``$schema`` URI, and decides which nullable spellings count."""
    return Canonicaliser(dialect).run(schema)


class Canonicaliser:
    def __init__(self, dialect: str | None = None) -> None:
        d = dialect or ""
        self.nullable_key = d.startswith("openapi-3.0")  # ``nullable`` means something only in OpenAPI 3.0
        self.x_nullable = d.startswith(("openapi-2", "openapi-3.0"))
        self.memo: dict[tuple[int, bool], Any] = {}
        self.work: list[tuple[dict[str, Any], dict[str, Any], bool]] = []
        self.keep: list[Any] = []  # inputs whose ids are memo keys must outlive the run

    def run(self, schema: Any) -> Any:
        out = self.node(schema)
        while self.work:
            view, target, nullable = self.work.pop()
            self.fill(view, target, nullable)
        return out

    def node(self, raw: Any, nullable: bool = False) -> Any:
        if isinstance(raw, bool):
            return {"type": list(NULL_TYPE)} if nullable and not raw else raw
        if not isinstance(raw, dict):
            return raw
        key = (id(raw), nullable)
        out = self.memo.get(key)
        if out is None:
            view, nullable = self.flatten(raw, nullable)
            out = self.memo[key] = {}
            self.keep.append(raw)
            self.work.append((view, out, nullable))
        return out

    # -- looking through wrappers ------------------------------------------------------------------------------
    def flatten(self, raw: dict[str, Any], nullable: bool) -> tuple[dict[str, Any], bool]:
        """The keywords of ``raw`` seen through nullable flags and wrappers, and whether null is allowed too."""
        view = dict(raw)
        for _ in range(64):  # wrappers of wrappers; a cycle of wrappers (A: allOf [A]) stops here
            if self.nullable_key and view.get("nullable") is True:
                nullable = True
            if self.x_nullable and view.get("x-nullable") is True:
                nullable = True
            view.pop("nullable", None)
            view.pop("x-nullable", None)
            inner = self.unwrap(view)
            if inner is None:
                return view, nullable
            branch, null_branch = inner
            if isinstance(branch, bool):
                return view, nullable
            nullable = nullable or null_branch
            outer = {k: v for k, v in view.items() if k in KEPT_ANNOTATIONS}
            view = {**{k: v for k, v in branch.items() if k != LOC}, **outer}
            if LOC not in view and LOC in branch:
                view[LOC] = branch[LOC]
            if REF in branch:
                view[REF] = branch[REF]
        return view, nullable

    def unwrap(self, view: dict[str, Any]) -> tuple[Any, bool] | None:
        """``(inner, is_nullable)`` when ``view`` only wraps one schema (``allOf: [X]``, ``anyOf: [null, X]``)."""
        rest = [k for k in view if k not in KEPT_ANNOTATIONS and k not in DROPPED and not k.startswith("x-")]
        if len(rest) != 1:
            return None
        key = rest[0]
        members = view[key]
        if not isinstance(members, list):
            return None
        if key == "allOf" and len(members) == 1:
            return members[0], False
        if key in ("anyOf", "oneOf") and len(members) == 2:
            nulls = [self.is_null_only(m) for m in members]
            other = members[nulls.index(False)] if nulls[0] != nulls[1] else None
            if other is not None and (key == "anyOf" or self.rejects_null(other)):  # oneOf: null must match once
                return other, True
        return None

    def rejects_null(self, schema: Any) -> bool:
        if not isinstance(schema, dict) or (self.nullable_key and schema.get("nullable") is True):
            return False
        if self.x_nullable and schema.get("x-nullable") is True:
            return False
        types = schema.get("type")
        if isinstance(types, (str, list)) and "null" not in ([types] if isinstance(types, str) else types):
            return True
        return isinstance(schema.get("enum"), list) and None not in schema["enum"]

    def is_null_only(self, schema: Any) -> bool:
        if not isinstance(schema, dict):
            return False
        rest = {k: v for k, v in schema.items() if k not in KEPT_ANNOTATIONS and k not in DROPPED}
        rest = {k: v for k, v in rest.items() if not k.startswith("x-")}
        if rest in ({"type": "null"}, {"type": ["null"]}, {"enum": [None]}, {"const": None}):
            return True
        return rest == {"type": ["null"], "enum": [None]}

    # -- building one node -------------------------------------------------------------------------------------
    def fill(self, view: dict[str, Any], out: dict[str, Any], nullable: bool) -> None:
        for key, value in view.items():
            if key in DROPPED or (key.startswith("x-") and not key.startswith("x-cdc-")):
                continue
            if key in SINGLE and not (key == "items" and isinstance(value, list)):
                out[key] = self.node(value)
            elif key in LISTS and isinstance(value, list):
                out[key] = [self.node(v) for v in value]
            elif key in MAPS and isinstance(value, dict):
                out[key] = {k: self.node(v) for k, v in value.items()}
            elif key == "discriminator" and isinstance(value, dict):
                out[key] = self.discriminator(value)
            elif key not in ("type", "enum", "const", "required", "dependencies", "items", "additionalItems"):
                out[key] = value
        self.types(view, out, nullable)
        self.arrays(view, out)
        self.dependencies(view, out)
        if isinstance(view.get("required"), list) and view["required"]:
            out["required"] = sorted(set(view["required"]), key=str)
        for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
            flag = out.get(exclusive)
            if isinstance(flag, bool):
                del out[exclusive]
                if flag and bound in out:
                    out[exclusive] = out.pop(bound)
        for key in ("readOnly", "writeOnly", "deprecated"):
            if out.get(key) is False:
                del out[key]
        for key in ("additionalProperties", "items", "unevaluatedProperties", "unevaluatedItems"):
            if out.get(key) is True:
                del out[key]
        ordered = {k: out[k] for k in sorted(out)}
        out.clear()
        out.update(ordered)
        if nullable and "type" not in out and "enum" not in out and any(k in out for k in (*LISTS[:3], "not", "if")):
            # null must be allowed next to combinators that would reject it: say so explicitly
            inner = dict(out)
            out.clear()
            out["anyOf"] = [{"type": list(NULL_TYPE)}, inner]
            for key in (LOC, REF):
                if key in inner:
                    out[key] = inner[key]

    def types(self, view: dict[str, Any], out: dict[str, Any], nullable: bool) -> None:
        raw = view.get("type")
        types: list[str] | None = None
        if isinstance(raw, str):
            types = [raw]
        elif isinstance(raw, list):
            types = [t for t in raw if isinstance(t, str)]
        if types is not None:
            types = ["string" if t == "file" else t for t in types]
            if nullable:
                types.append("null")
            kinds = set(types)
            if "number" in kinds:
                kinds.discard("integer")
            out["type"] = sorted(kinds)
        values: list[Any] | None = None
        if "const" in view:
            values = [view["const"]]
        elif isinstance(view.get("enum"), list):
            values = list(view["enum"])
        if values is not None:
            if nullable:
                values.append(None)
            out["enum"] = sorted_values(values)

    def arrays(self, view: dict[str, Any], out: dict[str, Any]) -> None:
        items = view.get("items")
        if isinstance(items, list):
            if items:  # an empty tuple constrains nothing (and 2020-12 wants prefixItems non-empty)
                out["prefixItems"] = [self.node(v) for v in items]
            if "additionalItems" in view:
                rest = self.node(view["additionalItems"])
                if rest is not True:
                    out["items"] = rest

    def dependencies(self, view: dict[str, Any], out: dict[str, Any]) -> None:
        deps = view.get("dependencies")
        required = dict(view.get("dependentRequired") or {})
        if isinstance(deps, dict):
            schemas = dict(out.get("dependentSchemas") or {})
            for name, dep in deps.items():
                if isinstance(dep, list):
                    required[name] = dep
                else:
                    schemas[name] = self.node(dep)
            if schemas:
                out["dependentSchemas"] = schemas
        required = {k: sorted(set(v), key=str) for k, v in required.items() if isinstance(v, list) and v}
        if required:
            out["dependentRequired"] = required
        else:
            out.pop("dependentRequired", None)

    def discriminator(self, value: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in value.items() if not k.startswith("x-") or k.startswith("x-cdc-")}
        if isinstance(value.get("mapping"), dict):
            out["mapping"] = {k: self.node(v) for k, v in value["mapping"].items()}
        return out


def encode(value: Any) -> Any:
    """JSON-comparable form of a data value: ``1.0`` and ``1`` are one number, as JSON Schema says."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [encode(v) for v in value]
    return value


def dumps(value: Any) -> str:
    """Canonical JSON text of a (non-cyclic) data value."""
    return json.dumps(encode(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def sorted_values(values: list[Any]) -> list[Any]:
    seen: dict[str, Any] = {}
    for v in values:
        seen.setdefault(dumps(v), v)
    return [seen[k] for k in sorted(seen)]
