"""The schema engine (OpenAPI, JSON Schema, AsyncAPI): rules first, then proof, then search.

Both deploy scenarios in one pass, sharing one hasher, one view set and the rules' hits per node pair. For each
scenario: pair channels, then flows (responses by status, bodies by media type, parameters by key), then walk each
differing pair of slot schemas (``pairing.Walk``) running every schema rule on every node pair. Each hit goes
through the proof loop (``proving.loop``) with this kind's witness check: the engine places the rule's witness into
a whole writer value (``generate.minimal.embed``), or searches for one with hypothesis, and jsonschema must confirm
that the writer accepts it and the reader rejects it; an error that no value demonstrates is downgraded to a
warning. Finally the generator runs on every differing slot; a counterexample that no rule explains is reported as
``uncatalogued-break`` (a gap in the catalogue, reported rather than hidden).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from pytest_cdcompat import catalogue
from pytest_cdcompat.catalogue import NOTHING, Hit, Rule
from pytest_cdcompat.core.directions import writer_and_reader
from pytest_cdcompat.core.findings import Direction, Finding, Severity
from pytest_cdcompat.core.model import Channel, Contract, Flow, Slot
from pytest_cdcompat.core.settings import Settings
from pytest_cdcompat.kinds.schema.flows import (
    ChannelPair,
    FlowPair,
    envelope_errors,
    match_media,
    match_status,
    slot_path,
)
from pytest_cdcompat.kinds.schema.implied import implied
from pytest_cdcompat.kinds.schema.pairing import SchemaPair, Step, Walk, escape, rejects_one_of
from pytest_cdcompat.kinds.schema.shared import Shared, new_shared
from pytest_cdcompat.kinds.schema.views import Views
from pytest_cdcompat.proving.loop import Claim, Loop

MIN_SITE_EXAMPLES = 10  # a change site gets at least this many candidates, however many sites a flow has
NOT_DEMONSTRATED = " (not demonstrated: no value the writer sends was found that the reader rejects)"


def run(old: Contract, new: Contract, settings: Settings, seed: int) -> dict[Direction, list[Finding]]:
    """Both deploy directions in one pass: one hasher, one view set, one pair table and one table of rule hits."""
    shared = new_shared(settings.strict)
    return {d: run_direction(old, new, d, settings, seed, shared) for d in Direction}


def run_direction(
    old: Contract, new: Contract, direction: Direction, settings: Settings, seed: int, shared: Shared | None = None
) -> list[Finding]:
    """The findings of one deploy direction (``shared`` carries what both directions of one comparison reuse)."""
    shared = shared or new_shared(settings.strict)
    engine = SchemaRun(direction=direction, settings=settings, seed=seed, kind=new.kind, shared=shared)
    for key in sorted(set(old.channels) | set(new.channels)):
        engine.channel(old.channels.get(key), new.channels.get(key))
    return dedupe(engine.findings)


@dataclass(frozen=True, slots=True)
class Site:
    """Where a schema claim is proved: the flow pair, the slot, the whole writer and reader schemas, the node pair
    (``step``), the instance path of the claim's value and the ``instance`` path of the node."""

    pair: FlowPair
    key: str
    wslot: Slot
    w: Any
    r: Any
    step: Any
    media: str | None
    ipath: tuple[str | int, ...]
    node: Any = None  # the writer node the claim is about: the step's writer, or the union branch the rule named


@dataclass(frozen=True, slots=True)
class FlowSite:
    """Where a flow or channel claim is proved: the writer's and reader's channels and the flow pair, if any."""

    wchan: Channel
    rchan: Channel | None
    pair: FlowPair | None


def dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per place and counterexample: a union's branch and the union itself can hit the same change;
    the later (deeper, more specific) hit is kept."""
    import json

    chosen: dict[tuple[str, str], Finding] = {}
    out: list[Finding] = []
    for f in findings:
        if f.counterexample is None:
            out.append(f)
            continue
        key = (f.location, json.dumps(f.counterexample, sort_keys=True, default=str))
        chosen[key] = f
    return out + list(chosen.values())


def pointer(*parts: str | int) -> str:
    return "".join("/" + escape(p) for p in parts)


def _context(flow: Flow) -> str:
    if flow.name == "request" or flow.name.startswith("request"):
        return "request"
    if flow.name.startswith("response"):
        return "response"
    return "message"


@dataclass
class SchemaRun:
    direction: Direction
    settings: Settings
    seed: int
    kind: str
    shared: Shared = field(default_factory=new_shared)  # hasher, views, pair table: one per comparison
    findings: list[Finding] = field(default_factory=list)
    walked: set[tuple[int, int, bool, str]] = field(default_factory=set)  # pairs whose closure a slot walked
    clean: set[tuple[Any, ...]] = field(default_factory=set)  # walked pairs whose closure holds no error
    dirty: set[tuple[Any, ...]] = field(default_factory=set)  # walked pairs that reach an error
    keep: list[Any] = field(default_factory=list)
    site_results: dict[tuple[str, str, str], Any] = field(default_factory=dict)
    reported: dict[tuple[Any, ...], Finding] = field(default_factory=dict)
    undemonstrated: set[tuple[str, int, int, str]] = field(default_factory=set)
    searched: dict[tuple[Any, ...], Any] = field(default_factory=dict)  # proof searches by their inputs

    def __post_init__(self) -> None:
        if self.shared.strict != self.settings.strict:
            self.shared = new_shared(self.settings.strict)
        self.hasher: Any = self.shared.hasher
        self.views: Views = self.shared.views
        self.hit_cache: dict[tuple[int, int, bool, str], list[tuple[Rule, Hit]]] = self.shared.hits
        only = self.settings.only
        self.channel_rules = catalogue.rules_for("channel", self.kind, only)
        self.flow_rules = catalogue.rules_for("flow", self.kind, only)
        self.schema_rules = catalogue.rules_for("schema", self.kind, only)
        self.values: Loop[Site] = Loop(self.settings, ValueWitness(self))
        self.envelopes: Loop[FlowSite] = Loop(self.settings, EnvelopeWitness(self))

    # --- pairing ------------------------------------------------------------------------------------------------

    def channel(self, old: Channel | None, new: Channel | None) -> None:
        versions = {"old": old, "new": new}
        present = [c for c in (old, new) if c is not None]
        parties = sorted({f.written_by for c in present for f in c.flows.values()}, key=lambda p: p.value)
        for party in parties:
            wv, rv = writer_and_reader(self.direction, party)
            writer, reader = versions[wv], versions[rv]
            if writer is None:
                continue
            cpair = ChannelPair(writer, reader, wv == "old", party)
            for r in self.channel_rules:
                for hit in r.check(cpair):
                    self.flow_hit(r, hit, cpair.writer_is_old, writer, reader, None)
            if reader is None:
                continue
            for key, wflow in sorted(writer.flows.items()):
                if wflow.written_by is not party:
                    continue
                rkey = (
                    match_status(key.partition(":")[2], reader.flows)
                    if key.startswith("response:")
                    else (key if key in reader.flows else None)
                )
                if rkey is None:
                    continue
                title = (new or writer).title
                self.flow(FlowPair(key, wflow, reader.flows[rkey], wv == "old", title), writer, reader)

    def flow(self, pair: FlowPair, wchan: Channel, rchan: Channel) -> None:
        reader = pair.reader
        assert reader is not None
        for r in self.flow_rules:
            for hit in r.check(pair):
                self.flow_hit(r, hit, pair.writer_is_old, wchan, rchan, pair)
        for key, wslot in sorted(pair.writer.params.items()):
            rslot = reader.params.get(key)
            if rslot is not None:
                self.slot(pair, key, wslot, rslot)
        for media, wslot in sorted(pair.writer.bodies.items()):
            rmedia = match_media(media, reader.bodies)
            if rmedia is not None:
                self.slot(pair, "body", wslot, reader.bodies[rmedia], media=media)

    # --- schema walk --------------------------------------------------------------------------------------------

    def slot(self, pair: FlowPair, key: str, wslot: Slot, rslot: Slot, media: str | None = None) -> None:
        context = _context(pair.writer)
        w = self.views(wslot.schema, context)
        r = self.views(rslot.schema, context)
        if self.hasher(w) == self.hasher(r):
            return
        new_slot = rslot if pair.writer_is_old else wslot
        base = schema_base(new_slot, self.kind)
        # first only the pairs no earlier slot walked (the others' hits are reported already); the generator needs
        # the slot's every pair, so it walks again in full, unless the first pass found an error already
        proved, steps, _ = self.walk_slot(pair, key, wslot, w, r, media, base, context, pruned=True)
        if self.values.wants_search(f for _, f in proved):
            wio = pair.writer_is_old
            if self.shared.table.reaches(
                w, r, lambda a, b: self.pair_has_error(a, b, wio, context), self.clean, self.dirty, (wio, context)
            ):
                return  # an error an earlier slot proved is reachable from here: no search
            proved, steps, not_sites = self.walk_slot(pair, key, wslot, w, r, media, base, context, pruned=False)
            if not self.values.wants_search(f for _, f in proved):
                return  # the rules' breaks are proven already; the search is for breaks no rule explains
            self.search(pair, key, wslot, w, r, media, base, proved, steps, not_sites)

    def walk_slot(
        self,
        pair: FlowPair,
        key: str,
        wslot: Slot,
        w: Any,
        r: Any,
        media: str | None,
        base: str,
        context: str,
        pruned: bool,
    ) -> tuple[list[tuple[tuple[str | int, ...], Finding]], list[Any], set[tuple[str | int, ...]]]:
        """Walk one slot's pairs, reporting each new hit; ``pruned`` stops at pairs an earlier slot walked."""
        walk = Walk(
            pair.writer_is_old,
            self.settings.strict,
            context,
            hasher=self.hasher,
            table=self.shared.table,
            walked=self.walked if pruned else None,
        )
        proved: list[tuple[tuple[str | int, ...], Finding]] = []
        steps = []
        for step in walk.steps(w, r):
            steps.append(step)
            for r_, hit in self.node_hits(step, pair.writer_is_old, context):
                ipath = step.instance_path + hit.instance
                # a change inside a shared component is reached from many operations (and, in APIs with
                # expandable objects, along many paths): it is reported and proved once, where it is first met
                once = _once(r_, hit, step.writer, step.reader, pair.writer_is_old)
                earlier = self.reported.get(once)
                if earlier is not None:
                    proved.append((ipath, earlier))
                    continue
                finding = self.schema_finding(r_, hit, pair, key, wslot, w, r, step, media, base, ipath)
                self.reported[once] = finding
                proved.append((ipath, finding))
                self.findings.append(finding)
        return proved, steps, walk.not_sites

    def pair_has_error(self, w: dict[str, Any], r: dict[str, Any], writer_is_old: bool, context: str) -> bool:
        """Whether a hit on this (already walked) node pair was reported as an error in this direction."""
        for r_, hit in self.node_hits(Step(w, r, (), ()), writer_is_old, context):
            f = self.reported.get(_once(r_, hit, w, r, writer_is_old))
            if f is not None and f.severity is Severity.ERROR:
                return True
        return False

    def node_hits(self, step: Any, writer_is_old: bool, context: str) -> list[tuple[Rule, Hit]]:
        """The rules' hits on one node pair; shared components meet the same pair from many operations, so the
        hits are computed once per pair and context."""
        key = (id(step.writer), id(step.reader), writer_is_old, context)
        cached = self.hit_cache.get(key)
        if cached is None:
            spair = SchemaPair(
                step.writer, step.reader, writer_is_old, self.settings.strict, context, hasher=self.hasher
            )
            cached = [(r_, hit) for r_ in self.schema_rules for hit in r_.check(spair)]
            values = finite_values(step.writer)
            if values is not None:
                # the writer sends only these values: a constraint matters only if one of them breaks it
                broken = rejects_one_of(step.reader, values)
                cached = [(r_, hit) for r_, hit in cached if r_.category != "constraints" or broken]
            self.hit_cache[key] = cached
            self.shared.keep.append((step.writer, step.reader))
        return cached

    def schema_finding(
        self,
        r_: Rule,
        hit: Hit,
        pair: FlowPair,
        key: str,
        wslot: Slot,
        w: Any,
        r: Any,
        step: Any,
        media: str | None,
        base: str,
        ipath: tuple[str | int, ...],
    ) -> Finding:
        location = base + pointer(*step.keyword_path) + hit.where
        site = Site(pair, key, wslot, w, r, step, media, ipath, hit.node if hit.node is not None else step.writer)
        return self.values.judge(self.values.claim(r_, hit, site, "old" if pair.writer_is_old else "new", location))

    def value_for(self, claim: Claim[Site]) -> Any:
        """The rule's witness placed in a whole writer value, else a search steered to the claim's place."""
        from pytest_cdcompat.kinds.schema.generate.minimal import embed, minimal_instance

        hit, site = claim.hit, claim.pair
        witness = hit.witness
        if witness is NOTHING and not hit.missing:
            sub = _sub_schema(site.step.writer, hit.instance)
            if sub is not None:
                witness = minimal_instance(sub)
        value = (
            embed(site.w, list(site.ipath), witness, missing=hit.missing)
            if witness is not NOTHING or hit.missing
            else (NOTHING)
        )
        value = value if value is not NOTHING and self.shows(site, value) else NOTHING
        if value is NOTHING and (witness is not NOTHING or hit.missing):
            value = self.placed_again(claim, witness)
        failed_key = (claim.rid.id, id(site.step.writer), id(site.step.reader), hit.where)
        if value is NOTHING and self.shadowed(site):
            self.undemonstrated.add(failed_key)  # no value is of this branch alone: nothing to search for
        if value is NOTHING and self.settings.examples > 0 and failed_key not in self.undemonstrated:
            value = self.search_value(site, claim.location)
            if value is NOTHING:
                # the same node pair reached from another operation will not do better: search it once
                self.undemonstrated.add(failed_key)
        return value

    def shadowed(self, site: Site) -> bool:
        """The claim's node is a ``oneOf`` branch every value of which another branch accepts too (an integer branch
        from 11 beside one from 3): each such value matches two branches and the writer never sends it, so no
        counterexample exists. Decided by the conservative implication check (``implied.py``); anything it cannot
        tell is searched as before."""
        union = site.step.writer.get("oneOf") if isinstance(site.step.writer, dict) else None
        node = site.node
        if not isinstance(union, list) or not isinstance(node, dict) or not any(b is node for b in union):
            return False
        context = _context(site.pair.writer)
        return any(
            isinstance(other, dict) and implied(node, other, self.hasher, context, self.settings.strict)
            for other in union
            if other is not node
        )

    def placed_again(self, claim: Claim[Site], witness: Any) -> Any:
        """A second, constructive try before any search. Placed in the first union branch that has the path, the
        witness may sit in a variant the claim is not about: place it along the branches that reach the claim's
        node. A rule's witness is a sample of the lost type or value (``0`` for integers), which the writer's other
        keywords there may reject (``minimum: 3``): try the writer node's own minimal value too."""
        from pytest_cdcompat.kinds.schema.generate.minimal import embed, minimal_instance

        hit, site = claim.hit, claim.pair
        tries = [witness]
        if not hit.missing:
            sub = _sub_schema(site.step.writer, hit.instance)
            own = minimal_instance(sub) if sub is not None else NOTHING
            if own is not NOTHING and own != witness:
                tries.append(own)
        for candidate in tries:
            value = embed(site.w, list(site.ipath), candidate, missing=hit.missing, toward=site.node)
            if value is not NOTHING and self.shows(site, value):
                return value
        return NOTHING

    def shows(self, site: Site, value: Any) -> bool:
        """``value`` demonstrates a claim at ``site``: the writer accepts it, the reader rejects it at or around the
        claim's place, and the value's part there is one the claim's writer node governs (an item that took another
        union branch than the claim's shows another change, not this one)."""
        from pytest_cdcompat.kinds.schema.generate.validate import passes_through

        return self.demonstrates(site.w, site.r, value, site.ipath) and passes_through(
            site.w, value, site.node, site.step.instance_path
        )

    def demonstrates(self, w: Any, r: Any, value: Any, at: tuple[str | int, ...] | None = None) -> bool:
        """The writer accepts ``value`` and the reader rejects it (at or around instance path ``at``)."""
        from pytest_cdcompat.kinds.schema.generate.validate import errors, is_valid

        if not is_valid(w, value):
            return False
        found = errors(r, value)
        if not found:
            return False
        return at is None or any(_related(tuple(p), at) for p, _ in found)

    def local_seed(self, location: str) -> int:
        h = hashlib.sha256(f"{self.seed}:{self.direction.value}:{location}".encode()).digest()
        return int.from_bytes(h[:4], "big")

    def search_value(self, site: Site, location: str) -> Any:
        from pytest_cdcompat.kinds.schema.generate.counterexample import search_at
        from pytest_cdcompat.kinds.schema.generate.validate import passes_through

        w, r, at, node = site.w, site.r, site.step.instance_path, site.node

        # a proof search is steered to the finding's place: a quarter of the flow's candidates is plenty
        budget = max(MIN_SITE_EXAMPLES, self.settings.examples // 4)
        context = _context(site.pair.writer)
        # several rules hit one node pair (a ``required`` and a ``type`` change at one place): the search depends
        # only on the two schemas, the place, the claim's node, the location's seed and the context, so it runs once
        # for all of them
        key = (id(w), id(r), tuple(at), id(node), location, context)
        if key in self.searched:
            found = self.searched[key]
        else:
            found = self.searched[key] = search_at(
                w,
                r,
                list(at),
                examples=budget,
                seed=self.local_seed(location),
                strict=self.settings.strict,
                context=context,
                through=lambda v: passes_through(w, v, node, at),
            )
            self.keep.append((w, r, node))
        if found is None or not self.shows(site, found.value):
            return NOTHING
        return found.value

    def search(
        self,
        pair: FlowPair,
        key: str,
        wslot: Slot,
        w: Any,
        r: Any,
        media: str | None,
        base: str,
        proved: list[tuple[tuple[str | int, ...], Finding]],
        steps: list[Any],
        not_sites: set[tuple[str | int, ...]],
    ) -> None:
        """Look for breaks no rule explains, where the two schemas differ.

        Generating whole values of a large schema (a Stripe response) is slow and mostly varies parts that did not
        change, so the search runs at each *change site*: a node pair that differs while none of its children do.
        A value found there is embedded into a whole writer value and checked against both whole schemas.
        """
        from pytest_cdcompat.kinds.schema.generate.counterexample import find_counterexample
        from pytest_cdcompat.kinds.schema.generate.minimal import embed
        from pytest_cdcompat.kinds.schema.generate.validate import errors

        below = {step.keyword_path[:i] for step in steps for i in range(len(step.keyword_path))} | not_sites
        context = _context(pair.writer)
        sites = [s for s in steps if s.keyword_path not in below and not s.reader.get("x-cdc-false")]
        # ``--examples N`` is the number of candidates per differing flow, shared among its change sites
        per_site = max(MIN_SITE_EXAMPLES, self.settings.examples // max(1, len(sites)))
        for site in sites:
            cache_key = (self.hasher(site.writer), self.hasher(site.reader), context)
            if cache_key not in self.site_results and implied(
                site.writer, site.reader, self.hasher, context, self.settings.strict
            ):
                self.site_results[cache_key] = NOTHING  # the reader accepts all the writer sends here: no search
            if cache_key not in self.site_results:
                location = base + pointer(*site.keyword_path)
                found = find_counterexample(
                    site.writer,
                    site.reader,
                    examples=per_site,
                    seed=self.local_seed(location),
                    strict=self.settings.strict,
                    context=context,
                )
                self.site_results[cache_key] = NOTHING if found is None else found.value
                self.keep.append((site.writer, site.reader))
            local = self.site_results[cache_key]
            if local is NOTHING:
                continue
            value = embed(w, list(site.instance_path), local)
            if value is NOTHING or not self.demonstrates(w, r, value, site.instance_path):
                continue
            reader_errors = [(tuple(p), m) for p, m in errors(r, value)]
            paths = [p for p, _ in reader_errors]
            if any(
                any(_related(p, ipath) for p in paths)
                for ipath, f in proved
                if f.severity is Severity.ERROR or NOT_DEMONSTRATED in f.message
            ):
                continue
            first = min(paths, key=len) if paths else ()
            messages = [m for p, m in reader_errors if p == first] or ["rejected"]
            where = Site(pair, key, wslot, w, r, site, media, tuple(site.instance_path), site.writer)
            claim = self.values.search_claim(
                where, "old" if pair.writer_is_old else "new", base + pointer(*site.keyword_path)
            )
            extra = self.values.uncatalogued(
                claim, value, f"the reader rejects a value the writer may send: {messages[0]}"
            )
            if extra is not None:
                self.findings.append(extra)

    # --- envelopes and flow-level hits --------------------------------------------------------------------------

    def envelope(self, pair: FlowPair, key: str, wslot: Slot, value: Any, media: str | None) -> Any:
        if pair.writer.name == "message" and not pair.writer.params:
            return value
        overrides: dict[str, Any] = {key: value} if key != "body" else {}
        body = (media, value) if key == "body" else None
        return self.build_envelope(pair.key, pair.channel_title, pair.writer, overrides, body)

    def build_envelope(
        self,
        key: str,
        title: str,
        flow: Flow,
        overrides: dict[str, Any],
        body: tuple[str | None, Any] | None,
        omit_body: bool = False,
    ) -> dict[str, Any]:
        from pytest_cdcompat.kinds.schema.generate.minimal import minimal_instance

        context = _context(flow)
        env: dict[str, Any] = {}
        if key == "request":
            method, _, url = title.partition(" ")
            env["method"], env["url"] = method, url
        else:
            env["status"] = concrete_status(key.partition(":")[2])
        for pkey, slot in sorted(flow.params.items(), key=lambda kv: kv[0]):
            if pkey in overrides:
                value = overrides[pkey]
                if value is NOTHING:
                    continue
            elif slot.required:
                value = minimal_instance(self.views(slot.schema, context))
                if value is NOTHING:
                    continue
            else:
                continue
            section, name = slot_path(pkey, slot)
            env.setdefault(section, {})[name] = value
        if body is not None:
            env["content_type"], env["body"] = body
        elif flow.bodies and not omit_body:
            media = sorted(flow.bodies)[0]
            value = minimal_instance(self.views(flow.bodies[media].schema, context))
            if value is not NOTHING:
                env["content_type"], env["body"] = media, value
        return _order(env)

    def flow_hit(
        self, r_: Rule, hit: Hit, writer_is_old: bool, wchan: Channel, rchan: Channel | None, pair: FlowPair | None
    ) -> None:
        claim = self.envelopes.claim(
            r_, hit, FlowSite(wchan, rchan, pair), "old" if writer_is_old else "new", hit.where
        )
        self.findings.append(self.envelopes.judge(claim))

    def flow_envelope(self, claim: Claim[FlowSite]) -> Any:
        """A whole request or response built to show a flow-level claim (a missing body, a dropped parameter)."""
        hit, site = claim.hit, claim.pair
        wflow, _, key = self._flows_for(hit, site.wchan, site.rchan, site.pair)
        if wflow is None:
            return NOTHING
        writer_is_old = claim.writer == "old"
        title = (site.rchan if writer_is_old and site.rchan is not None else site.wchan).title
        overrides: dict[str, Any] = {}
        body = None
        omit_body = False
        head = hit.instance[0]
        if head == "body":
            if hit.missing:
                omit_body = True
            elif isinstance(hit.witness, str):
                from pytest_cdcompat.kinds.schema.generate.minimal import minimal_instance

                schema = self.views(wflow.bodies[hit.witness].schema, _context(wflow))
                value = minimal_instance(schema)
                body = (hit.witness, value if value is not NOTHING else None)
        elif isinstance(head, str) and (head in wflow.params or hit.missing):
            overrides[head] = NOTHING
        return self.build_envelope(key, title, wflow, overrides, body, omit_body)

    # --- serialisation claims: the witness is a value whose wire text the reader reads differently ---------------

    def serialisation_slots(self, claim: Claim[FlowSite]) -> tuple[str, Slot, Slot] | None:
        """The key and the writer's and reader's slots of a serialisation claim: a parameter, or a form field
        (instance ``("form", media, name)``)."""
        from pytest_cdcompat.kinds.schema.serialisation_slots import serialised_slot

        pair, key = claim.pair.pair, claim.hit.instance[0] if claim.hit.instance else None
        if pair is None or pair.reader is None or not isinstance(key, str):
            return None
        wslot, rslot = (
            serialised_slot(pair.writer, claim.hit.instance),
            serialised_slot(pair.reader, claim.hit.instance),
        )
        return None if wslot is None or rslot is None else (key, wslot, rslot)

    def serialisation_value(self, claim: Claim[FlowSite]) -> Any:
        """A value the writer's schema accepts, of a shape the rule found read differently, that the reader really
        reads differently: two items or two properties where the schema allows them."""
        from pytest_cdcompat.kinds.schema.generate.minimal import minimal_instance
        from pytest_cdcompat.kinds.schema.serialisation import sample

        slots = self.serialisation_slots(claim)
        if slots is None or claim.pair.pair is None:
            return NOTHING
        _, wslot, _ = slots
        ctx = _context(claim.pair.pair.writer)
        schema = self.views(wslot.schema, ctx)
        if claim.rid.id.endswith("allow-reserved-changed"):
            candidates: list[Any] = ["a&b=c", "a&b", "a#b"]
        else:
            shapes = claim.hit.witness if isinstance(claim.hit.witness, tuple) else ()
            candidates = [
                v
                for shape in shapes
                for v in sample(schema, shape, lambda s: minimal_instance(s, context=ctx), NOTHING)
            ]
        return next((v for v in candidates if self.serialisation_demonstrates(claim, v)), NOTHING)

    def serialisation_demonstrates(self, claim: Claim[FlowSite], value: Any) -> bool:
        from pytest_cdcompat.kinds.schema.generate.validate import is_valid
        from pytest_cdcompat.kinds.schema.serialisation import reads_same

        slots = self.serialisation_slots(claim)
        if slots is None or claim.pair.pair is None:
            return False
        _, wslot, rslot = slots
        if not is_valid(self.views(wslot.schema, _context(claim.pair.pair.writer)), value):
            return False
        ws, rs = wslot.extras.get("serialisation"), rslot.extras.get("serialisation")
        return ws is not None and rs is not None and not reads_same(rslot.name, value, ws, rs)[0]

    def serialisation_show(self, claim: Claim[FlowSite], value: Any) -> Any:
        from pytest_cdcompat.kinds.schema.serialisation import reads_same

        slots = self.serialisation_slots(claim)
        pair = claim.pair.pair
        assert slots is not None and pair is not None
        key, wslot, rslot = slots
        if key == "form":  # a form field: the value inside the form body it is sent in
            from pytest_cdcompat.kinds.schema.generate.minimal import embed

            media, name = str(claim.hit.instance[1]), str(claim.hit.instance[2])
            form = embed(self.views(pair.writer.bodies[media].schema, _context(pair.writer)), [name], value)
            body = (media, form if form is not NOTHING else {name: value})
            env = self.build_envelope(pair.key, pair.channel_title, pair.writer, {}, body)
        else:
            env = self.build_envelope(pair.key, pair.channel_title, pair.writer, {key: value}, None)
        _, text, got = reads_same(rslot.name, value, wslot.extras["serialisation"], rslot.extras["serialisation"])
        return _order(env) | {"wire": text, "reader_reads": got}

    def _flows_for(
        self, hit: Hit, wchan: Channel, rchan: Channel | None, pair: FlowPair | None
    ) -> tuple[Flow | None, Flow | None, str]:
        if pair is not None:
            return pair.writer, pair.reader, pair.key
        if hit.instance[0] == "request":
            return wchan.flows.get("request"), None, "request"
        if hit.instance[0] == "response" and len(hit.instance) > 1:
            key = f"response:{hit.instance[1]}"
            return wchan.flows.get(key), None, key
        return None, None, ""

    def _envelope_proves(self, env: dict[str, Any], wflow: Flow, rflow: Flow | None) -> bool:
        from pytest_cdcompat.kinds.schema.generate.validate import is_valid

        ctx = _context(wflow)

        def valid(schema: Any, value: Any) -> bool:
            return bool(is_valid(self.views(schema, ctx), value))

        if envelope_errors(wflow, _as_checked(env), is_valid=valid):
            return False
        return rflow is None or bool(envelope_errors(rflow, _as_checked(env), is_valid=valid))


@dataclass
class ValueWitness:
    """The schema witness check for a schema claim: jsonschema accepts the whole value with the writer's schema and
    rejects it with the reader's, with an error at or around the claim's place."""

    run: SchemaRun

    def wanted(self, claim: Claim[Site], severity: Severity) -> bool:
        return True  # every claim shows a value when one is found (warnings too); a search only when generating

    def candidate(self, claim: Claim[Site]) -> Any:
        return self.run.value_for(claim)

    def demonstrates(self, claim: Claim[Site], candidate: Any) -> bool:
        return self.run.shows(claim.pair, candidate)

    def show(self, claim: Claim[Site], candidate: Any) -> Any:
        site = claim.pair
        return self.run.envelope(site.pair, site.key, site.wslot, candidate, site.media)

    def not_demonstrated(self, claim: Claim[Site]) -> str:
        return NOT_DEMONSTRATED


@dataclass
class EnvelopeWitness:
    """The witness check for a flow or channel claim: the writer's flow accepts the whole envelope (parameters,
    content type, body) and the reader's flow, when there is one, rejects it."""

    run: SchemaRun

    def wanted(self, claim: Claim[FlowSite], severity: Severity) -> bool:
        return True

    def candidate(self, claim: Claim[FlowSite]) -> Any:
        if claim.rid.severity is Severity.INFO or not claim.hit.instance:
            return NOTHING  # nothing to send (an informational change, or a claim about no instance)
        if claim.rule.category == "serialisation":
            return self.run.serialisation_value(claim)
        return self.run.flow_envelope(claim)

    def demonstrates(self, claim: Claim[FlowSite], candidate: Any) -> bool:
        if claim.rule.category == "serialisation":
            return self.run.serialisation_demonstrates(claim, candidate)
        site = claim.pair
        wflow, rflow, _ = self.run._flows_for(claim.hit, site.wchan, site.rchan, site.pair)
        return wflow is not None and self.run._envelope_proves(candidate, wflow, rflow)

    def show(self, claim: Claim[FlowSite], candidate: Any) -> Any:
        if claim.rule.category == "serialisation":
            return self.run.serialisation_show(claim, candidate)
        return candidate

    def not_demonstrated(self, claim: Claim[FlowSite]) -> str:
        return NOT_DEMONSTRATED


def _as_checked(env: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in env.items() if k not in ("url", "method", "status")}


def concrete_status(status: str) -> str:
    """A real status code for a flow key: ``2XX`` -> ``200``; ``default`` -> ``500``."""
    if status.endswith("XX"):
        return status[0] + "00"
    if status == "default":
        return "500"
    return status


def _once(r_: Rule, hit: Hit, w: dict[str, Any], r: dict[str, Any], writer_is_old: bool) -> tuple[Any, ...]:
    """What makes a hit the same change wherever it is met: reported and proved once per direction."""
    return (r_.name, _origin(w), _origin(r), hit.where, hit.instance, hit.rule_id, writer_is_old)


def _origin(node: dict[str, Any]) -> Any:
    """Where a schema node came from (copies made by canonicalisation keep it), else the node itself."""
    loc = node.get("x-cdc-loc")
    return loc if isinstance(loc, str) and loc.startswith("/components/") else id(node)


def finite_values(schema: dict[str, Any]) -> list[Any] | None:
    """The values a schema allows when it lists them (``enum``/``const``), else None."""
    if "const" in schema:
        return [schema["const"]]
    values = schema.get("enum")
    return list(values) if isinstance(values, list) else None


def _related(error_path: tuple[Any, ...], at: tuple[Any, ...]) -> bool:
    """Whether a reader error at ``error_path`` is about the place ``at`` (one is a prefix of the other)."""
    n = min(len(error_path), len(at))
    return all(
        a == b or a == "*" or b == "*" or (isinstance(a, int) and isinstance(b, int))
        for a, b in zip(error_path[:n], at[:n], strict=True)
    )


def _order(env: dict[str, Any]) -> dict[str, Any]:
    order = ["method", "url", "status", "path", "query", "headers", "cookies", "content_type", "body"]
    return {k: env[k] for k in order if k in env} | {k: v for k, v in env.items() if k not in order}


def _sub_schema(node: dict[str, Any], instance: tuple[str | int, ...]) -> Any:
    cur: Any = node
    for part in instance:
        if not isinstance(cur, dict):
            return None
        props = cur.get("properties") or {}
        if isinstance(part, str) and part in props:
            cur = props[part]
        elif "additionalProperties" in cur and isinstance(cur["additionalProperties"], dict):
            cur = cur["additionalProperties"]
        else:
            return None
    return cur


def schema_base(slot: Slot, kind: str) -> str:
    """The JSON pointer of a slot's schema in its document (an OpenAPI slot points at its parameter or media type)."""
    loc = slot.location
    if isinstance(slot.schema, dict):
        own = slot.schema.get("x-cdc-loc")
        if isinstance(own, str) and own.startswith(loc) and "#" not in own:
            return own
    if kind == "openapi" and loc and not loc.endswith("/schema"):
        return loc + "/schema"
    return loc


__all__ = ["Shared", "run", "run_direction"]
