"""The Protobuf engine: for one deploy scenario, pair messages, fields and RPC methods, run the rules, prove errors.

Messages are written by the producer; an RPC request by the client (consumer) and its response by the server
(producer); ``directions.writer_and_reader`` says which version writes each. Every error a rule raises is then shown
with the protobuf runtime: a message of the writer's class, steered at the rule's field, is encoded (binary and
ProtoJSON) and decoded with the reader's class; a decode error or a changed value is the counterexample. Breaks that
are not about message bytes (a missing method or message type, a streaming change) are shown by construction. An
error no generated message demonstrates becomes a warning; a failing round trip no rule explains is reported as
``uncatalogued-break``.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pytest_cdcompat import catalogue
from pytest_cdcompat.catalogue import NOTHING
from pytest_cdcompat.core.directions import writer_and_reader
from pytest_cdcompat.core.findings import Direction, Finding, Severity
from pytest_cdcompat.core.model import Contract, Party
from pytest_cdcompat.core.settings import Settings
from pytest_cdcompat.proving.loop import UNCATALOGUED, Claim, Loop


def _seed(seed: int, *parts: str) -> int:
    return zlib.crc32("\0".join(parts).encode(), seed & 0xFFFFFFFF)


def _cls(desc: Any) -> Any:
    from google.protobuf import message_factory

    return message_factory.GetMessageClass(desc)


@dataclass
class RoundTrip:
    """A candidate: a message plan of the writer's class, the field numbers compared, and which problems count."""

    wdesc: Any
    rdesc: Any
    spec: dict[str, Any]
    only: frozenset[int] | None
    counts: Callable[[Any], bool]
    result: Any = field(default=None)  # (writer message, first counting problem) once checked


@dataclass(frozen=True)
class Constructed:
    """A candidate shown by construction (a missing method or message type, a streaming change)."""

    proof: dict[str, Any]


class _Prover:
    """Searches a message the writer's class writes and the reader's class fails on (or reads differently)."""

    def __init__(self, settings: Settings, seed: int) -> None:
        self.examples = settings.examples
        self.seed = seed

    def find(
        self, wdesc: Any, rdesc: Any, focus: Any, counts: Callable[[Any], bool], key: str, vary: Any = None
    ) -> Any:
        from pytest_cdcompat.kinds.protobuf.messages import plan, roundtrip
        from pytest_cdcompat.proving.driver import NONE, find_smallest

        W, R = _cls(wdesc), _cls(rdesc)
        only = vary if focus is None else frozenset({focus.number, *focus.also})

        def fails(spec: dict[str, Any]) -> bool:
            return any(counts(p) for p in roundtrip(W, R, spec, only)[1])

        found = find_smallest(plan(wdesc, focus, vary=vary), fails, examples=self.examples, seed=_seed(self.seed, key))
        return NOTHING if found is NONE else RoundTrip(wdesc, rdesc, found, only, counts)


class ProtoWitness:
    """The Protobuf witness check: a message the writer's class encodes (binary and ProtoJSON) that the reader's
    class fails to decode or reads with a different value at the claim's fields; or a break shown by construction."""

    def __init__(self, settings: Settings, prove: Callable[[Claim[Any]], Any]) -> None:
        self.settings = settings
        self.prove = prove

    def wanted(self, claim: Claim[Any], severity: Severity) -> bool:
        return severity is Severity.ERROR and self.settings.examples > 0

    def candidate(self, claim: Claim[Any]) -> Any:
        return self.prove(claim)

    def demonstrates(self, claim: Claim[Any], candidate: Any) -> bool:
        if isinstance(candidate, Constructed):
            return True  # the rule's structural fact is the proof (no bytes to decode)
        from pytest_cdcompat.kinds.protobuf.messages import roundtrip

        msg, problems = roundtrip(_cls(candidate.wdesc), _cls(candidate.rdesc), candidate.spec, candidate.only)
        counted = [p for p in problems if candidate.counts(p)]
        candidate.result = (msg, counted[0]) if counted else None
        return bool(counted)

    def show(self, claim: Claim[Any], candidate: Any) -> Any:
        if isinstance(candidate, Constructed):
            return candidate.proof
        return _proof(*candidate.result)

    def not_demonstrated(self, claim: Claim[Any]) -> str:
        return f" (not demonstrated: {self.settings.examples} generated messages all read back)"


def _proof(msg: Any, problem: Any) -> dict[str, Any]:
    from pytest_cdcompat.kinds.protobuf.messages import as_json

    out: dict[str, Any] = {"message": as_json(msg), "encoding": problem.encoding, "error": problem.detail}
    if problem.encoding == "binary":
        out["binary"] = msg.SerializePartialToString().hex()
    return out


def run(old: Contract, new: Contract, settings: Settings, seed: int) -> dict[Direction, list[Finding]]:
    """Both deploy directions: messages and responses written by the producer, requests by the client."""
    return {d: run_direction(old, new, d, settings, seed) for d in Direction}


def _witness(hit: Any) -> dict[str, Any]:
    return hit.witness if isinstance(hit.witness, dict) else {}


def _by_construction(hit: Any, wdesc: Any) -> Any:
    from pytest_cdcompat.kinds.protobuf.messages import as_json, fill

    text = _witness(hit).get("construct")
    if text is None:
        return NOTHING
    out: dict[str, Any] = {"error": text}
    if wdesc is not None:
        out = {"message": as_json(fill(_cls(wdesc)(), {})), **out}
    return Constructed(out)


def run_direction(old: Contract, new: Contract, direction: Direction, settings: Settings, seed: int) -> list[Finding]:
    from pytest_cdcompat.kinds.protobuf.proto_pairing import differing_numbers, field_pairs, message_pairs, method_pairs

    oi, ni = old.extras["index"], new.extras["index"]
    prover = _Prover(settings, seed)

    def prove_message(claim: Claim[Any]) -> Any:
        hit, mp = claim.hit, claim.pair
        if "construct" in _witness(hit):
            return _by_construction(hit, mp.writer)
        number = _witness(hit).get("field")
        key = f"{claim.rid.id}\0{hit.where}"
        if number is not None:  # a message-level finding about one field: set it, and judge that field
            from pytest_cdcompat.kinds.protobuf.messages import Focus

            return prover.find(mp.writer, mp.reader, Focus(number), lambda p: p.number in (None, number), key)
        return prover.find(mp.writer, mp.reader, None, lambda p: p.number is None, key)

    def prove_field(claim: Claim[Any]) -> Any:
        from pytest_cdcompat.kinds.protobuf.messages import Focus

        hit, fp = claim.hit, claim.pair
        wit = _witness(hit)
        value = wit.get("value") if fp.parent is None else None  # an enum map value: any entry will do
        focus = Focus(fp.number, value, tuple(wit.get("also", ())), wit.get("repeat", 1), bool(wit.get("unset")))
        numbers = {fp.number, *focus.also}
        key = f"{claim.rid.id}\0{hit.where}\0{hit.message}"
        m = fp.message
        return prover.find(m.writer, m.reader, focus, lambda p: p.number is None or p.number in numbers, key)

    def prove_method(claim: Claim[Any]) -> Any:
        hit = claim.hit
        wit = _witness(hit)
        if "construct" in wit:
            return _by_construction(hit, None)
        wdesc, rdesc = wit["messages"]
        return prover.find(wdesc, rdesc, None, lambda p: True, f"{claim.rid.id}\0{hit.where}")

    messages: Loop[Any] = Loop(settings, ProtoWitness(settings, prove_message))
    fields: Loop[Any] = Loop(settings, ProtoWitness(settings, prove_field))
    methods: Loop[Any] = Loop(settings, ProtoWitness(settings, prove_method))
    findings: list[Finding] = []

    def at(pair: Any) -> Callable[[Any], str]:
        return lambda hit: hit.where or pair.location

    w, _ = writer_and_reader(direction, Party.PRODUCER)
    wi, ri = (ni, oi) if w == "new" else (oi, ni)
    only = settings.only
    msg_rules = catalogue.rules_for("proto-message", "protobuf", only)
    field_rules = catalogue.rules_for("proto-field", "protobuf", only)
    pairs = list(message_pairs(wi, ri, new_is_writer=w == "new"))
    for mp in pairs:
        findings += messages.check(msg_rules, mp, w, at(mp))
        for fp in field_pairs(mp, new_is_writer=w == "new"):
            findings += fields.check(field_rules, fp, w, at(fp))

    method_rules = catalogue.rules_for("proto-method", "protobuf", only)
    for flow, party in (("request", Party.CONSUMER), ("response", Party.PRODUCER)):
        fw, _ = writer_and_reader(direction, party)
        fwi, fri = (ni, oi) if fw == "new" else (oi, ni)
        for mpair in method_pairs(fwi, fri, flow):
            findings += methods.check(method_rules, mpair, fw, at(mpair))

    if messages.wants_search(findings):
        for mp in pairs:
            if mp.writer is None or mp.reader is None or mp.writer_proto == mp.reader_proto:
                continue
            vary = differing_numbers(mp.writer, mp.reader)
            if not vary:
                continue
            key = f"{UNCATALOGUED}\0{mp.key}"
            candidate = prover.find(mp.writer, mp.reader, None, lambda p: True, key, vary)
            message = (
                f"a {mp.key} message written with the {w} schema reads differently with the other version, "
                "and no rule explains why"
            )
            extra = messages.uncatalogued(messages.search_claim(mp, w, mp.location), candidate, message)
            if extra is not None:
                findings.append(extra)
    return findings
