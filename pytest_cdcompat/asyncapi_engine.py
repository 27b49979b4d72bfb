"""The AsyncAPI engine: message existence per direction, JSON Schema payloads through the schema engine, Avro
payloads through the Avro engine.

A reader that expects a message its writer never sends is a break: removing a message the application sends
starves old consumers, and adding one it receives waits on peers that do not send it yet (and the mirror cases in
the other direction, which is what decides the deploy order). Those are judged here, with the channel, message and
direction as the counterexample. Every message both versions have then goes, payload and headers, to the engine of
its schema format: ``schema_engine.run`` on a copy of the contracts holding the JSON Schema slots only, and
``avro_engine.compare_schemas`` for each pair of Avro payloads.
"""

from __future__ import annotations

from dataclasses import replace

from .directions import writer_and_reader
from .findings import Direction, Finding
from .model import Channel, Contract, Flow
from .settings import Settings


def _json_only(contract: Contract) -> Contract:
    channels = {}
    for key, ch in contract.channels.items():
        flows = {
            fk: replace(f, bodies={b: s for b, s in f.bodies.items() if "avro" not in s.extras})
            for fk, f in ch.flows.items()
        }
        channels[key] = replace(ch, flows=flows)
    return replace(contract, channels=channels)


def run(old: Contract, new: Contract, direction: Direction, settings: Settings, seed: int) -> list[Finding]:
    from .avro_engine import compare_schemas
    from .schema_engine import run as schema_run

    findings = _missing_messages(old, new, direction, settings)
    findings += schema_run(_json_only(old), _json_only(new), direction, settings, seed)
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


def _missing_messages(old: Contract, new: Contract, direction: Direction, settings: Settings) -> list[Finding]:
    from .rules import rules_for
    from .rules.asyncapi.asyncapi_message_missing import MessagePair

    rules = rules_for("asyncapi-message", "asyncapi", settings.only)
    out: list[Finding] = []
    for key in sorted(set(old.channels) | set(new.channels)):
        chans: dict[str, Channel | None] = {"old": old.channels.get(key), "new": new.channels.get(key)}
        flows: dict[str, dict[str, Flow]] = {v: dict(c.flows) if c else {} for v, c in chans.items()}
        for fkey in sorted(set(flows["old"]) | set(flows["new"])):
            flow = flows["new"].get(fkey) or flows["old"][fkey]
            w, r = writer_and_reader(direction, flow.written_by)
            pair = MessagePair(key, fkey, flows[w].get(fkey), flows[r].get(fkey))
            for rule_ in rules:
                for hit in rule_.check(pair):
                    rid = rule_.id_for(w, hit.rule_id)
                    out.append(Finding(rid.id, hit.severity or rid.severity, hit.where, hit.message, hit.witness,
                                       rid.advice))  # fmt: skip
    return out
