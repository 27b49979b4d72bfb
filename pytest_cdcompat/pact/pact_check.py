"""Each Pact interaction against one version of its provider's OpenAPI document, offline.

1. The operation: the interaction's method and concrete path matched against the spec's path templates (a literal
   segment beats a variable). No match in this version: ``pact-operation-missing``; no match in either version is
   bad input (the Pact file is for another API, or a typo), one ``PactError``.
2. The request must be one the spec accepts: path, query and header parameters (their text read as the schema's
   type) and the JSON body (``request`` context), required ones present: else ``pact-request-rejected``.
3. Every response the spec allows for the interaction's status must satisfy the consumer
   (``pact-response-mismatch``): the status declared, the expected headers promised (required), the media type
   declared, and the body schema of the spec (``response`` view) contained in the consumer's expectations
   (``pact_schema``). A property the consumer reads that the spec may leave out is found structurally and named;
   any other difference is searched with the counterexample generator (hypothesis), writer = the spec, reader = the
   consumer. Every response finding carries a response the spec allows and the consumer rejects, validated both
   ways before it is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pytest_cdcompat.catalogue.base import NOTHING
from pytest_cdcompat.core.findings import Direction, Finding, Severity
from pytest_cdcompat.core.model import Channel, Contract
from pytest_cdcompat.kinds.schema.flows import match_media, match_status
from pytest_cdcompat.kinds.schema.views import Views
from pytest_cdcompat.live.check import coerce, first_error, header
from pytest_cdcompat.live.requests_gen import template_of
from pytest_cdcompat.pact import PactError
from pytest_cdcompat.pact.pact_model import NO_BODY, Interaction, Pact
from pytest_cdcompat.pact.pact_schema import check_supported, expectation_schema, header_schema
from pytest_cdcompat.sources.refs import pointer_join

_VAR = re.compile(r"\{[^}]*\}")


@dataclass(frozen=True)
class Problem:
    rule: str
    where: str
    message: str
    counterexample: Any = None


def find_operation(contract: Contract, method: str, path: str) -> tuple[Channel, list[str]] | None:
    """The operation serving ``method path`` and the path variables' values, by position."""
    best: tuple[tuple[int, int], Channel, list[str]] | None = None
    for channel in contract.channels.values():
        found = template_of(channel)
        if found is None or found[0] != method:
            continue
        template = found[1]
        pattern = "^" + "".join(
            "([^/]+)" if part.startswith("{") else re.escape(part) for part in re.split(r"(\{[^}]*\})", template)
        ) + "/?$"  # fmt: skip
        m = re.match(pattern, path)
        if m is None:
            continue
        variables = len(_VAR.findall(template))
        rank = (variables, -len(template))
        if best is None or rank < best[0]:
            best = (rank, channel, [_unquote(v) for v in m.groups()])
    return None if best is None else (best[1], best[2])


def _unquote(text: str) -> str:
    from urllib.parse import unquote

    return unquote(text)


class Checker:
    """Checks interactions against one spec version (``old`` or ``new``)."""

    def __init__(self, contract: Contract, version: str, *, examples: int, seed: int, strict: bool = False) -> None:
        self.contract = contract
        self.version = version
        self.examples = examples
        self.seed = seed
        self.strict = strict
        self.views = Views()

    def check(self, interaction: Interaction) -> tuple[Channel | None, list[Problem]]:
        req = interaction.request
        found = find_operation(self.contract, req.method, req.path)
        if found is None:
            msg = f"{req.method} {req.path} matches no operation of the {self.version} spec"
            return None, [Problem("pact-operation-missing", "/paths", msg, {"method": req.method, "path": req.path})]
        channel, values = found
        problems = self.request_problems(interaction, channel, values)
        problems += self.response_problems(interaction, channel)
        return channel, problems

    # -- the request --------------------------------------------------------------------------------------------
    def request_problems(self, interaction: Interaction, channel: Channel, values: list[str]) -> list[Problem]:
        req = interaction.request
        flow = channel.flows.get("request")
        if flow is None:
            return []
        reasons: list[str] = []
        for key, slot in sorted(flow.params.items()):
            where, _, name = key.partition(":")
            text: Any = None
            if where == "path":
                index = int(name) if name.isdigit() else -1
                text = values[index] if 0 <= index < len(values) else None
            elif where == "query":
                given = req.query.get(slot.name)
                if given is not None:
                    text = ",".join(given) if len(given) > 1 else given[0]
            elif where == "header":
                text = header(req.headers, slot.name)
            else:
                continue
            if text is None:
                if slot.required:
                    reasons.append(f"the required {where} parameter {slot.name!r} is missing")
                continue
            value = coerce(text, slot.schema)
            error = first_error(self.views(slot.schema, "request"), value, "request")
            if error is not None:
                reasons.append(f"the {where} parameter {slot.name!r} = {text!r} is rejected {error}")
        if req.body is NO_BODY:
            if flow.bodies and flow.body_required:
                reasons.append(f"the request has no body; the spec requires one ({', '.join(sorted(flow.bodies))})")
        elif flow.bodies:
            media = match_media(req.content_type or "application/json", flow.bodies)
            if media is None:
                reasons.append(f"the media type {req.content_type!r} is not accepted "
                               f"({', '.join(sorted(flow.bodies))})")  # fmt: skip
            else:
                error = first_error(self.views(flow.bodies[media].schema, "request"), req.body, "request")
                if error is not None:
                    reasons.append(f"the body is rejected by the schema {error}")
        if not reasons:
            return []
        example: dict[str, Any] = {"method": req.method, "path": req.path}
        if req.query:
            example["query"] = req.query
        if req.body is not NO_BODY:
            example["content_type"], example["body"] = req.content_type, req.body
        return [Problem("pact-request-rejected", flow.location, f"the {self.version} spec rejects the request: "
                        + "; ".join(reasons), example)]  # fmt: skip

    # -- the response -------------------------------------------------------------------------------------------
    def response_problems(self, interaction: Interaction, channel: Channel) -> list[Problem]:
        resp = interaction.response
        key = match_status(str(resp.status), channel.flows)
        responses = pointer_join(channel.location, "responses")
        if key is None:
            declared = ", ".join(sorted(k.partition(":")[2] for k in channel.flows if k.startswith("response:")))
            return [Problem("pact-response-mismatch", responses, f"the consumer expects status {resp.status}, which "
                            f"the {self.version} spec does not declare (declared: {declared or 'none'})",
                            {"status": resp.status})]  # fmt: skip
        flow = channel.flows[key]
        out: list[Problem] = []
        for name, value in sorted(resp.headers.items()):
            if name.lower() == "content-type":
                continue
            slot = flow.params.get(f"header:{name.lower()}")
            if slot is None or not slot.required:
                said = "does not declare" if slot is None else "does not require"
                out.append(Problem("pact-response-mismatch", pointer_join(flow.location, "headers"),
                                   f"the consumer expects the response header {name}, which the {self.version} spec "
                                   f"{said}", {"status": resp.status, "headers": {}}))  # fmt: skip
                continue
            wanted = header_schema(interaction, name, value)
            if not _contained(slot.schema, wanted):
                out.append(Problem("pact-response-mismatch", pointer_join(flow.location, "headers"),
                                   f"the response header {name} the {self.version} spec allows may not match what "
                                   f"the consumer expects ({value!r})"))  # fmt: skip
        if resp.body is NO_BODY:
            return out
        if not flow.bodies:
            out.append(Problem("pact-response-mismatch", flow.location, f"the consumer expects a body with status "
                               f"{resp.status}; the {self.version} spec declares none", {"status": resp.status}))  # fmt: skip
            return out
        ctype = resp.content_type or "application/json"
        media = match_media(ctype, flow.bodies)
        if media is None:
            out.append(Problem("pact-response-mismatch", pointer_join(flow.location, "content"),
                               f"the consumer expects {ctype!r}; the {self.version} spec declares "
                               f"{', '.join(sorted(flow.bodies))}", {"status": resp.status}))  # fmt: skip
            return out
        writer = self.views(flow.bodies[media].schema, "response")
        reader = expectation_schema(interaction)
        where = pointer_join(pointer_join(pointer_join(flow.location, "content"), media), "schema")
        found = self.body_problem(writer, reader, resp.status, media, where, interaction)
        if found is not None:
            out.append(found)
        return out

    def body_problem(self, writer: Any, reader: Any, status: int, media: str, where: str,
                     interaction: Interaction) -> Problem | None:  # fmt: skip
        from pytest_cdcompat.kinds.schema.generate import accepts, embed, find_counterexample

        for path, declared in _read_but_optional(writer, reader, ()):
            value = embed(writer, list(path), missing=True, context="response")
            if value is NOTHING or not accepts(writer, value, "response") or accepts(reader, value, "response"):
                continue
            field = "/".join(str(p) for p in path)
            said = "may leave out" if declared else "does not declare (so a response may lack it)"
            return Problem("pact-response-mismatch", where, f"the consumer reads `{field}`, which the "
                           f"{self.version} spec {said}",
                           {"status": status, "content_type": media, "body": value})  # fmt: skip
        if self.examples <= 0:
            return None
        projected = project(writer, reader)
        verdict = contained(projected, reader)
        if verdict is True:  # decided without generating: every response satisfies it
            return None
        if verdict is False:  # a type the spec allows where the consumer expects another: build that response
            value = type_witness(projected, reader)
            if (
                value is not NOTHING
                and accepts(projected, value, "response")
                and not accepts(reader, value, "response")
            ):
                error = first_error(reader, value, "response") or "rejected"
                return Problem("pact-response-mismatch", where, f"a response the {self.version} spec allows does "
                               f"not satisfy the consumer: {error} (the counterexample shows the fields the consumer "
                               f"reads)", {"status": status, "content_type": media, "body": value})  # fmt: skip
        found = find_counterexample(projected, reader, examples=self.examples,
                                    seed=self.seed + interaction.index, strict=self.strict, context="response")  # fmt: skip
        if found is None:
            return None
        error = first_error(reader, found.value, "response") or "rejected"
        return Problem("pact-response-mismatch", where, f"a response the {self.version} spec allows does not "
                       f"satisfy the consumer: {error} (the counterexample shows the fields the consumer reads)",
                       {"status": status, "content_type": media, "body": found.value})  # fmt: skip


_OBJECT_KEYS = (
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "dependentRequired",
    "dependentSchemas",
    "propertyNames",
    "unevaluatedProperties",
    "minProperties",
    "maxProperties",
)
_ARRAY_KEYS = ("items", "prefixItems", "contains", "minContains", "maxContains", "uniqueItems", "unevaluatedItems")


def project(writer: Any, reader: Any) -> Any:
    """The writer's schema cut down to what the consumer reads.

    The consumer's expectations accept unknown properties, so whether a response satisfies them depends only on
    the parts they mention: below a place the consumer does not look into, an object or an array of the spec is
    replaced by an empty one of the same type. Driven by the (finite) reader, so it ends on recursive specs, and
    the generator then builds small responses instead of whole expandable documents.
    """
    if not isinstance(writer, dict) or not isinstance(reader, dict):
        return writer
    rprops = reader.get("properties") if isinstance(reader.get("properties"), dict) else None
    ritems = reader.get("items") if isinstance(reader.get("items"), dict) else None
    out: dict[str, Any] = {}
    for key, value in writer.items():
        if key in _OBJECT_KEYS or key in _ARRAY_KEYS:
            continue
        if key in ("anyOf", "oneOf", "allOf") and isinstance(value, list):
            out["anyOf" if key == "oneOf" else key] = [project(b, reader) for b in value]
        elif key == "not":
            continue
        else:
            out[key] = value
    if rprops is not None:
        found = writer.get("properties")
        wprops: dict[str, Any] = found if isinstance(found, dict) else {}
        out["properties"] = {k: project(wprops[k], r) for k, r in rprops.items() if k in wprops}
        out["required"] = [k for k in writer.get("required") or [] if k in rprops]
    for key in ("minItems", "maxItems"):
        if key in writer and key in reader:
            out[key] = writer[key]
    if ritems is not None and isinstance(writer.get("items"), dict):
        out["items"] = project(writer["items"], ritems)
    else:
        out.pop("minItems", None)
    return out


def _types_of(schema: Any) -> set[str] | None:
    """The JSON types a schema allows, when it says (``None``: cannot tell)."""
    if not isinstance(schema, dict):
        return None
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {str(t) for t in declared}
    branches = schema.get("anyOf") or schema.get("oneOf")
    if isinstance(branches, list) and branches:
        out: set[str] = set()
        for b in branches:
            t = _types_of(b)
            if t is None:
                return None
            out |= t
        return out
    return None


def _all(results: list[bool | None]) -> bool | None:
    if any(r is False for r in results):
        return False
    return None if any(r is None for r in results) else True


_READER_KEYS = frozenset({"type", "properties", "required", "items"})


def contained(writer: Any, reader: Any) -> bool | None:
    """Whether every value of ``writer`` satisfies ``reader`` (an expectation schema of types, required properties
    and items), decided on the schemas; ``None`` when it takes generated values to tell."""
    if reader is True or reader == {}:
        return True
    if not isinstance(writer, dict) or not isinstance(reader, dict) or set(reader) - _READER_KEYS:
        return None
    if "allOf" in writer or "not" in writer:
        return None
    branches = writer.get("anyOf") or writer.get("oneOf")
    if isinstance(branches, list) and branches and "type" not in writer:
        return _all([contained(b, reader) for b in branches])
    wtypes = _types_of(writer)
    if wtypes is None:
        return None
    results: list[bool | None] = []
    if "type" in reader:
        rtypes = _types_of(reader) or set()
        if "number" in rtypes:
            rtypes = rtypes | {"integer"}
        if not wtypes <= rtypes:
            return False
    rprops = reader.get("properties") or {}
    if rprops:
        wprops = writer.get("properties") or {}
        wrequired = set(writer.get("required") or [])
        for name, sub in rprops.items():
            if name not in wprops:
                results.append(False if name in (reader.get("required") or []) else True)
                continue
            if name in (reader.get("required") or []) and name not in wrequired:
                results.append(False)
                continue
            results.append(contained(wprops[name], sub))
    if "items" in reader:
        results.append(contained(writer["items"], reader["items"]) if "items" in writer else None)
    return _all(results)


def _bad_value(writer: Any, reader: Any) -> Any:
    """A minimal value of ``writer`` of a type ``reader`` does not accept (``NOTHING`` when there is none)."""
    from pytest_cdcompat.kinds.schema.generate import minimal_instance

    rtypes = _types_of(reader) or set()
    if "number" in rtypes:
        rtypes = rtypes | {"integer"}
    branches = writer.get("anyOf") or writer.get("oneOf")
    if isinstance(branches, list) and "type" not in writer:
        for b in branches:
            bt = _types_of(b)
            if bt is not None and not bt <= rtypes:
                return _bad_value(b, reader)
        return NOTHING
    for t in sorted((_types_of(writer) or set()) - rtypes):
        value = minimal_instance({**writer, "type": [t]}, context="response")
        if value is not NOTHING:
            return value
    return NOTHING


def type_witness(writer: Any, reader: Any, path: tuple[str | int, ...] = ()) -> Any:
    """A value of ``writer`` holding, at the first place ``contained`` rejects, a type the consumer does not expect."""
    from pytest_cdcompat.kinds.schema.generate import embed, minimal_instance

    def at(place: tuple[str | int, ...], value: Any) -> Any:
        return embed(writer, list(place), value, context="response") if place else value

    def walk(w: Any, r: Any, place: tuple[str | int, ...]) -> Any:
        if not isinstance(w, dict) or not isinstance(r, dict):
            return NOTHING
        rtypes = _types_of(r)
        wtypes = _types_of(w)
        if rtypes is not None and wtypes is not None:
            allowed = rtypes | ({"integer"} if "number" in rtypes else set())
            if not wtypes <= allowed:
                bad = _bad_value(w, r)
                return at(place, bad) if bad is not NOTHING else NOTHING
        for name, sub in (r.get("properties") or {}).items():
            wsub = (w.get("properties") or {}).get(name)
            if wsub is not None:
                found = walk(wsub, sub, (*place, name))
                if found is not NOTHING:
                    return found
        if isinstance(r.get("items"), dict) and isinstance(w.get("items"), dict):
            return walk(w["items"], r["items"], (*place, 0))
        return NOTHING

    found = walk(writer, reader, path)
    return found if found is not NOTHING else minimal_instance(writer, context="response")


def _contained(writer: Any, reader: Any) -> bool:
    """Whether the header's minimal spec value satisfies the consumer (a cheap containment check for headers)."""
    from pytest_cdcompat.kinds.schema.generate import accepts, minimal_instance

    value = minimal_instance(writer, context="response")
    return value is NOTHING or bool(accepts(reader, value, "response"))


def _read_but_optional(writer: Any, reader: Any, path: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...],
                                                                                              bool]]:  # fmt: skip
    """Paths of properties the consumer requires and the spec does not (with whether the spec declares them)."""
    if not isinstance(writer, dict) or not isinstance(reader, dict):
        return []
    out: list[tuple[tuple[str | int, ...], bool]] = []
    wprops = writer.get("properties") or {}
    wrequired = set(writer.get("required") or [])
    rprops = reader.get("properties") or {}
    for name in reader.get("required") or []:
        if name not in wrequired:
            out.append(((*path, name), name in wprops))
        elif name in wprops and name in rprops:
            out += _read_but_optional(wprops[name], rprops[name], (*path, name))
    if isinstance(writer.get("items"), dict) and isinstance(reader.get("items"), dict):
        out += _read_but_optional(writer["items"], reader["items"], (*path, 0))
    return out


@dataclass
class PactRun:
    findings: dict[Direction, list[Finding]]
    notes: list[str]
    uses: list[tuple[Pact, Interaction, str | None, str | None]]  # (pact, interaction, old op title, new op title)


def check_pacts(pacts: list[Pact], old: Contract, new: Contract, *, examples: int, seed: int,
                strict: bool = False) -> PactRun:  # fmt: skip
    """Every interaction of every Pact file against both spec versions."""
    from pytest_cdcompat.catalogue import by_id

    checkers = {
        Direction.NEW_CONSUMER_OLD_PRODUCER: Checker(old, "old", examples=examples, seed=seed, strict=strict),
        Direction.OLD_CONSUMER_NEW_PRODUCER: Checker(new, "new", examples=examples, seed=seed, strict=strict),
    }
    run = PactRun({d: [] for d in Direction}, [], [])
    for pact in pacts:
        run.notes += pact.notes
        for interaction in pact.interactions:
            check_supported(interaction, pact.path)
            results = {d: c.check(interaction) for d, c in checkers.items()}
            if all(ch is None for ch, _ in results.values()):
                req = interaction.request
                raise PactError(f"interaction {interaction.label}: {req.method} {req.path} matches no operation of "
                                f"the old or the new spec ({old.source}, {new.source})", path=pact.path,
                                pointer=f"/interactions/{interaction.index}/request")  # fmt: skip
            titles = {d: (ch.title if ch is not None else None) for d, (ch, _) in results.items()}
            run.uses.append((pact, interaction, titles[Direction.NEW_CONSUMER_OLD_PRODUCER],
                             titles[Direction.OLD_CONSUMER_NEW_PRODUCER]))  # fmt: skip
            for direction, (_, problems) in results.items():
                for p in problems:
                    _, rid = by_id(p.rule) or (None, None)
                    run.findings[direction].append(Finding(
                        p.rule, Severity.ERROR, p.where,
                        f"consumer {pact.consumer}, interaction {interaction.label}: {p.message}",
                        p.counterexample, rid.advice if rid is not None else "", engine="pact",
                    ))  # fmt: skip
        count = len(pact.interactions)
        run.notes.append(f"pact: {pact.consumer} ({count} interaction{'s' if count != 1 else ''}, Pact "
                         f"specification v{pact.version}, {pact.path}) checked against both versions")  # fmt: skip
    return run
