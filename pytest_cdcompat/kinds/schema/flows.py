"""Pairing inside a channel: response statuses, media types and parameters, and the envelope of one flow.

A counterexample for an HTTP flow is an *envelope*: the whole request (method, path, query, headers, cookies,
content type, body) or response (status, headers, content type, body), so a developer can replay it. Envelopes are
checked against a flow slot by slot with jsonschema (``envelope_errors``): the writer's flow must accept it and the
reader's must not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pytest_cdcompat.core.model import Channel, Flow, Party, Slot


@dataclass(frozen=True, slots=True)
class ChannelPair:
    """The writing and reading versions of one channel, for the flows written by ``party``."""

    writer: Channel
    reader: Channel | None
    writer_is_old: bool
    party: Party

    def changed(self, when_old_writes: str, when_new_writes: str) -> str:
        return when_old_writes if self.writer_is_old else when_new_writes


@dataclass(frozen=True, slots=True)
class FlowPair:
    """The writer's and the reader's version of one flow (``reader`` is None when the reader has no such flow)."""

    key: str
    writer: Flow
    reader: Flow | None
    writer_is_old: bool
    channel_title: str

    def changed(self, when_old_writes: str, when_new_writes: str) -> str:
        return when_old_writes if self.writer_is_old else when_new_writes

    @property
    def is_request(self) -> bool:
        return self.key == "request"


def match_status(status: str, reader_flows: Mapping[str, Flow]) -> str | None:
    """The reader's response flow that handles ``status``: exact, then its range (2XX), then default."""
    key = f"response:{status}"
    if key in reader_flows:
        return key
    if status.isdigit():
        rng = f"response:{status[0]}XX"
        if rng in reader_flows:
            return rng
    if "response:default" in reader_flows and status != "default":
        return "response:default"
    return None


def _media(m: str) -> tuple[str, str]:
    main = m.split(";", 1)[0].strip().lower()
    t, _, sub = main.partition("/")
    return t, sub


def match_media(media: str, reader_bodies: Mapping[str, Slot]) -> str | None:
    """The reader's media type that accepts ``media``: exact (parameters ignored), then ``type/*``, then ``*/*``."""
    if media in reader_bodies:
        return media
    t, sub = _media(media)
    for cand in sorted(reader_bodies):
        if _media(cand) == (t, sub):
            return cand
    for cand in sorted(reader_bodies):
        ct, cs = _media(cand)
        if ct == t and cs == "*":
            return cand
    for cand in sorted(reader_bodies):
        if _media(cand) == ("*", "*"):
            return cand
    return None


def body_required(flow: Flow) -> bool:
    if flow.written_by.value == "producer" and flow.name != "request":
        return bool(flow.bodies)
    return flow.body_required


# --- envelopes -------------------------------------------------------------------------------------------------

SECTION = {"query": "query", "header": "headers", "cookie": "cookies", "path": "path"}


def slot_path(key: str, slot: Slot) -> tuple[str, ...]:
    """Where a parameter slot's value sits in an envelope."""
    where, _, name = key.partition(":")
    if where == "path":
        return ("path", slot.name)
    if where == "header":
        return ("headers", slot.name)
    return (SECTION.get(where, where), name)


def _get(envelope: dict[str, Any], path: tuple[str, ...]) -> tuple[bool, Any]:
    cur: Any = envelope
    for p in path:
        if not isinstance(cur, dict) or p not in cur:
            return False, None
        cur = cur[p]
    return True, cur


def _lookup_param(envelope: dict[str, Any], key: str, slot: Slot) -> tuple[bool, Any]:
    path = slot_path(key, slot)
    if path[0] == "headers":
        headers = envelope.get("headers") or {}
        for k, v in headers.items():
            if k.lower() == slot.name.lower():
                return True, v
        return False, None
    if path[0] == "path":
        # path parameters match by position: take the value at the same position
        given = envelope.get("path") or {}
        ref = key.partition(":")[2]
        if not ref.isdigit():  # a path parameter the template does not name (sloppy, but seen): match by name
            return (True, given[ref]) if ref in given else (False, None)
        values = list(given.values())
        pos = int(ref)
        if pos < len(values):
            return True, values[pos]
        return False, None
    return _get(envelope, path)


def envelope_errors(flow: Flow, envelope: dict[str, Any], *, is_valid: Any) -> list[str]:
    """Why ``flow`` rejects ``envelope`` (empty when it accepts it)."""
    problems = []
    for key, slot in sorted(flow.params.items()):
        present, value = _lookup_param(envelope, key, slot)
        if not present:
            if slot.required:
                problems.append(f"missing required {key.replace(':', ' parameter ', 1)}")
            continue
        if not is_valid(slot.schema, value):
            problems.append(f"invalid {key.replace(':', ' parameter ', 1)}")
    if "body" in envelope:
        media = envelope.get("content_type")
        target = match_media(media, flow.bodies) if isinstance(media, str) else None
        if flow.bodies:
            if target is None:
                problems.append(f"media type {media!r} not accepted")
            elif not is_valid(flow.bodies[target].schema, envelope["body"]):
                problems.append("invalid body")
    elif body_required(flow):
        problems.append("missing body")
    return problems
