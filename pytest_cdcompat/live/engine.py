"""The live check: generate what one version's clients send, send it to the other version's server, judge the
answers with the clients' specification, and merge the findings into the static report.

Per deploy direction (``core/directions.py`` semantics, seen from the running services):

| direction | requests from | sent to | responses judged by |
|---|---|---|---|
| ``old_consumer_new_producer`` | OLD spec | NEW server | OLD spec |
| ``new_consumer_old_producer`` | NEW spec | OLD server | NEW spec |

Each operation is a hypothesis search (``examples`` requests, seeded): a response the reader's spec rejects raises
inside the test body, hypothesis shrinks the request (replaying smaller ones) and the minimal failing request is
reported with its response and a ``curl`` line. The search then repeats with that rule id set aside, so one
operation can show a server error and a rejected body. A request that cannot be sent (connection refused, a
redirect to another host, a response over the size limit) ends the run with one ``LiveError``.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from pytest_cdcompat.core.findings import Direction, DirectionResult, Finding, Report, Severity
from pytest_cdcompat.core.model import Channel, Contract
from pytest_cdcompat.live import DEFAULT_LIVE_EXAMPLES, DEFAULT_TIME_LIMIT, LiveError
from pytest_cdcompat.live.check import Problem, check_response, header
from pytest_cdcompat.live.client import DEFAULT_MAX_BYTES, DEFAULT_RATE, DEFAULT_TIMEOUT, Client, Sent
from pytest_cdcompat.live.requests_gen import SAFE_METHODS, Request, request_strategy, template_of
from pytest_cdcompat.live.targets import Target, curl, redact

MAX_ROUNDS = 3  # distinct rule ids searched per operation and direction
BEHAVIOUR_CHANGED = "the spec did not change here: the behaviour did"
_SHOWN_BODY = 2000
_VAR = re.compile(r"\{[^}]*\}")


@dataclass(frozen=True)
class LiveSettings:
    """Limits and inputs of one live run; every limit has a default."""

    examples: int = DEFAULT_LIVE_EXAMPLES  # requests per operation and direction (before shrinking)
    time_limit: float = DEFAULT_TIME_LIMIT  # seconds for the whole run; later operations are skipped, and noted
    rate: float = DEFAULT_RATE  # requests per second per server
    max_bytes: int = DEFAULT_MAX_BYTES  # largest response body read
    timeout: float = DEFAULT_TIMEOUT  # seconds per request
    unsafe: bool = False  # also POST, PUT, PATCH, DELETE
    headers: Mapping[str, str] = field(default_factory=dict)  # added to every request, never shown
    allowed_hosts: frozenset[str] = frozenset()
    seed: int = 0


@dataclass
class Stats:
    requests: int = 0
    operations: int = 0
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    out_of_time: bool = False


class _Found(Exception):
    def __init__(self, request: Request, sent: Sent, problems: list[Problem]) -> None:
        super().__init__("the response is rejected")
        self.request, self.sent, self.problems = request, sent, problems


def _operations(contract: Contract, unsafe: bool) -> list[Channel]:
    out = []
    for channel in contract.channels.values():
        found = template_of(channel)
        if found is not None and (unsafe or found[0] in SAFE_METHODS):
            out.append(channel)
    return sorted(out, key=lambda c: c.title)


def run_direction(
    requester: Contract, client: Client, settings: LiveSettings, stats: Stats, deadline: float, label: str
) -> list[Finding]:
    """Findings of ``requester``'s clients against the server behind ``client``."""
    from pytest_cdcompat.catalogue import by_id

    findings: list[Finding] = []
    for channel in _operations(requester, settings.unsafe):
        strategy = request_strategy(channel, skip_headers=settings.headers)
        if strategy is None:
            stats.skipped.append(f"{channel.title} ({requester.source}): no request can be generated")
            continue
        stats.operations += 1
        exclude: set[str] = set()
        for round_ in range(MAX_ROUNDS):
            if time.monotonic() > deadline:
                stats.out_of_time = True
                break
            seed = settings.seed + round_ + sum(map(ord, channel.key))
            found = _search(channel, strategy, client, settings, seed, exclude, deadline, stats)
            if found is None:
                break
            rules = {p.rule for p in found.problems}
            for problem in found.problems:
                _, rid = by_id(problem.rule) or (None, None)
                advice = rid.advice if rid is not None else ""
                findings.append(Finding(problem.rule, problem.severity, problem.where,
                                        f"{label} {channel.title}: {problem.message}",
                                        _counterexample(found.request, found.sent, settings), advice,
                                        engine="live"))  # fmt: skip
            exclude |= rules
    return findings


def _search(
    channel: Channel,
    strategy: Any,
    client: Client,
    settings: LiveSettings,
    seed: int,
    exclude: set[str],
    deadline: float,
    stats: Stats,
) -> _Found | None:
    """Send generated requests until a response is rejected, through the one hypothesis driver
    (``proving.driver.search_failing``): hypothesis shrinks the request and replays the smallest one last, so the
    last answer recorded is the one to report."""
    from pytest_cdcompat.proving.driver import NONE, search_failing

    failure: list[LiveError] = []
    answers: list[_Found] = []

    def rejected(request: Request) -> bool:
        if failure or time.monotonic() > deadline:
            return False
        try:
            sent = client.send(request.method, request.url(client.target.base_url),
                               {**request.header_lines(), **settings.headers}, request.payload())  # fmt: skip
        except LiveError as e:
            failure.append(e)
            return False
        stats.requests += 1
        problems = [p for p in check_response(channel, request.method, sent.status, sent.response_headers,
                                              sent.response_body) if p.rule not in exclude]  # fmt: skip
        if problems:
            answers.append(_Found(request, sent, problems))
        return bool(problems)

    try:
        found = search_failing(strategy, rejected, examples=max(1, settings.examples), seed=seed)
    finally:
        if time.monotonic() > deadline:
            stats.out_of_time = True
    if failure:
        raise failure[0]
    if found is NONE or not answers:
        return None
    # the answer to the request hypothesis returned (the server may answer a replay differently: keep one answer)
    return next((a for a in reversed(answers) if a.request is found), answers[-1])


def _shown_body(sent: Sent) -> Any:
    ctype = (header(sent.response_headers, "content-type") or "").split(";", 1)[0].strip().lower()
    if ctype == "application/json" or ctype.endswith("+json"):
        try:
            return json.loads(sent.response_body)
        except ValueError:
            pass
    text = sent.response_body.decode("utf-8", "replace")
    return text if len(text) <= _SHOWN_BODY else text[:_SHOWN_BODY] + f"... ({len(sent.response_body)} bytes)"


def _counterexample(request: Request, sent: Sent, settings: LiveSettings) -> dict[str, Any]:
    secret = set(settings.headers)
    shown_headers = redact(sent.headers, secret)
    req: dict[str, Any] = {"method": sent.method, "url": sent.url}
    if shown_headers:
        req["headers"] = shown_headers
    if request.has_body:
        req["content_type"], req["body"] = request.content_type, request.body
    kept = {k: v for k, v in sent.response_headers.items() if k.lower() not in ("date", "server", "connection")}
    return {
        "request": req,
        "response": {"status": sent.status, "headers": redact(kept), "body": _shown_body(sent)},
        "replay": curl(sent.method, sent.url, shown_headers, sent.body),
    }


def _channel_key(location: str) -> str:
    from pytest_cdcompat.report.groups import channel_of

    return _VAR.sub("{}", channel_of(location))


def merge(static: Report, live: dict[Direction, list[Finding]], notes: list[str]) -> Report:
    """One report: the static findings and the live ones; a live finding no static finding of its direction and
    operation predicted says that the behaviour changed, not the specification."""
    directions: dict[Direction, DirectionResult] = {}
    for d in Direction:
        have = static.directions[d].findings
        predicted = {_channel_key(f.location) for f in have if f.severity is Severity.ERROR}
        marked = [
            f if _channel_key(f.location) in predicted else replace(f, message=f"{f.message} ({BEHAVIOUR_CHANGED})")
            for f in live.get(d, [])
        ]
        directions[d] = DirectionResult(d, tuple(sorted([*have, *marked], key=Finding.sort_key)))
    return replace(static, directions=directions, notes=(*static.notes, *notes))


def load_openapi(spec: str, settings: Any) -> Contract:
    from pytest_cdcompat.kinds import detect_kind, load, open_source

    source = open_source(spec, settings)
    kind = detect_kind(source)
    if kind != "openapi":
        raise LiveError(f"{spec}: live checks need an OpenAPI document, this is a {kind} contract")
    return load(source, kind, settings)


def live_check(
    old_spec: str,
    new_spec: str,
    old_url: str,
    new_url: str,
    live: LiveSettings,
    static: Report,
    settings: Any,
) -> Report:
    """``static`` (the compare report of the two specs) with the findings of both live directions merged in."""
    old_contract = load_openapi(old_spec, settings)
    new_contract = load_openapi(new_spec, settings)
    started = time.monotonic()
    deadline = started + live.time_limit
    stats = Stats()
    plan = {
        Direction.OLD_CONSUMER_NEW_PRODUCER: (old_contract, Target("new", new_url), "old clients'"),
        Direction.NEW_CONSUMER_OLD_PRODUCER: (new_contract, Target("old", old_url), "new clients'"),
    }
    found: dict[Direction, list[Finding]] = {}
    for direction, (contract, target, label) in plan.items():
        client = Client(target, allowed_hosts=live.allowed_hosts, max_bytes=live.max_bytes, timeout=live.timeout,
                        rate=live.rate)  # fmt: skip
        try:
            found[direction] = run_direction(contract, client, live, stats, deadline, label)
        finally:
            client.close()
    stats.seconds = time.monotonic() - started
    notes = [
        f"live: {stats.requests} requests in {stats.seconds:.1f} s to the old server ({old_url}) and the new "
        f"server ({new_url}), {live.examples} examples per operation, seed {live.seed}"
        + ("" if live.unsafe else "; safe methods only (--live-unsafe sends the others)")
    ]
    notes += [f"live: skipped {s}" for s in stats.skipped]
    if stats.out_of_time:
        notes.append(f"live: the time limit of {live.time_limit:g} s was reached; later requests were not sent")
    return merge(static, found, notes)
