"""Whether one response is one the reading version's specification accepts.

The reader's operation decides: the status must be declared (exactly, as a ``2XX`` range, or by ``default``), every
required response header present and every declared header valid, the media type declared, and the body valid
against the response schema (jsonschema 2020-12, formats asserted, ``writeOnly`` properties forgiven). A 5xx
answer to a request the specification allows is a failure whatever the specification declares. Undeclared error
statuses (4xx) are warnings, as in the static check: clients handle unknown errors generically.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.core.model import Channel, Slot
from pytest_cdcompat.kinds.schema.flows import match_media, match_status
from pytest_cdcompat.kinds.schema.generate.validate import context_errors, is_valid
from pytest_cdcompat.sources.refs import pointer_join

_INT = re.compile(r"^-?\d+$")
_NUM = re.compile(r"^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class Problem:
    rule: str  # live-response-rejected, live-status-undeclared, live-server-error
    where: str  # JSON pointer in the reader's specification
    message: str
    severity: Severity = Severity.ERROR


def coerce(text: str, schema: Any) -> Any:
    """A parameter's text as the typed value its schema most plausibly means (``"2"`` -> 2 for an integer)."""
    types = _types(schema)
    if "integer" in types and _INT.match(text):
        return int(text)
    if "number" in types and _NUM.match(text):
        return float(text) if not _INT.match(text) else int(text)
    if "boolean" in types and text in ("true", "false"):
        return text == "true"
    if "null" in types and text == "":
        return None
    if "array" in types and "string" not in types:
        items = schema.get("items") if isinstance(schema, dict) else None
        return [coerce(t, items if items is not None else True) for t in text.split(",")] if text else []
    return text


def _types(schema: Any) -> set[str]:
    if not isinstance(schema, dict):
        return set()
    t = schema.get("type")
    out = set(t) if isinstance(t, list) else {t} if isinstance(t, str) else set()
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key) or []:
            out |= _types(sub)
    return out


def header(headers: dict[str, str], name: str) -> str | None:
    for k, v in headers.items():
        if k.lower() == name.lower():
            return v
    return None


def first_error(schema: Any, value: Any, context: str) -> str | None:
    """The first jsonschema error (by instance path) of ``value``, as ``at /items/0/quantity: '2' is not ...``."""
    found = context_errors(schema, value, context)
    if not found:
        return None
    error = min(found, key=lambda e: (len(e.absolute_path), [str(p) for p in e.absolute_path], e.message))
    where = "".join(pointer_join("", p) for p in error.absolute_path) or "/"
    return f"at {where}: {error.message}"


def check_response(channel: Channel, method: str, status: int, headers: dict[str, str], body: bytes) -> list[Problem]:
    responses = pointer_join(channel.location, "responses")
    if status >= 500:
        declared = match_status(str(status), channel.flows) is not None
        note = " (declared, but a request the specification allows must not fail)" if declared else ""
        return [Problem("live-server-error", responses, f"the server answered {status} to a request the "
                        f"specification allows{note}")]  # fmt: skip
    key = match_status(str(status), channel.flows)
    if key is None:
        statuses = sorted(k.partition(":")[2] for k in channel.flows if k.startswith("response:"))
        severity = Severity.WARNING if 400 <= status < 500 else Severity.ERROR
        return [Problem("live-status-undeclared", responses, f"the server answered {status}, which the "
                        f"specification does not declare (declared: {', '.join(statuses) or 'none'})", severity)]  # fmt: skip
    flow = channel.flows[key]
    problems: list[Problem] = []
    for pkey, slot in sorted(flow.params.items()):
        if not pkey.startswith("header:"):
            continue
        problems += _header_problems(slot, header(headers, slot.name), flow.location)
    if flow.bodies and method != "HEAD" and status not in (204, 304):
        problems += _body_problems(flow.bodies, headers, body, flow.location)
    return problems


def _header_problems(slot: Slot, text: str | None, where: str) -> list[Problem]:
    at = pointer_join(pointer_join(where, "headers"), slot.name)
    if text is None:
        if slot.required:
            return [Problem("live-response-rejected", at, f"the required response header {slot.name} is missing")]
        return []
    value = coerce(text, slot.schema)
    if is_valid(slot.schema, value):
        return []
    error = first_error(slot.schema, value, "response") or "rejected"
    return [Problem("live-response-rejected", at, f"the response header {slot.name} is invalid: {error}")]


def _body_problems(bodies: Any, headers: dict[str, str], body: bytes, where: str) -> list[Problem]:
    content = pointer_join(where, "content")
    ctype = header(headers, "content-type")
    declared = ", ".join(sorted(bodies))
    if not body:
        return [Problem("live-response-rejected", content, f"the response has no body; the specification "
                        f"declares one ({declared})")]  # fmt: skip
    if not ctype:
        return [Problem("live-response-rejected", content, f"the response has a body but no Content-Type "
                        f"(declared: {declared})")]  # fmt: skip
    media = match_media(ctype, bodies)
    if media is None:
        return [Problem("live-response-rejected", content, f"the response's media type {ctype!r} is not "
                        f"declared (declared: {declared})")]  # fmt: skip
    at = pointer_join(pointer_join(content, media), "schema")
    main = ctype.split(";", 1)[0].strip().lower()
    if not (main == "application/json" or main.endswith("+json")):
        return []  # only JSON bodies are validated against their schema
    try:
        value = json.loads(body)
    except ValueError as e:
        snippet = body[:60].decode("utf-8", "replace")
        return [Problem("live-response-rejected", at, f"the response body is not JSON although its media type "
                        f"is {main} ({e.__class__.__name__}: {e}; it starts {snippet!r})")]  # fmt: skip
    error = first_error(bodies[media].schema, value, "response")
    if error is None:
        return []
    return [Problem("live-response-rejected", at, f"the response body is rejected by the schema {error}")]
