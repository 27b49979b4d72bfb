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
from collections.abc import Callable, Iterable
from typing import Any

from pytest_cdcompat.core.directions import writer_and_reader
from pytest_cdcompat.core.findings import Direction, Finding, Severity
from pytest_cdcompat.core.model import Contract, Party
from pytest_cdcompat.core.settings import Settings

UNCATALOGUED = "uncatalogued-break"


def _seed(seed: int, *parts: str) -> int:
    return zlib.crc32("\0".join(parts).encode(), seed & 0xFFFFFFFF)


def _cls(desc: Any) -> Any:
    from google.protobuf import message_factory

    return message_factory.GetMessageClass(desc)


class _Prover:
    """Searches a message the writer's class writes and the reader's class fails on (or reads differently)."""

    def __init__(self, settings: Settings, seed: int) -> None:
        self.examples = settings.examples
        self.seed = seed

    def find(
        self, wdesc: Any, rdesc: Any, focus: Any, counts: Callable[[Any], bool], key: str, vary: Any = None
    ) -> Any | None:
        from pytest_cdcompat.kinds.avro.datums import search
        from pytest_cdcompat.kinds.protobuf.messages import plan, roundtrip

        W, R = _cls(wdesc), _cls(rdesc)
        only = vary if focus is None else frozenset({focus.number, *focus.also})

        def fails(spec: dict[str, Any]) -> bool:
            return any(counts(p) for p in roundtrip(W, R, spec, only)[1])

        got = search(plan(wdesc, focus, vary=vary), fails, self.examples, _seed(self.seed, key))
        if got is None:
            return None
        spec = got.value
        msg, problems = roundtrip(W, R, spec, only)
        return _proof(msg, next(p for p in problems if counts(p)))


def _proof(msg: Any, problem: Any) -> dict[str, Any]:
    from pytest_cdcompat.kinds.protobuf.messages import as_json

    out: dict[str, Any] = {"message": as_json(msg), "encoding": problem.encoding, "error": problem.detail}
    if problem.encoding == "binary":
        out["binary"] = msg.SerializePartialToString().hex()
    return out


def run(old: Contract, new: Contract, direction: Direction, settings: Settings, seed: int) -> list[Finding]:
    from pytest_cdcompat.catalogue import by_id, rules_for
    from pytest_cdcompat.kinds.protobuf.proto_pairing import differing_numbers, field_pairs, message_pairs, method_pairs

    oi, ni = old.extras["index"], new.extras["index"]
    prover = _Prover(settings, seed)
    findings: list[Finding] = []

    def emit(rules: Iterable[Any], pair: Any, writer: str, prove: Callable[[Any, Any], Any]) -> None:
        for r in rules:
            for hit in r.check(pair):
                try:
                    rid = r.id_for(writer, hit.rule_id)
                except KeyError:
                    continue
                severity = hit.severity or rid.severity
                message, counterexample = hit.message, None
                if severity is Severity.ERROR and settings.examples > 0:
                    counterexample = prove(hit, rid.id)
                    if counterexample is None:
                        severity = Severity.WARNING
                        message += f" (not demonstrated: {settings.examples} generated messages all read back)"
                where = hit.where or pair.location
                findings.append(Finding(rid.id, severity, where, message, counterexample, rid.advice))

    def witness(hit: Any) -> dict[str, Any]:
        return hit.witness if isinstance(hit.witness, dict) else {}

    def by_construction(hit: Any, wdesc: Any) -> Any:
        from pytest_cdcompat.kinds.protobuf.messages import as_json, fill

        text = witness(hit).get("construct")
        if text is None:
            return None
        out: dict[str, Any] = {"error": text}
        if wdesc is not None:
            out = {"message": as_json(fill(_cls(wdesc)(), {})), **out}
        return out

    w, _ = writer_and_reader(direction, Party.PRODUCER)
    wi, ri = (ni, oi) if w == "new" else (oi, ni)
    only = settings.only
    msg_rules = rules_for("proto-message", "protobuf", only)
    field_rules = rules_for("proto-field", "protobuf", only)
    pairs = list(message_pairs(wi, ri, new_is_writer=w == "new"))
    for mp in pairs:

        def prove_message(hit: Any, rule_id: str, mp: Any = mp) -> Any:
            if "construct" in witness(hit):
                return by_construction(hit, mp.writer)
            number = witness(hit).get("field")
            if number is not None:  # a message-level finding about one field: set it, and judge that field
                from pytest_cdcompat.kinds.protobuf.messages import Focus

                key = f"{rule_id}\0{hit.where}"
                return prover.find(mp.writer, mp.reader, Focus(number), lambda p: p.number in (None, number), key)
            return prover.find(mp.writer, mp.reader, None, lambda p: p.number is None, f"{rule_id}\0{hit.where}")

        emit(msg_rules, mp, w, prove_message)
        for fp in field_pairs(mp, new_is_writer=w == "new"):

            def prove_field(hit: Any, rule_id: str, fp: Any = fp) -> Any:
                from pytest_cdcompat.kinds.protobuf.messages import Focus

                wit = witness(hit)
                value = wit.get("value") if fp.parent is None else None  # an enum map value: any entry will do
                focus = Focus(
                    fp.number, value, tuple(wit.get("also", ())), wit.get("repeat", 1), bool(wit.get("unset"))
                )
                numbers = {fp.number, *focus.also}
                key = f"{rule_id}\0{hit.where}\0{hit.message}"
                m = fp.message
                return prover.find(m.writer, m.reader, focus, lambda p: p.number is None or p.number in numbers, key)

            emit(field_rules, fp, w, prove_field)

    method_rules = rules_for("proto-method", "protobuf", only)
    for flow, party in (("request", Party.CONSUMER), ("response", Party.PRODUCER)):
        fw, _ = writer_and_reader(direction, party)
        fwi, fri = (ni, oi) if fw == "new" else (oi, ni)
        for mpair in method_pairs(fwi, fri, flow):

            def prove_method(hit: Any, rule_id: str) -> Any:
                wit = witness(hit)
                if "construct" in wit:
                    return by_construction(hit, None)
                wdesc, rdesc = wit["messages"]
                return prover.find(wdesc, rdesc, None, lambda p: True, f"{rule_id}\0{hit.where}")

            emit(method_rules, mpair, fw, prove_method)

    wanted = only is None or UNCATALOGUED in only
    if wanted and settings.examples > 0 and not any(f.severity is Severity.ERROR for f in findings):
        found = by_id(UNCATALOGUED)
        advice = found[1].advice if found else ""
        for mp in pairs:
            if mp.writer is None or mp.reader is None or mp.writer_proto == mp.reader_proto:
                continue
            vary = differing_numbers(mp.writer, mp.reader)
            if not vary:
                continue
            key = f"{UNCATALOGUED}\0{mp.key}"
            proof = prover.find(mp.writer, mp.reader, None, lambda p: True, key, vary)
            if proof is not None:
                findings.append(
                    Finding(
                        UNCATALOGUED,
                        Severity.ERROR,
                        mp.location,
                        f"a {mp.key} message written with the {w} schema reads differently with the other version, "
                        "and no rule explains why",
                        proof,
                        advice,
                        engine="generator",
                    )
                )
    return findings
