"""Whole HTTP requests generated with hypothesis from one operation of a specification: what its clients send.

Each parameter and the JSON body are drawn with the schema generator's strategies (``kinds/schema/generate``, the
same values the static engine uses for counterexamples), in the ``request`` context (no ``readOnly`` properties);
required parameters are always present, optional ones sometimes. Values are serialised the OpenAPI default way:
path and header values in ``simple`` style (arrays comma-joined), query values in ``form`` style with ``explode``
(an array repeats the name). Draws that cannot travel (an empty path segment, a header value with control
characters) are filtered out. Headers the user supplies (authentication) are never generated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from hypothesis import strategies as st

from pytest_cdcompat.core.model import Channel, Slot
from pytest_cdcompat.kinds.schema.generate.strategies import strategy_for

TEMPLATE_VAR = re.compile(r"\{([^}]*)\}")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_HEADER_VALUE = re.compile(r"^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$")


@dataclass(frozen=True)
class Request:
    """One generated request, before it is addressed to a server."""

    method: str
    template: str  # "/orders/{orderId}"
    path: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, Any] = field(default_factory=dict)
    content_type: str | None = None
    body: Any = None
    has_body: bool = False

    def url(self, base: str) -> str:
        path = self.template
        for name, value in self.path.items():
            path = path.replace("{" + name + "}", quote(serialise(value), safe=""))
        pairs: list[tuple[str, str]] = []
        for name, value in self.query.items():
            values = value if isinstance(value, list) else [value]
            pairs += [(name, serialise(v)) for v in values]
        return base + path + (("?" + urlencode(pairs)) if pairs else "")

    def header_lines(self) -> dict[str, str]:
        out = {name: serialise(value) for name, value in self.headers.items()}
        if self.has_body and self.content_type:
            out["Content-Type"] = self.content_type
        return out

    def payload(self) -> bytes | None:
        if not self.has_body:
            return None
        return json.dumps(self.body, ensure_ascii=False, separators=(",", ":")).encode()

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"method": self.method, "path": dict(self.path)}
        if self.query:
            out["query"] = dict(self.query)
        if self.headers:
            out["headers"] = {k: serialise(v) for k, v in self.headers.items()}
        if self.has_body:
            out["content_type"], out["body"] = self.content_type, self.body
        return out


def serialise(value: Any) -> str:
    """The ``simple``-style text of a parameter value."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(serialise(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k},{serialise(v)}" for k, v in value.items())
    return json.dumps(value)


def is_json_media(media: str) -> bool:
    main = media.split(";", 1)[0].strip().lower()
    return main == "application/json" or main.endswith("+json")


def template_of(channel: Channel) -> tuple[str, str] | None:
    """``(METHOD, path template)`` of an HTTP operation; None for webhooks and callbacks."""
    method, _, path = channel.title.partition(" ")
    if not path.startswith("/") or not method.isalpha():
        return None
    return method.upper(), path


def _travels_in_path(value: Any) -> bool:
    text = serialise(value)
    return text not in ("", ".", "..")


def _travels_in_header(value: Any) -> bool:
    return bool(_HEADER_VALUE.match(serialise(value)))


def request_strategy(channel: Channel, *, skip_headers: Iterable[str] = ()) -> st.SearchStrategy[Request] | None:
    """Requests of ``channel`` as its clients may send them; None when the operation cannot be generated (a body
    that is not JSON, or a parameter whose schema allows no value)."""
    found = template_of(channel)
    flow = channel.flows.get("request")
    if found is None or flow is None:
        return None
    method, template = found
    names = TEMPLATE_VAR.findall(template)
    skip = {h.lower() for h in skip_headers}
    sections: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {s: ({}, {}) for s in ("path", "query", "header")}
    for key, slot in sorted(flow.params.items()):
        where, _, rest = key.partition(":")
        if where not in sections or (where == "header" and rest in skip):
            continue
        strategy = _slot_strategy(slot, where)
        if strategy is None:
            if slot.required:
                return None
            continue
        name = slot.name
        if where == "path":
            index = int(rest) if rest.isdigit() else -1
            if not 0 <= index < len(names):
                continue
            name = names[index]
        required, optional = sections[where]
        (required if slot.required or where == "path" else optional)[name] = strategy
    body: st.SearchStrategy[tuple[bool, str | None, Any]] = st.just((False, None, None))
    json_media = sorted(m for m in flow.bodies if is_json_media(m))
    if json_media:
        media = json_media[0]
        schema_strategy = strategy_for(flow.bodies[media].schema, context="request")
        if schema_strategy.is_empty:
            return None
        present = schema_strategy.map(lambda v: (True, media, v))
        body = present if flow.body_required else st.one_of(st.just((False, None, None)), present)
    elif flow.bodies and flow.body_required:
        return None

    def section(where: str) -> st.SearchStrategy[dict[str, Any]]:
        required, optional = sections[where]
        return st.fixed_dictionaries(required, optional=optional)

    return st.builds(
        lambda p, q, h, b: Request(method, template, p, q, h, b[1], b[2], b[0]),
        section("path"),
        section("query"),
        section("header"),
        body,
    )


def _slot_strategy(slot: Slot, where: str) -> st.SearchStrategy[Any] | None:
    strategy = strategy_for(slot.schema, context="request")
    if strategy.is_empty:
        return None
    if where == "path":
        return strategy.filter(_travels_in_path)
    if where == "header":
        return strategy.filter(_travels_in_header)
    return strategy
