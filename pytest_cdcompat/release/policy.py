"""Deploy policy: which deploy directions a contract must keep, given the order the pipeline really deploys in.

Each contract has a producer and consumers. By default this repository deploys the producer of every contract it
holds (the spec lives with its producer; for SQL the database is the producer of its schema and migrations run
before the new application starts), so merging deploys the producer first:

- ``old_consumer_new_producer`` is required: the new producer ships on merge while old consumers still run;
- ``new_consumer_old_producer`` is not: a step that breaks only it is an **expand step**, which passes with the
  follow-up (consumers may adopt the new shape once this producer version is fully rolled out; after that the
  producer must not roll back past it).

Exceptions, in order: a Confluent mode (``x-cd-compat: {mode: ...}``, ``cd_compat_modes``, ``cd_compat_mode``) and
``--cd-compat-strict`` win; ``cd_compat_policy = both-directions`` requires both (the behaviour before policies);
message kinds (AsyncAPI, Avro, Protobuf) require both, because messages persist (a topic keeps old messages for new
consumers, a queue holds them across a deploy); a repository that ships both sides of a contract (a monorepo)
requires both, because a rolling deploy mixes old and new instances of both. The SQL data checks (a lost write,
rows written before the migration that must read back, a migration failing on existing rows) always fail.

Parties: ``x-cd-compat: {producer: NAME, consumers: [A, B]}`` in the file (YAML, JSON, Avro), a
``cd-compat: producer=NAME consumers=A,B`` comment (Protobuf, SQL), or ``cd_compat_parties`` lines
``path-glob = producer: NAME; consumers: A, B``. What this repository deploys: ``cd_compat_ships`` entries
``producer``, ``consumer``, a party name, or ``path-glob = producer, consumer`` (default: the producers).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from pytest_cdcompat.core.errors import UsageError
from pytest_cdcompat.core.findings import Direction, DirectionResult

POLICIES = ("ships", "both-directions")
MESSAGE_KINDS = frozenset({"asyncapi", "avro", "protobuf"})
# Data in a database persists: these fail whatever the deploy order.
ALWAYS_RULES = frozenset({"write-lost-during-transition", "existing-row-changed", "migration-failed-on-existing-rows"})
ROLES = ("producer", "consumer")

ONP = Direction.OLD_CONSUMER_NEW_PRODUCER
NOP = Direction.NEW_CONSUMER_OLD_PRODUCER
BOTH = frozenset(Direction)


@dataclass(frozen=True)
class Parties:
    producer: str | None = None
    consumers: tuple[str, ...] = ()

    @property
    def declared(self) -> bool:
        return self.producer is not None or bool(self.consumers)


@dataclass(frozen=True)
class Decision:
    """The policy's verdict on which directions a contract must keep, and why each counts or does not."""

    policy: str  # what the report names: "ships producer", "both-directions", "mode FORWARD", ...
    required: frozenset[Direction]
    why: dict[Direction, str] = field(default_factory=dict)
    follow_up: dict[Direction, str] = field(default_factory=dict)  # for a direction that may break: what follows

    def lines(self) -> list[str]:
        out = [f"policy: {self.policy}"]
        for d in Direction:
            state = "required" if d in self.required else "not required"
            out.append(f"  {d.value}: {state}: {self.why.get(d, '')}".rstrip(": "))
        return out


def policy_label(policy: str) -> str:
    if policy == "both-directions":
        return "both-directions"
    return "ships (this repository deploys what cd_compat_ships names; default: the producers)"


_COMMENT = re.compile(r"""(?://|#|--)\s*cd-compat:\s*((?:producer|consumers)\s*=.*)$""", re.M)


def parties_in_text(text: str, where: str) -> Parties:
    """``producer``/``consumers`` declared inside a contract file."""
    if "cd-compat" not in text:
        return Parties()
    found = _COMMENT.findall(text)
    if found:
        producer: str | None = None
        consumers: tuple[str, ...] = ()
        for decl in found:
            for key, value in re.findall(r"(producer|consumers)\s*=\s*([^\s;]*(?:\s*,\s*[^\s;]+)*)", decl):
                if key == "producer":
                    producer = _name(value, where, "producer")
                else:
                    consumers = _names(value.split(","), where)
        return Parties(producer, consumers)
    if "x-cd-compat" not in text:
        return Parties()
    doc = _parse(text)
    block = doc.get("x-cd-compat") if isinstance(doc, dict) else None
    if not isinstance(block, dict):
        return Parties()
    producer = _name(block["producer"], where, "producer") if "producer" in block else None
    consumers = ()
    if "consumers" in block:
        raw = block["consumers"]
        items = raw.split(",") if isinstance(raw, str) else raw
        if not isinstance(items, list):
            raise UsageError(f"x-cd-compat consumers: expected a list of names, got {raw!r}", path=where)
        consumers = _names(items, where)
    return Parties(producer, consumers)


def _parse(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        pass
    import yaml

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None


def _name(value: Any, where: str, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise UsageError(
            f"x-cd-compat {key}: declares no name ({value!r}): name the party, or drop the key", path=where
        )
    return value.strip()


def _names(values: Iterable[Any], where: str) -> tuple[str, ...]:
    names = tuple(_name(v, where, "consumers") for v in values)
    if not names:
        raise UsageError("x-cd-compat consumers: the list names no consumer", path=where)
    return names


def parse_party_lines(lines: Sequence[str]) -> list[tuple[str, Parties]]:
    """``path-glob = producer: NAME; consumers: A, B`` lines."""
    out: list[tuple[str, Parties]] = []
    for line in lines:
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        glob, sep, decl = text.partition("=")
        if not sep or not glob.strip():
            raise UsageError(f"cd_compat_parties: expected 'path-glob = producer: NAME; consumers: A, B', got {text!r}")
        producer: str | None = None
        consumers: tuple[str, ...] = ()
        for part in decl.split(";"):
            key, colon, value = part.partition(":")
            key = key.strip()
            if not colon or key not in ("producer", "consumers"):
                raise UsageError(f"cd_compat_parties: {text!r}: expected 'producer: NAME' or 'consumers: A, B'")
            if key == "producer":
                producer = _name(value, "cd_compat_parties", "producer")
            else:
                consumers = _names(value.split(","), "cd_compat_parties")
        out.append((glob.strip(), Parties(producer, consumers)))
    return out


def _matches(rel: str, glob: str) -> bool:
    return fnmatchcase(rel, glob) or fnmatchcase(rel, glob.rstrip("/") + "/*")


@dataclass(frozen=True)
class Policy:
    """The resolved settings: the policy name, the ``ships`` entries and the parties declared in the settings."""

    name: str = "ships"
    ships: tuple[str, ...] = ()
    parties: tuple[tuple[str, Parties], ...] = ()

    @classmethod
    def from_options(cls, name: str, ships: Sequence[str], parties: Sequence[str]) -> Policy:
        return cls(name, tuple(s.strip() for s in ships if s.strip()), tuple(parse_party_lines(parties)))

    def parties_of(self, rel: str, text: str) -> Parties:
        inline = parties_in_text(text, rel)
        if inline.declared:
            return inline
        for glob, parties in self.parties:
            if _matches(rel, glob):
                return parties
        return Parties()

    def ships_of(self, rel: str, parties: Parties) -> set[str]:
        """Which sides of the contract at ``rel`` this repository deploys: a subset of {producer, consumer}."""
        sides: set[str] = set()
        global_entries: list[str] = []
        for entry in self.ships:
            glob, sep, what = entry.rpartition("=")
            if sep:
                if _matches(rel, glob.strip()):
                    sides |= _sides(what, parties)
            else:
                global_entries.append(entry)
        if not sides:
            for entry in global_entries:
                sides |= _sides(entry, parties)
        return sides or {"producer"}

    def check_names(self, declared: Iterable[Parties], rels: Sequence[str]) -> None:
        """A ``ships`` entry or a ``parties`` glob that names nothing is an error, not a silent no-op."""
        names = {n for p in declared for n in ((p.producer,) if p.producer else ()) + p.consumers}
        names |= {n for _, p in self.parties for n in ((p.producer,) if p.producer else ()) + p.consumers}
        for entry in self.ships:
            glob, sep, what = entry.rpartition("=")
            for word in (w.strip() for w in what.split(",")):
                if word and word not in ROLES and word not in names:
                    raise UsageError(
                        f"cd_compat_ships: {word!r} is neither producer, consumer nor a party any contract declares "
                        f"(declared: {', '.join(sorted(names)) or 'none'})"
                    )
            if sep and not any(_matches(r, glob.strip()) for r in rels):
                raise UsageError(f"cd_compat_ships: {glob.strip()!r} matches no contract")
        for glob, _ in self.parties:
            if not any(_matches(r, glob) for r in rels):
                raise UsageError(f"cd_compat_parties: {glob!r} matches no contract")

    def decide(self, *, rel: str, kind: str, text: str, mode: str | None, strict: bool) -> Decision:
        from pytest_cdcompat.run.modes import required_directions

        if mode is not None:
            why = f"compatibility mode {mode} (wins over the deploy policy)"
            return Decision(f"mode {mode}", required_directions(mode), {d: why for d in Direction})
        if strict:
            why = "strict semantics (wins over the deploy policy): both directions required"
            return Decision("strict", BOTH, {d: why for d in Direction})
        if self.name == "both-directions":
            why = "policy both-directions: every direction is required"
            return Decision("both-directions", BOTH, {d: why for d in Direction})
        if kind in MESSAGE_KINDS:
            why = (
                "messages persist (a topic keeps old messages for new consumers, a queue holds them across a deploy): "
                "both directions are required for message contracts"
            )
            return Decision("ships (messages: both directions)", BOTH, {d: why for d in Direction})
        parties = self.parties_of(rel, text)
        sides = self.ships_of(rel, parties)
        if kind == "sql":
            producer = "the database (migrations run before the new application starts)"
        else:
            producer = f"the producer{f' {parties.producer}' if parties.producer else ''}"
        if sides == {"producer", "consumer"}:
            why = "this repository ships both sides: a rolling deploy mixes old and new instances of both"
            return Decision("ships producer and consumers", BOTH, {d: why for d in Direction})
        if sides == {"producer"}:
            follow = (
                "expand step: the migration runs first; the new application may use the new shape once it has run "
                "everywhere, and the schema must not be rolled back past it afterwards"
                if kind == "sql"
                else "expand step: consumers may adopt the new shape once this producer version is fully rolled "
                "out; after that the producer must not roll back past it"
            )
            return Decision(
                "ships producer",
                frozenset({ONP}),
                {
                    ONP: f"this repository ships {producer}: it is deployed on merge while old consumers still run",
                    NOP: f"this repository ships {producer}, deployed first: new consumers never meet the old "
                    "producer until a rollback",
                },
                {NOP: follow},
            )
        consumers = ", ".join(parties.consumers) if parties.consumers else "the consumers"
        return Decision(
            "ships consumers",
            frozenset({NOP}),
            {
                NOP: f"this repository ships {consumers}: they are deployed on merge while the old producer still runs",
                ONP: f"this repository ships {consumers}, deployed first: the producer changes after them",
            },
            {
                ONP: "consumer-first step: the producer may change once every consumer runs this version; consumers "
                "must not roll back past it"
            },
        )


def _sides(what: str, parties: Parties) -> set[str]:
    sides: set[str] = set()
    for word in (w.strip() for w in what.split(",")):
        if word in ROLES:
            sides.add(word)
        elif word and word == parties.producer:
            sides.add("producer")
        elif word and word in parties.consumers:
            sides.add("consumer")
    return sides


def fails(decision: Decision, result: DirectionResult) -> bool:
    """Whether a direction fails the build under ``decision``: required and incompatible, or a data check."""
    if result.direction in decision.required:
        return not result.compatible
    return any(f.fails and f.rule in ALWAYS_RULES for f in result.findings)


def follow_up(decision: Decision, result: DirectionResult) -> str | None:
    """The note for a direction that breaks but need not hold (an expand or consumer-first step)."""
    if result.compatible or fails(decision, result) or result.direction in decision.required:
        return None
    return decision.follow_up.get(result.direction)
