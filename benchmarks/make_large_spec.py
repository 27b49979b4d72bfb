"""Write a large OpenAPI 3.1 pair with the traits of big real APIs: thousands of operations, many ``oneOf``s,
deep ``allOf`` chains and shared components (a chat platform's or a cloud provider's bundled document).

Usage: ``python benchmarks/make_large_spec.py OUT_DIR [--operations 3000] [--changes 20]`` writes ``old.json``
and ``new.json``; ``new`` differs from ``old`` in ``--changes`` places inside shared components (an enum value
added, a maxLength lowered, a required property added, a variant added), each reached from many operations.
Deterministic: the same arguments give the same files.
"""

from __future__ import annotations

import argparse
import copy
import json
from pathlib import Path
from typing import Any

CHAIN = 12  # allOf depth of each resource
RESOURCES = 60
VARIANTS = 8  # oneOf branches per event union


def spec(operations: int) -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for c in range(CHAIN):
        base: dict[str, Any] = {
            "type": "object",
            "properties": {f"level{c}": {"type": "string", "maxLength": 64}, f"count{c}": {"type": "integer"}},
            "required": [f"level{c}"],
        }
        schemas[f"Base{c}"] = {"allOf": [{"$ref": f"#/components/schemas/Base{c - 1}"}, base]} if c else base
    for v in range(VARIANTS):
        schemas[f"Event{v}"] = {
            "type": "object",
            "properties": {
                "kind": {"const": f"event{v}"},
                "status": {"type": "string", "enum": ["new", "open", "closed"]},
                "payload": {"oneOf": [{"type": "string"}, {"$ref": f"#/components/schemas/Base{v % CHAIN}"}]},
            },
            "required": ["kind"],
        }
    schemas["Event"] = {
        "oneOf": [{"$ref": f"#/components/schemas/Event{v}"} for v in range(VARIANTS)],
        "discriminator": {"propertyName": "kind"},
    }
    for r in range(RESOURCES):
        schemas[f"Resource{r}"] = {
            "allOf": [
                {"$ref": f"#/components/schemas/Base{CHAIN - 1}"},
                {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string", "pattern": "^r[0-9]+$"},
                        "owner": {
                            "oneOf": [
                                {"type": "string"},
                                {"$ref": f"#/components/schemas/Resource{(r + 1) % RESOURCES}"},
                                {"type": "null"},
                            ]
                        },
                        "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}},
                        "tags": {"type": "object", "additionalProperties": {"type": "string"}},
                    },
                    "required": ["id"],
                },
            ]
        }
    paths: dict[str, Any] = {}
    for i in range(operations // 2):
        r = i % RESOURCES
        ref = {"$ref": f"#/components/schemas/Resource{r}"}
        item = {
            "get": {
                "operationId": f"get{i}",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "expand", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                ],
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": ref}}},
                    "default": {
                        "description": "error",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Event"}}},
                    },
                },
            },
            "post": {
                "operationId": f"post{i}",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": {"content": {"application/json": {"schema": ref}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": ref}}}},
            },
        }
        paths[f"/v1/group{i // 50}/resource{i}/{{id}}"] = item
    return {
        "openapi": "3.1.0",
        "info": {"title": "Large generated API", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def changed(doc: dict[str, Any], changes: int) -> dict[str, Any]:
    new = copy.deepcopy(doc)
    schemas = new["components"]["schemas"]
    for k in range(changes):
        kind = k % 4
        if kind == 0:
            schemas[f"Event{k % VARIANTS}"]["properties"]["status"]["enum"].append(f"state{k}")
        elif kind == 1:
            level = k % CHAIN
            target = schemas[f"Base{level}"]
            props = (target["allOf"][1] if "allOf" in target else target)["properties"]
            props[f"level{level}"]["maxLength"] = 32 - k % 16
        elif kind == 2:
            extra = schemas[f"Resource{k % RESOURCES}"]["allOf"][1]
            extra["properties"][f"added{k}"] = {"type": "string"}
            extra["required"] = [*extra["required"], f"added{k}"]
        else:
            payload = schemas[f"Event{k % VARIANTS}"]["properties"]["payload"]["oneOf"]
            payload.append({"type": "integer", "minimum": k})
    return new


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--operations", type=int, default=3000)
    ap.add_argument("--changes", type=int, default=20)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    old = spec(args.operations)
    (args.out / "old.json").write_text(json.dumps(old, indent=1))
    (args.out / "new.json").write_text(json.dumps(changed(old, args.changes), indent=1))
    print(f"{args.out}/old.json, {args.out}/new.json: {len(old['paths']) * 2} operations, {args.changes} changes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
