"""Avro ``.avsc`` -> ``Contract``: one message channel whose writer is the producer.

fastavro judges validity (``parse_schema``); ``avro/schema.py`` builds the node graph rules walk, with JSON
pointers into the file. The contract keeps, in ``extras``: ``node`` (the graph), ``schema`` (fastavro's parsed
schema without logical types, used for round trips) and ``mode`` (an ``x-cd-compat`` key, Confluent mode name).
"""

from __future__ import annotations

import json
from typing import Any

from pytest_cdcompat.core.errors import ContractLoadError
from pytest_cdcompat.core.model import Channel, Contract, Flow, Party, Slot
from pytest_cdcompat.core.settings import Settings
from pytest_cdcompat.sources.source import Source


def parse_json(text: bytes, label: str) -> Any:
    try:
        return json.loads(text.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise ContractLoadError(f"not UTF-8 text (byte {e.start})", path=label) from None
    except json.JSONDecodeError as e:
        raise ContractLoadError(f"not valid JSON: {e.msg}", path=label, line=e.lineno, column=e.colno) from None


def check_unions(raw: Any, label: str, pointer: str = "") -> None:
    """The Avro specification: "Unions may not immediately contain other unions". fastavro accepts
    ``["null", ["int", "string"]]``, so it is refused here, with the pointer of the inner union."""
    stack: list[tuple[Any, str]] = [(raw, pointer)]
    seen: set[int] = set()
    while stack:
        node, ptr = stack.pop()
        if isinstance(node, list):
            for i, branch in enumerate(node):
                if isinstance(branch, list):
                    raise ContractLoadError(
                        "a union inside a union is not valid Avro (a union may not immediately contain another union)",
                        path=label,
                        pointer=f"{ptr}/{i}",
                    )
                stack.append((branch, f"{ptr}/{i}"))
        elif isinstance(node, dict) and id(node) not in seen:
            seen.add(id(node))
            for key in ("type", "items", "values"):
                if isinstance(node.get(key), (list, dict)):
                    stack.append((node[key], f"{ptr}/{key}"))
            if isinstance(node.get("fields"), list):
                stack.extend((f, f"{ptr}/fields/{i}") for i, f in enumerate(node["fields"]) if isinstance(f, dict))


def fastavro_parse(raw: Any, label: str, pointer: str = "") -> Any:
    from fastavro import parse_schema

    check_unions(raw, label, pointer)
    try:
        return parse_schema(raw)
    except Exception as e:  # fastavro raises several unrelated types for bad schemas
        raise ContractLoadError(f"fastavro rejects the schema: {e}", path=label, pointer=pointer) from None


def canonical(raw: Any) -> str:
    """The schema as sorted JSON without ``doc``: equal canonical texts cannot differ in behaviour."""

    def strip(x: Any) -> Any:
        if isinstance(x, list):
            return [strip(v) for v in x]
        if isinstance(x, dict):
            return {k: (v if k == "default" else strip(v)) for k, v in x.items() if k != "doc"}
        return x

    return json.dumps(strip(raw), sort_keys=True)


def schema_facts(raw: Any, label: str, pointer: str = "") -> dict[str, Any]:
    """What the Avro engine needs about one schema: ``node`` (the graph), ``named``, ``canonical`` and ``schema``
    (fastavro's parse without logical types). ``pointer`` places the schema inside a bigger document in errors."""
    from pytest_cdcompat.kinds.avro.avro_schema import build, strip_logical

    try:
        node, named = build(raw, label)
    except ContractLoadError as e:
        if pointer and e.pointer is not None:
            raise ContractLoadError(e.message, path=e.path, pointer=pointer + e.pointer) from None
        raise
    fastavro_parse(raw, label, pointer)
    schema = fastavro_parse(strip_logical(raw), label, pointer)
    return {"node": node, "named": named, "canonical": canonical(raw), "schema": schema}


def load(source: Source, settings: Settings) -> Contract:
    raw = parse_json(source.read_main(), source.label)
    facts = schema_facts(raw, source.label)
    node = facts["node"]
    mode = raw.get("x-cd-compat") if isinstance(raw, dict) else None
    key = node.name or "message"
    slot = Slot(name="message", required=True, schema=True, location="", extras={"node": node})
    flow = Flow(name="message", written_by=Party.PRODUCER, location="", bodies={"message": slot})
    channel = Channel(key=key, title=node.label(), location="", flows={"message": flow}, extras={"node": node})
    return Contract(
        kind="avro",
        source=source.label,
        channels={key: channel},
        extras={**facts, "mode": mode if isinstance(mode, str) else None},
    )
