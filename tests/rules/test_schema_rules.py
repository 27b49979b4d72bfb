"""Fixture pairs per schema rule id, run with only that rule (as buf and oasdiff test their rules).

``tests/rules/schema/<rule-id>/breaking/{old,new}.*`` must make the rule fire, as an error with a counterexample,
in exactly the directions ``expected.json`` lists; ``safe/{old,new}.*`` is a similar change that must not make it
fire at all. Further cases sit beside them as ``breaking-<what>/`` and ``safe-<what>/``. For JSON Schema fixtures
the counterexample is re-checked against the raw fixture documents with jsonschema: the writer's version accepts
it and the reader's version rejects it; every error's location must name a place in one of the two documents, and
an HTTP counterexample must carry a concrete status code.

``expected.json`` also pins, for every direction it fires in, ``"locations": {direction: [pointer, ...]}`` (exactly
where the findings are) and ``"messages": {direction: [fragment, ...]}`` (each found in one of their messages). A case
whose ``expected.json`` holds ``"xfail": "<reason>"`` shows a known bug outside the rule (in the engine): it
is an expected failure, strict, so the case fails as soon as the bug is fixed and the mark must go.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from pytest_cdcompat import Direction, compare

HERE = Path(__file__).parent / "schema"


def _cases(prefix: str) -> list[object]:
    out: list[object] = []
    for rule_dir in sorted(p for p in HERE.iterdir() if p.is_dir()) if HERE.exists() else []:
        for case in sorted(p for p in rule_dir.iterdir() if p.is_dir() and p.name.split("-", 1)[0] == prefix):
            expected = case / "expected.json"
            reason = json.loads(expected.read_text()).get("xfail") if expected.exists() else None
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            out.append(pytest.param(rule_dir.name, case, id=f"{rule_dir.name}/{case.name}", marks=marks))
    return out


def _pair(case: Path) -> tuple[Path, Path]:
    old = next(p for p in case.iterdir() if p.stem == "old")
    new = next(p for p in case.iterdir() if p.stem == "new")
    return old, new


def _raw(path: Path) -> object:
    return yaml.safe_load(path.read_text()) if path.suffix in (".yaml", ".yml") else json.loads(path.read_text())


def _resolves(doc: object, pointer: str) -> bool:
    """Whether an RFC 6901 pointer names a place in ``doc``, following local ``$ref``s on the way (a finding in a
    schema an operation references is reported at the operation's use of it)."""
    cur = doc
    for raw in pointer.split("/")[1:] if pointer else []:
        token = raw.replace("~1", "/").replace("~0", "~")
        for _ in range(10):
            if isinstance(cur, dict) and token not in cur and isinstance(cur.get("$ref"), str):
                cur = _resolves_ref(doc, cur["$ref"])
            else:
                break
        if isinstance(cur, dict) and token in cur:
            cur = cur[token]
        elif isinstance(cur, list) and token.isdigit() and int(token) < len(cur):
            cur = cur[int(token)]
        else:
            return False
    return True


def _resolves_ref(doc: object, ref: str) -> object:
    cur = doc
    for raw in ref.partition("#")[2].split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        cur = cur.get(token) if isinstance(cur, dict) else None
    return cur


def _writer_is_old(direction: Direction, kind: str) -> bool:
    # JSON Schema documents are messages written by the producer
    return direction is Direction.NEW_CONSUMER_OLD_PRODUCER


@pytest.mark.parametrize(("rule_id", "case"), _cases("breaking"))
def test_breaking_pair_fires_in_expected_directions(rule_id: str, case: Path) -> None:
    old, new = _pair(case)
    expected = json.loads((case / "expected.json").read_text())
    report = compare(old, new, only=frozenset({rule_id}), examples=30, seed=1)
    for direction in Direction:
        hits = [f for f in report.directions[direction].findings if f.rule == rule_id]
        want = expected.get(direction.value, False)
        if not want:
            assert not hits, f"{rule_id} fired in {direction.value}: {hits}"
            continue
        assert hits, f"{rule_id} did not fire in {direction.value}"
        # every firing direction pins where the findings are and a fragment of each message
        where = expected["locations"][direction.value]
        assert {f.location for f in hits} == set(where), f"{rule_id} fired at {[f.location for f in hits]}"
        for fragment in expected["messages"][direction.value]:
            assert any(fragment in f.message for f in hits), f"no message contains {fragment!r}: {hits}"
        severity = expected.get("severity", "error")
        assert all(f.severity.value == severity for f in hits), hits
        if severity != "error":
            continue
        assert not report.directions[direction].compatible
        for f in hits:
            assert f.counterexample is not None or f.rule in expected.get("no_counterexample", []), f
            assert f.advice and f.location is not None
            assert _resolves(_raw(new), f.location) or _resolves(_raw(old), f.location), (
                f"{f.location} names no place in either document"
            )
            if report.kind == "openapi" and isinstance(f.counterexample, dict) and "status" in f.counterexample:
                assert str(f.counterexample["status"]).isdigit(), f"not a status code: {f.counterexample}"
            if report.kind == "jsonschema":
                writer, reader = (old, new) if _writer_is_old(direction, report.kind) else (new, old)
                fc = jsonschema.FormatChecker()
                assert jsonschema.validators.validator_for(_raw(writer))(_raw(writer), format_checker=fc).is_valid(
                    f.counterexample
                ), f"writer rejects the counterexample {f.counterexample!r}"
                assert not jsonschema.validators.validator_for(_raw(reader))(
                    _raw(reader), format_checker=fc
                ).is_valid(f.counterexample), f"reader accepts the counterexample {f.counterexample!r}"


@pytest.mark.parametrize(("rule_id", "case"), _cases("safe"))
def test_safe_pair_does_not_fire(rule_id: str, case: Path) -> None:
    old, new = _pair(case)
    report = compare(old, new, only=frozenset({rule_id}), examples=30, seed=1)
    for direction in Direction:
        hits = [f for f in report.directions[direction].findings if f.rule == rule_id]
        assert not hits, f"{rule_id} fired on the safe pair in {direction.value}: {hits}"
