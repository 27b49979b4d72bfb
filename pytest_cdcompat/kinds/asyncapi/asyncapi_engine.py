"""The AsyncAPI engine: message existence per direction, JSON Schema payloads through the schema engine, Avro
payloads through the Avro engine.

A reader that expects a message its writer never sends is a break: removing a message the application sends
starves old consumers, and adding one it receives waits on peers that do not send it yet (and the mirror cases in
the other direction, which is what decides the deploy order). Those are judged here, with the channel, message and
direction as the counterexample. Every message both versions have then goes, payload and headers, to the engine of
its schema format: the schema engine on a copy of the contracts holding the JSON Schema slots only, and
``avro_engine.compare_schemas`` for each pair of Avro payloads. Message existence goes through the proof loop like
every other claim; its witness check is the two versions' message lists themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from pytest_cdcompat.catalogue import NOTHING
from pytest_cdcompat.core.directions import writer_and_reader
from pytest_cdcompat.core.findings import Direction, Finding, Severity
from pytest_cdcompat.core.model import Channel, Contract, Flow, Slot
from pytest_cdcompat.core.settings import Settings
from pytest_cdcompat.proving.loop import Claim, Loop

_EMPTY = Channel(key="", title="", location="", flows={})


def _aligned(old: Contract, new: Contract, direction: Direction) -> tuple[Contract, Contract]:
    """Copies holding only JSON Schema slots, with headers aligned for this direction.

    A reader that declares no headers ignores them, so the writer's headers are not compared; a writer that declares
    none sends none (producers send only what they declare), so it meets a reader's header schema with an empty
    object. Slots are named ``payload`` and ``headers``, so no slot is ever "missing" on one side only.
    """
    from pytest_cdcompat.kinds.asyncapi.asyncapi_loader import DRAFT7
    from pytest_cdcompat.kinds.schema.canonical import canonicalise

    no_headers = canonicalise({"type": "object", "additionalProperties": False}, DRAFT7)
    out: dict[str, dict[str, dict[str, Flow]]] = {"old": {}, "new": {}}
    versions = {"old": old, "new": new}
    for key in sorted(set(old.channels) | set(new.channels)):
        for fkey in sorted(set(old.channels.get(key, _EMPTY).flows) | set(new.channels.get(key, _EMPTY).flows)):
            flows = {v: c.channels[key].flows.get(fkey) if key in c.channels else None for v, c in versions.items()}
            some = flows["new"] or flows["old"]
            assert some is not None
            w, r = writer_and_reader(direction, some.written_by)
            wf, rf = flows[w], flows[r]
            for v, f in flows.items():
                if f is None:
                    continue
                bodies = {b: sl for b, sl in f.bodies.items() if "avro" not in sl.extras}
                if wf is not None and rf is not None:
                    if "headers" not in rf.bodies:
                        bodies.pop("headers", None)
                    elif v == w and "headers" not in wf.bodies:
                        bodies["headers"] = Slot("headers", True, no_headers, f"{f.location}/headers")
                    wp, rp = wf.bodies.get("payload"), rf.bodies.get("payload")
                    if wp is None or rp is None or ("avro" in wp.extras) != ("avro" in rp.extras):
                        bodies.pop("payload", None)  # a missing payload or a format switch is judged elsewhere
                out[v].setdefault(key, {})[fkey] = replace(f, bodies=bodies)
    copies = []
    for v, c in versions.items():
        channels = {k: replace(ch, flows=out[v].get(k, {})) for k, ch in c.channels.items()}
        copies.append(replace(c, channels=channels))
    return copies[0], copies[1]


def run(old: Contract, new: Contract, settings: Settings, seed: int) -> dict[Direction, list[Finding]]:
    """Both deploy directions in one pass (the schema engine's hashes, views and rule hits are shared)."""
    from pytest_cdcompat.kinds.asyncapi.asyncapi_identity import align
    from pytest_cdcompat.kinds.schema.shared import new_shared

    old, new = align(old, new)  # messages matched across 2.x and 3.0 by messageId, name, key, payload
    shared = new_shared(settings.strict)
    return {d: run_direction(old, new, d, settings, seed, shared) for d in Direction}


def run_direction(
    old: Contract, new: Contract, direction: Direction, settings: Settings, seed: int, shared: Any
) -> list[Finding]:
    from pytest_cdcompat.kinds.avro.avro_engine import compare_schemas
    from pytest_cdcompat.kinds.schema.schema_engine import run_direction as schema_run

    findings = _missing_messages(old, new, direction, settings)
    json_old, json_new = _aligned(old, new, direction)
    findings += schema_run(json_old, json_new, direction, settings, seed, shared)
    for key in sorted(set(old.channels) & set(new.channels)):
        for fkey in sorted(set(old.channels[key].flows) & set(new.channels[key].flows)):
            oflow, nflow = old.channels[key].flows[fkey], new.channels[key].flows[fkey]
            w, _ = writer_and_reader(direction, nflow.written_by)
            wflow, rflow = (nflow, oflow) if w == "new" else (oflow, nflow)
            for body in sorted(set(wflow.bodies) & set(rflow.bodies)):
                ws, rs = wflow.bodies[body], rflow.bodies[body]
                if "avro" in ws.extras and "avro" in rs.extras:
                    prefix = (nflow.bodies[body]).location
                    findings += compare_schemas(ws.extras["avro"], rs.extras["avro"], w, settings, seed, prefix)
    return findings


@dataclass(frozen=True)
class ExistenceWitness:
    """The witness check for a message-level claim, from the two versions' declarations: the reading version
    declares the message on the channel and the writing version does not (the reader waits for a message nobody
    sends), or both declare it with payloads of different formats (JSON Schema and Avro: the reader cannot decode
    the bytes). The counterexample is the rule's (channel, message, error)."""

    def wanted(self, claim: Claim[Any], severity: Severity) -> bool:
        return True

    def candidate(self, claim: Claim[Any]) -> Any:
        witness = claim.hit.witness
        return witness if isinstance(witness, dict) else NOTHING

    def demonstrates(self, claim: Claim[Any], candidate: Any) -> bool:
        pair = claim.pair
        if candidate.get("channel") != pair.channel or pair.reader is None:
            return False
        if pair.writer is None:
            return True
        return _payload_format(pair.writer) != _payload_format(pair.reader)

    def show(self, claim: Claim[Any], candidate: Any) -> Any:
        return candidate

    def not_demonstrated(self, claim: Claim[Any]) -> str:
        return " (not demonstrated: the writing version declares this message, in the reader's format)"


def _payload_format(flow: Flow) -> str | None:
    slot = flow.bodies.get("payload")
    return None if slot is None else ("avro" if "avro" in slot.extras else "json")


def _missing_messages(old: Contract, new: Contract, direction: Direction, settings: Settings) -> list[Finding]:
    from pytest_cdcompat.catalogue import rules_for
    from pytest_cdcompat.kinds.asyncapi.rules.asyncapi_message_missing import MessagePair

    rules = rules_for("asyncapi-message", "asyncapi", settings.only)
    loop: Loop[MessagePair] = Loop(settings, ExistenceWitness())
    out: list[Finding] = []
    for key in sorted(set(old.channels) | set(new.channels)):
        chans: dict[str, Channel | None] = {"old": old.channels.get(key), "new": new.channels.get(key)}
        flows: dict[str, dict[str, Flow]] = {v: dict(c.flows) if c else {} for v, c in chans.items()}
        for fkey in sorted(set(flows["old"]) | set(flows["new"])):
            flow = flows["new"].get(fkey) or flows["old"][fkey]
            w, r = writer_and_reader(direction, flow.written_by)
            pair = MessagePair(key, fkey, flows[w].get(fkey), flows[r].get(fkey))
            out += loop.check(rules, pair, w, lambda hit: hit.where)
    return out
