"""Pact files (specification v1.1, v2, v3 and v4, JSON) read into one model.

What differs between versions, and how it is read:

| | v1.1 / v2 | v3 | v4 |
|---|---|---|---|
| version | ``metadata.pactSpecification.version`` (or ``pact-specification``, ``pactSpecificationVersion``) | same | same |
| interactions | ``interactions`` | ``interactions`` | ``interactions`` with ``type: Synchronous/HTTP`` (message types are skipped, with a note) |
| provider state | ``providerState`` (one string) | ``providerStates: [{name, params}]`` | same |
| query | a string ``a=1&b=2`` | ``{name: [values]}`` | same |
| body | the JSON value | the JSON value | ``{content, contentType, encoded}`` |
| matching rules | flat: ``{"$.body.items": {"match": "type", "min": 1}}`` | by category: ``{"body": {"$.items": {"matchers": [...], "combine": "AND"}}}`` | same as v3 |

Matching-rule paths (``$.body.items[*].sku``, ``$['odd key']``, ``$.*``) become tuples of keys, indexes and ``*``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from pytest_cdcompat.pact import PactError

NO_BODY: Any = object()
KNOWN_VERSIONS = ("1", "2", "3", "4")
Step = str | int  # a key, an index, or "*"


@dataclass(frozen=True)
class Matcher:
    match: str  # type, regex, include, equality, integer, decimal, number, boolean, null, date, min, max, ...
    params: dict[str, Any]


@dataclass(frozen=True)
class RuleSet:
    """The matchers at one path, combined with AND (default) or OR."""

    path: tuple[Step, ...]
    matchers: tuple[Matcher, ...]
    combine: str = "AND"


@dataclass(frozen=True)
class Part:
    """A request or a response of an interaction."""

    headers: dict[str, str]
    body: Any  # NO_BODY when absent
    content_type: str | None
    rules: dict[str, tuple[RuleSet, ...]]  # category ("body", "header", "query", "path") -> rules


@dataclass(frozen=True)
class Request(Part):
    method: str = "GET"
    path: str = "/"
    query: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Response(Part):
    status: int = 200


@dataclass(frozen=True)
class Interaction:
    index: int
    description: str
    states: tuple[str, ...]
    request: Request
    response: Response

    @property
    def label(self) -> str:
        given = f" (given {', '.join(repr(s) for s in self.states)})" if self.states else ""
        return f"{self.description!r}{given}"


@dataclass(frozen=True)
class Pact:
    path: str
    consumer: str
    provider: str
    version: str  # "2", "3", "4" (major)
    interactions: tuple[Interaction, ...]
    provider_spec: str | None = None  # from the file's "x-cd-compat": {"provider": ...}
    notes: tuple[str, ...] = ()


def load_pact(path: str | Path) -> Pact:
    from pytest_cdcompat.core.errors import CdcompatError
    from pytest_cdcompat.sources.confine import MissingFile
    from pytest_cdcompat.sources.source import file_source

    label = str(path)
    try:  # the same confinement as contracts (sources/confine.py): inside the repository, a regular file
        text = file_source(Path(path), what="Pact file").read_main().decode("utf-8")
    except MissingFile:
        raise PactError("Pact file not found", path=label) from None
    except CdcompatError as e:
        raise PactError(e.message, path=label) from None
    except UnicodeDecodeError as e:
        raise PactError(f"cannot read the Pact file: {e}", path=label) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise PactError(f"not JSON: {e.msg}", path=label, line=e.lineno, column=e.colno) from None
    return parse_pact(doc, label)


def is_pact(doc: Any) -> bool:
    return (
        isinstance(doc, dict)
        and "consumer" in doc
        and "provider" in doc
        and ("interactions" in doc or "messages" in doc)
    )


def _version(doc: dict[str, Any], label: str) -> str:
    meta = doc.get("metadata")
    raw: Any = None
    if isinstance(meta, dict):
        for key in ("pactSpecification", "pact-specification"):
            spec = meta.get(key)
            if isinstance(spec, dict) and "version" in spec:
                raw = spec["version"]
                break
        else:
            raw = meta.get("pactSpecificationVersion")
    if raw is None:
        raise PactError("no Pact specification version (metadata.pactSpecification.version)", path=label,
                        pointer="/metadata")  # fmt: skip
    major = str(raw).strip().lstrip("vV").split(".", 1)[0]
    if major not in KNOWN_VERSIONS:
        raise PactError(f"Pact specification version {raw!r} is not one we know (1.1, 2, 3 and 4 are)", path=label,
                        pointer="/metadata/pactSpecification/version")  # fmt: skip
    return "2" if major == "1" else major


def _name(doc: dict[str, Any], key: str, label: str) -> str:
    party = doc.get(key)
    name = party.get("name") if isinstance(party, dict) else None
    if not isinstance(name, str) or not name:
        raise PactError(f"'{key}' must be an object with a name", path=label, pointer=f"/{key}")
    return name


def parse_pact(doc: Any, label: str) -> Pact:
    if not isinstance(doc, dict) or not is_pact(doc):
        raise PactError("not a Pact file: expected an object with 'consumer', 'provider' and 'interactions'",
                        path=label)  # fmt: skip
    version = _version(doc, label)
    consumer, provider = _name(doc, "consumer", label), _name(doc, "provider", label)
    ext = doc.get("x-cd-compat")
    provider_spec = ext.get("provider") if isinstance(ext, dict) and isinstance(ext.get("provider"), str) else None
    raw = doc.get("interactions", [])
    if not isinstance(raw, list):
        raise PactError("'interactions' must be a list", path=label, pointer="/interactions")
    out: list[Interaction] = []
    notes: list[str] = []
    for i, item in enumerate(raw):
        where = f"/interactions/{i}"
        if not isinstance(item, dict):
            raise PactError("an interaction must be an object", path=label, pointer=where)
        kind = item.get("type", "Synchronous/HTTP") if version == "4" else "Synchronous/HTTP"
        if kind != "Synchronous/HTTP":
            notes.append(f"{label}: interaction {item.get('description')!r} is a {kind} interaction: not checked "
                         f"against an OpenAPI document")  # fmt: skip
            continue
        out.append(_interaction(item, i, version, label, where))
    return Pact(label, consumer, provider, version, tuple(out), provider_spec, tuple(notes))


def _states(item: dict[str, Any]) -> tuple[str, ...]:
    if isinstance(item.get("providerState"), str):
        return (item["providerState"],)
    states = item.get("providerStates")
    if isinstance(states, list):
        return tuple(str(s.get("name")) for s in states if isinstance(s, dict) and s.get("name"))
    return ()


def _interaction(item: dict[str, Any], index: int, version: str, label: str, where: str) -> Interaction:
    description = item.get("description")
    if not isinstance(description, str):
        raise PactError("an interaction needs a 'description'", path=label, pointer=where)
    req, resp = item.get("request"), item.get("response")
    if not isinstance(req, dict) or not isinstance(resp, dict):
        raise PactError("an interaction needs a 'request' and a 'response' object", path=label, pointer=where)
    method = req.get("method")
    path = req.get("path")
    if not isinstance(method, str) or not isinstance(path, str):
        raise PactError("the request needs a 'method' and a 'path'", path=label, pointer=f"{where}/request")
    status = resp.get("status")
    if not isinstance(status, int):
        raise PactError("the response needs an integer 'status'", path=label, pointer=f"{where}/response")
    rq_headers, rq_body, rq_type = _part(req, version)
    rs_headers, rs_body, rs_type = _part(resp, version)
    return Interaction(
        index,
        description,
        _states(item),
        Request(rq_headers, rq_body, rq_type, _rules(req, version, label, f"{where}/request"), method.upper(), path,
                _query(req.get("query"), label, f"{where}/request/query")),
        Response(rs_headers, rs_body, rs_type, _rules(resp, version, label, f"{where}/response"), status),
    )  # fmt: skip


def _headers(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        return {}
    return {str(k): ", ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in raw.items()}


def _part(part: dict[str, Any], version: str) -> tuple[dict[str, str], Any, str | None]:
    headers = _headers(part.get("headers"))
    ctype = next((v for k, v in headers.items() if k.lower() == "content-type"), None)
    if "body" not in part:
        return headers, NO_BODY, ctype
    body = part["body"]
    if version == "4" and isinstance(body, dict) and "content" in body:
        ctype = body.get("contentType") or ctype
        content = body["content"]
        if body.get("encoded") not in (None, False) or (isinstance(content, str) and ctype and "json" in ctype):
            try:
                content = json.loads(content) if isinstance(content, str) else content
            except ValueError:
                pass
        return headers, content, ctype
    return headers, body, ctype or ("application/json" if isinstance(body, (dict, list)) else None)


def _query(raw: Any, label: str, where: str) -> dict[str, list[str]]:
    if raw is None:
        return {}
    if isinstance(raw, str):
        return {k: list(v) for k, v in parse_qs(raw, keep_blank_values=True).items()}
    if isinstance(raw, dict):
        return {str(k): [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in raw.items()}
    raise PactError("'query' must be a string or an object", path=label, pointer=where)


_STEP = re.compile(r"""\.(\*|[^.\[\]]+)|\[(\*|\d+)\]|\[['"]([^'"]*)['"]\]""")


def parse_path(text: str, label: str, where: str) -> tuple[Step, ...]:
    """``$.a.b[0].c[*]`` -> ``("a", "b", 0, "c", "*")``."""
    if not text.startswith("$"):
        raise PactError(f"matching rule path {text!r} does not start with '$'", path=label, pointer=where)
    out: list[Step] = []
    pos = 1
    while pos < len(text):
        m = _STEP.match(text, pos)
        if m is None:
            raise PactError(f"cannot read the matching rule path {text!r} at {text[pos:]!r}", path=label,
                            pointer=where)  # fmt: skip
        key, index, quoted = m.groups()
        if index is not None:
            out.append("*" if index == "*" else int(index))
        else:
            out.append(key if key is not None else quoted)
        pos = m.end()
    return tuple(out)


def _matchers(spec: Any, label: str, where: str) -> tuple[tuple[Matcher, ...], str]:
    if not isinstance(spec, dict):
        raise PactError("a matching rule must be an object", path=label, pointer=where)
    if "matchers" in spec:
        raw = spec["matchers"]
        combine = str(spec.get("combine", "AND")).upper()
    else:
        raw, combine = [spec], "AND"
    out = []
    for m in raw if isinstance(raw, list) else []:
        if not isinstance(m, dict):
            raise PactError("a matcher must be an object", path=label, pointer=where)
        match = m.get("match")
        if match is None:  # v2 {"min": 1} alone means a type match with a minimum
            match = "type" if ("min" in m or "max" in m) else "regex" if "regex" in m else None
        if not isinstance(match, str):
            raise PactError(f"a matcher without 'match': {json.dumps(m)}", path=label, pointer=where)
        out.append(Matcher(match, {k: v for k, v in m.items() if k != "match"}))
    return tuple(out), combine


def _rules(part: dict[str, Any], version: str, label: str, where: str) -> dict[str, tuple[RuleSet, ...]]:
    raw = part.get("matchingRules")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise PactError("'matchingRules' must be an object", path=label, pointer=f"{where}/matchingRules")
    out: dict[str, list[RuleSet]] = {}
    if version == "2":
        for text, spec in raw.items():
            path = parse_path(text, label, f"{where}/matchingRules")
            if not path:
                continue
            category, rest = str(path[0]), path[1:]
            category = {"headers": "header"}.get(category, category)
            if category == "header" and rest:
                rest = (str(rest[0]).lower(), *rest[1:])
            matchers, combine = _matchers(spec, label, f"{where}/matchingRules")
            out.setdefault(category, []).append(RuleSet(rest, matchers, combine))
        return {k: tuple(v) for k, v in out.items()}
    for category, entries in raw.items():
        here = f"{where}/matchingRules/{category}"
        if category in ("path", "status") and isinstance(entries, dict) and "matchers" in entries:
            matchers, combine = _matchers(entries, label, here)
            out.setdefault(category, []).append(RuleSet((), matchers, combine))
            continue
        if not isinstance(entries, dict):
            raise PactError("matching rules of a category must be an object", path=label, pointer=here)
        for text, spec in entries.items():
            if category == "body":
                path = parse_path(text, label, here)
            elif category == "header":
                path = (text.lower(),)
            else:
                path = (text,)
            matchers, combine = _matchers(spec, label, here)
            out.setdefault(category, []).append(RuleSet(path, matchers, combine))
    return {k: tuple(v) for k, v in out.items()}
