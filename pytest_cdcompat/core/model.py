"""The shared model every contract kind is translated into.

Rules never read raw YAML, Avro, Protobuf or SQL: a loader turns each version of a contract into a ``Contract`` made
of ``Channel``s (an OpenAPI operation, a message, a table), each carrying ``Flow``s (a request, a response per status,
a message, a row read or insert). A flow is written by one ``Party``; which version writes and which reads in each
deploy scenario is decided in ``directions.py`` alone.

Schemas (``Slot.schema``) are *canonical* JSON Schema 2020-12 values built by ``kinds/schema/canonical.py``: plain dicts and
booleans, ``$ref`` already replaced by the referenced Python object (so recursive schemas are cyclic object graphs),
annotations dropped, every nullable spelling turned into a ``"null"`` member of a sorted ``type`` list, and each node
tagged with ``x-cdc-loc`` (the JSON pointer of its origin in the document). Facts JSON Schema cannot express (Avro
defaults, Protobuf field numbers, SQL constraints) live in ``extras``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Party(str, Enum):
    PRODUCER = "producer"
    CONSUMER = "consumer"


Schema = Any  # a canonical JSON Schema: dict[str, Any] | bool (possibly cyclic)


@dataclass(frozen=True, slots=True)
class Slot:
    """One named part of a flow: a parameter, a header, or the body under one media type."""

    name: str  # display name: "limit", "X-Request-Id", "application/json"
    required: bool
    schema: Schema
    location: str  # JSON pointer of this slot in the document
    deprecated: bool = False
    extras: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Flow:
    """Data that crosses the contract in one direction, written by ``written_by``.

    ``params`` holds named slots keyed by a matching key: ``query:limit``, ``header:x-request-id`` (lower-cased),
    ``cookie:sid``, ``path:0`` (path parameters match by position, so renaming ``{id}`` to ``{orderId}`` changes
    nothing). ``bodies`` maps a media type (or ``message``) to the body schema; an empty mapping means no body.
    """

    name: str  # "request", "response 200", "message", "row read", ...
    written_by: Party
    location: str
    params: Mapping[str, Slot] = field(default_factory=dict)
    bodies: Mapping[str, Slot] = field(default_factory=dict)
    body_required: bool = False
    extras: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Channel:
    """An operation, a message or a table. ``key`` is the matching identity (``GET /orders/{}``)."""

    key: str
    title: str  # display: "GET /orders/{orderId}"
    location: str
    flows: Mapping[str, Flow]  # "request", "response:200", "response:2XX", "response:default", "message"
    deprecated: bool = False
    extras: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Contract:
    kind: str  # openapi | jsonschema | asyncapi | avro | protobuf | sql
    source: str  # the path (or git ref:path) it was loaded from
    channels: Mapping[str, Channel]
    version: str | None = None  # e.g. OpenAPI "3.1.0", JSON Schema dialect URI
    notes: tuple[str, ...] = ()
    extras: Mapping[str, Any] = field(default_factory=dict)
