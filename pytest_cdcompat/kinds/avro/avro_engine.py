"""The Avro engine: for one deploy scenario, resolve writer against reader, run the rules, prove each error.

The flow is written by the producer, so ``directions.writer_and_reader`` says which version writes: in
``old_consumer_new_producer`` NEW-written messages are read with the OLD schema (Confluent FORWARD), in
``new_consumer_old_producer`` OLD-written messages with the NEW schema (BACKWARD). Every error a rule raises is then
demonstrated: a datum steered to the rule's place is encoded with fastavro's writer and decoded with the reader's
schema; the datum and the decode error are the counterexample. An error no generated message demonstrates is
downgraded to a warning (the rule overstated it), and a decode failure no rule explains is reported as
``uncatalogued-break``, so the catalogue and the implementation keep each other honest.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

from pytest_cdcompat import catalogue
from pytest_cdcompat.catalogue import NOTHING
from pytest_cdcompat.core.directions import writer_and_reader
from pytest_cdcompat.core.findings import Direction, Finding, Severity
from pytest_cdcompat.core.model import Contract
from pytest_cdcompat.core.settings import Settings
from pytest_cdcompat.proving.loop import UNCATALOGUED, Claim, Loop


def _seed(seed: int, *parts: str) -> int:
    return zlib.crc32("\0".join(parts).encode(), seed & 0xFFFFFFFF)


def _only_channel(contract: Contract) -> Any:
    return next(iter(contract.channels.values()))


def run(old: Contract, new: Contract, settings: Settings, seed: int) -> dict[Direction, list[Finding]]:
    """Both deploy directions: in each, the version that writes the message against the one that reads it."""
    flow = _only_channel(new).flows["message"]
    out: dict[Direction, list[Finding]] = {}
    for direction in Direction:
        w, _ = writer_and_reader(direction, flow.written_by)
        wc, rc = (new, old) if w == "new" else (old, new)
        out[direction] = compare_schemas(wc.extras, rc.extras, w, settings, seed)
    return out


@dataclass
class AvroWitness:
    """The Avro witness check: a datum the writer's schema encodes (fastavro) and the reader's schema cannot decode.

    A candidate is ``(datum, isolated reader)``: the isolated reader differs from the writer only at the claim's
    place, so the datum fails because of this change and not of another one met first."""

    wnode: Any
    wschema: Any
    rschema: Any
    settings: Settings
    seed: int

    def fails(self, datum: Any, reader: Any = None) -> bool:
        from pytest_cdcompat.kinds.avro.datums import decode_error

        return decode_error(datum, self.wschema, self.rschema if reader is None else reader) is not None

    def wanted(self, claim: Claim[Any], severity: Severity) -> bool:
        return severity is Severity.ERROR and self.settings.examples > 0

    def candidate(self, claim: Claim[Any]) -> Any:
        from pytest_cdcompat.kinds.avro.datums import search, strategy
        from pytest_cdcompat.kinds.avro.isolate import isolated_reader

        pair, hit = claim.pair, claim.hit
        extra = hit.witness if isinstance(hit.witness, tuple) else ()
        steer = (*pair.steer, *extra)
        iso = isolated_reader(self.wnode, pair)

        def both(datum: Any) -> bool:
            return self.fails(datum) and (iso is None or self.fails(datum, iso))

        examples = self.settings.examples
        got = search(
            strategy(self.wnode, steer), both, examples, _seed(self.seed, claim.rid.id, claim.location, hit.message)
        )
        return NOTHING if got is None else (got.value, iso)

    def demonstrates(self, claim: Claim[Any], candidate: Any) -> bool:
        datum, _ = candidate
        try:
            return self.fails(datum)
        except Exception:  # the writer's schema does not encode it: not a message the writer sends
            return False

    def show(self, claim: Claim[Any], candidate: Any) -> Any:
        from pytest_cdcompat.kinds.avro.datums import decode_error
        from pytest_cdcompat.kinds.avro.render import to_json

        datum, isolated = candidate
        real = decode_error(datum, self.wschema, self.rschema)
        out = {"message": to_json(datum, self.wnode), "error": real}
        if isolated is not None:
            alone = decode_error(datum, self.wschema, isolated)
            if alone != real:
                # the real reader failed first on another difference; this is the failure of this change alone
                out = {"message": to_json(datum, self.wnode), "error": alone, "error_with_all_changes": real}
        return out

    def not_demonstrated(self, claim: Claim[Any]) -> str:
        return f" (not demonstrated: {self.settings.examples} generated messages all decoded)"


def compare_schemas(wside: Any, rside: Any, w: str, settings: Settings, seed: int, prefix: str = "") -> list[Finding]:
    """Findings for data written with ``wside`` and read with ``rside`` (each a mapping with ``node``, ``schema``
    and ``canonical`` as ``avro_loader`` builds them); ``w`` is "old" or "new", the version that writes; locations
    are prefixed with ``prefix`` (the schema's place inside a bigger document, e.g. an AsyncAPI payload)."""
    from pytest_cdcompat.kinds.avro.avro_pairing import pairs
    from pytest_cdcompat.kinds.avro.isolate import frozen_fields

    wnode = wside["node"]
    witness = AvroWitness(wnode, wside["schema"], rside["schema"], settings, seed)
    loop: Loop[Any] = Loop(settings, witness)
    rules = catalogue.rules_for("avro", "avro", settings.only)
    findings: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    found = list(pairs(wnode, rside["node"], new_is_writer=w == "new"))
    for pair in found:
        for r in rules:
            for hit in r.check(pair):
                claim = loop.claim(r, hit, pair, w, prefix + (hit.where or pair.location))
                if (claim.rid.id, claim.location, hit.message) in seen:
                    continue
                seen.add((claim.rid.id, claim.location, hit.message))
                findings.append(loop.judge(claim))
    if loop.wants_search(findings) and (
        wside.get("canonical") is None or wside.get("canonical") != rside.get("canonical")
    ):
        from pytest_cdcompat.kinds.avro.datums import search, strategy

        examples = settings.examples
        got = search(strategy(wnode, (), frozen_fields(found)), witness.fails, examples, _seed(seed, UNCATALOGUED))
        if got is not None:
            message = (
                f"a message written with the {w} schema fails to decode with the other version's schema, "
                "and no rule explains why"
            )
            extra = loop.uncatalogued(loop.search_claim(None, w, prefix), (got.value, None), message)
            if extra is not None:
                findings.append(extra)
    return findings
