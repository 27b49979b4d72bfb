"""Tiny OpenAPI documents and Pact files for the Pact tests, written into ``tmp_path``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml


def spec(thing: dict[str, Any], *, request: dict[str, Any] | None = None, title: str = "Things API",
         query: list[dict[str, Any]] | None = None) -> dict[str, Any]:  # fmt: skip
    """``GET /things/{id}`` answering ``thing`` (a response schema); ``POST /things`` taking ``request``."""
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "1"},
        "paths": {
            "/things/{id}": {
                "get": {
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                                   *(query or [])],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": thing}}}},
                }
            }
        },
    }  # fmt: skip
    if request is not None:
        doc["paths"]["/things"] = {
            "post": {
                "requestBody": {"required": True, "content": {"application/json": {"schema": request}}},
                "responses": {"201": {"description": "created"}},
            }
        }
    return doc


def obj(required: list[str], **props: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": props}


def interaction(body: Any, rules: dict[str, Any] | None = None, *, path: str = "/things/t-1", method: str = "GET",
                description: str = "a thing", state: str = "thing t-1 exists", request_body: Any = None,
                query: dict[str, list[str]] | None = None, status: int = 200) -> dict[str, Any]:  # fmt: skip
    req: dict[str, Any] = {"method": method, "path": path}
    if request_body is not None:
        req["body"] = request_body
        req["headers"] = {"Content-Type": "application/json"}
    if query is not None:
        req["query"] = query
    resp: dict[str, Any] = {"status": status}
    if body is not None:
        resp["body"] = body
        resp["headers"] = {"Content-Type": "application/json"}
    if rules:
        resp["matchingRules"] = {"body": {k: {"matchers": v if isinstance(v, list) else [v]} for k, v in rules.items()}}
    return {"description": description, "providerStates": [{"name": state}], "request": req, "response": resp}


def pact(*interactions: dict[str, Any], consumer: str = "shop-web", provider: str = "things-api",
         version: str = "3.0.0") -> dict[str, Any]:  # fmt: skip
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": list(interactions),
        "metadata": {"pactSpecification": {"version": version}},
    }


def write(tmp: Path, name: str, doc: Any) -> str:
    path = tmp / name
    if name.endswith(".json"):
        path.write_text(json.dumps(doc, indent=2))
    else:
        path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return str(path)
