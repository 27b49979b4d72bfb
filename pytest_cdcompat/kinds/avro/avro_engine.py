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
from typing import Any

from pytest_cdcompat.core.directions import writer_and_reader
from pytest_cdcompat.core.findings import Direction, Finding, Severity
from pytest_cdcompat.core.model import Contract
from pytest_cdcompat.core.settings import Settings

UNCATALOGUED = "uncatalogued-break"


def _seed(seed: int, *parts: str) -> int:
    return zlib.crc32("\0".join(parts).encode(), seed & 0xFFFFFFFF)


def _only_channel(contract: Contract) -> Any:
    return next(iter(contract.channels.values()))


def run(old: Contract, new: Contract, direction: Direction, settings: Settings, seed: int) -> list[Finding]:
    flow = _only_channel(new).flows["message"]
    w, _ = writer_and_reader(direction, flow.written_by)
    wc, rc = (new, old) if w == "new" else (old, new)
    return compare_schemas(wc.extras, rc.extras, w, settings, seed)


def compare_schemas(wside: Any, rside: Any, w: str, settings: Settings, seed: int, prefix: str = "") -> list[Finding]:
    """Findings for data written with ``wside`` and read with ``rside`` (each a mapping with ``node``, ``schema``
    and ``canonical`` as ``loaders.avro`` builds them); ``w`` is "old" or "new", the version that writes; locations
    are prefixed with ``prefix`` (the schema's place inside a bigger document, e.g. an AsyncAPI payload)."""
    from pytest_cdcompat.catalogue import by_id, rules_for
    from pytest_cdcompat.kinds.avro.avro_pairing import frozen_fields, pairs
    from pytest_cdcompat.kinds.avro.isolate import isolated_reader

    wnode, rnode = wside["node"], rside["node"]
    wschema, rschema = wside["schema"], rside["schema"]
    examples = settings.examples

    if examples > 0:  # hypothesis is imported only when messages are generated
        from pytest_cdcompat.kinds.avro.datums import decode_error, search, strategy
        from pytest_cdcompat.kinds.avro.render import to_json

    def fails(datum: Any) -> bool:
        return decode_error(datum, wschema, rschema) is not None

    def proof(datum: Any, isolated: Any = None) -> dict[str, Any]:
        real = decode_error(datum, wschema, rschema)
        out = {"message": to_json(datum, wnode), "error": real}
        if isolated is not None:
            alone = decode_error(datum, wschema, isolated)
            if alone != real:
                # the real reader failed first on another difference; this is the failure of this change alone
                out = {"message": to_json(datum, wnode), "error": alone, "error_with_all_changes": real}
        return out

    rules = rules_for("avro", "avro", settings.only)
    findings: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    found = list(pairs(wnode, rnode, new_is_writer=w == "new"))
    for pair in found:
        for r in rules:
            for hit in r.check(pair):
                try:
                    rid = r.id_for(w, hit.rule_id)
                except KeyError:
                    continue
                where = prefix + (hit.where or pair.location)
                if (rid.id, where, hit.message) in seen:
                    continue
                seen.add((rid.id, where, hit.message))
                severity = hit.severity or rid.severity
                message, counterexample = hit.message, None
                if severity is Severity.ERROR and examples > 0:
                    extra = hit.witness if isinstance(hit.witness, tuple) else ()
                    steer = (*pair.steer, *extra)
                    iso = isolated_reader(wnode, pair)

                    def both(datum: Any, iso: Any = iso) -> bool:
                        if not fails(datum):
                            return False
                        return iso is None or decode_error(datum, wschema, iso) is not None

                    got = search(strategy(wnode, steer), both, examples, _seed(seed, rid.id, where, message))
                    if got is None:
                        severity = Severity.WARNING
                        message += f" (not demonstrated: {examples} generated messages all decoded)"
                    else:
                        counterexample = proof(got.value, iso)
                findings.append(Finding(rid.id, severity, where, message, counterexample, rid.advice))
    wanted = settings.only is None or UNCATALOGUED in settings.only
    if wanted and examples > 0 and not any(f.severity is Severity.ERROR for f in findings):
        if wside.get("canonical") is None or wside.get("canonical") != rside.get("canonical"):
            got = search(strategy(wnode, (), frozen_fields(found)), fails, examples, _seed(seed, UNCATALOGUED))
            if got is not None:
                known = by_id(UNCATALOGUED)
                advice = known[1].advice if known else ""
                findings.append(
                    Finding(
                        UNCATALOGUED,
                        Severity.ERROR,
                        prefix,
                        f"a message written with the {w} schema fails to decode with the other version's schema, "
                        "and no rule explains why",
                        proof(got.value),
                        advice,
                        engine="generator",
                    )
                )
    return findings
