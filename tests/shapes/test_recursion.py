"""Recursion through ``$ref`` that never reaches a property or an item, in every in-place keyword.

``{"anyOf": [{"$ref": "#"}, S]}`` is legal and means ``S`` (a value matches the recursive branch only by matching
another); a cycle through ``not``, ``oneOf`` or ``allOf`` has no meaning and is one clear error naming the file
and the place (``kinds/schema/recursion.py``). These pin the verdicts in both directions around such schemas.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pytest_cdcompat import compare
from pytest_cdcompat.core.errors import ContractLoadError

D2020 = "https://json-schema.org/draft/2020-12/schema"
OCNP, NCOP = "old_consumer_new_producer", "new_consumer_old_producer"


def write(tmp_path, name, schema):
    path = tmp_path / name
    path.write_text(json.dumps(schema))
    return path


def findings(report):
    return {d.value: [(f.rule, f.severity.value, f.location) for f in r.findings] for d, r in report.directions.items()}


def test_a_union_with_itself_means_its_other_branches(tmp_path):
    old = write(tmp_path, "old.json", {"$schema": D2020, "anyOf": [{"$ref": "#"}, {"type": "string"}]})
    new = write(tmp_path, "new.json", {"$schema": D2020, "type": "string"})
    for a, b in ((old, new), (new, old)):
        report = compare(a, b, examples=20, seed=1)
        assert findings(report) == {OCNP: [], NCOP: []}


def test_a_change_beside_a_recursive_branch_is_found_in_the_right_direction(tmp_path):
    old = write(tmp_path, "old.json", {"$schema": D2020, "anyOf": [{"$ref": "#"}, {"type": "string"}]})
    new = write(tmp_path, "new.json", {"$schema": D2020, "anyOf": [{"$ref": "#"}, {"type": "string", "maxLength": 3}]})
    report = compare(old, new, examples=20, seed=1)
    got = findings(report)
    assert got[OCNP] == []
    assert [(rule, sev) for rule, sev, _ in got[NCOP]] == [("max-length-decreased", "error")]
    (finding,) = report.directions[next(d for d in report.directions if d.value == NCOP)].findings
    assert finding.location.endswith("/maxLength") and "maxLength changed from none to 3" in finding.message
    assert isinstance(finding.counterexample, str) and len(finding.counterexample) > 3


def test_mutual_recursion_through_unions(tmp_path):
    def doc(other):
        return {
            "$defs": {
                "a": {"anyOf": [{"$ref": "#/$defs/b"}, {"type": "string"}]},
                "b": {"anyOf": [{"$ref": "#/$defs/a"}, {"type": other}]},
            },
            "type": "object",
            "properties": {"x": {"$ref": "#/$defs/a"}},
        }

    same = compare(write(tmp_path, "a.json", doc("integer")), write(tmp_path, "b.json", doc("integer")), examples=0)
    assert findings(same) == {OCNP: [], NCOP: []}
    report = compare(write(tmp_path, "c.json", doc("integer")), write(tmp_path, "d.json", doc("boolean")), seed=1)
    by_direction = {d.value: r for d, r in report.directions.items()}
    added = [f for f in by_direction[OCNP].findings if f.rule == "variant-added"]
    removed = [f for f in by_direction[NCOP].findings if f.rule == "variant-removed"]
    assert added and added[0].counterexample == {"x": False}
    assert removed and removed[0].counterexample == {"x": 0}


@pytest.mark.parametrize(
    ("schema", "keyword", "pointer"),
    [
        ({"$schema": D2020, "not": {"$ref": "#"}}, "through not", "at /:"),
        ({"$schema": D2020, "oneOf": [{"$ref": "#"}, {"type": "string"}]}, "through oneOf", "at /:"),
        (
            {
                "$defs": {
                    "a": {"allOf": [{"$ref": "#/$defs/b"}], "type": "object"},
                    "b": {"allOf": [{"$ref": "#/$defs/a"}], "required": ["x"]},
                },
                "$ref": "#/$defs/a",
            },
            "through allOf",
            "at /$defs/",
        ),
        (
            {"type": "object", "properties": {"p": {"if": {"$ref": "#/properties/p"}, "then": {"type": "string"}}}},
            "through if",
            "at /properties/p:",
        ),
    ],
)
def test_recursion_without_meaning_is_one_clear_error(tmp_path, schema, keyword, pointer):
    bad = write(tmp_path, "bad.json", schema)
    good = write(tmp_path, "good.json", {"type": "string"})
    with pytest.raises(ContractLoadError) as info:
        compare(bad, good, examples=0)
    text = str(info.value)
    assert text.startswith(str(bad)) and pointer in text and keyword in text and "meaning" in text


def test_unions_of_each_other_with_other_keywords_are_refused_clearly(tmp_path):
    schema = {
        "$defs": {
            "a": {"anyOf": [{"$ref": "#/$defs/b"}, {"type": "string"}], "minLength": 1},
            "b": {"anyOf": [{"$ref": "#/$defs/a"}, {"type": "integer"}], "minimum": 0},
        },
        "$ref": "#/$defs/a",
    }
    bad = write(tmp_path, "bad.json", schema)
    with pytest.raises(ContractLoadError, match=r"through anyOf .*no single meaning"):
        compare(bad, bad, examples=0)


def test_the_cli_exits_2_with_one_line(tmp_path):
    bad = write(tmp_path, "bad.json", {"$schema": D2020, "not": {"$ref": "#"}})
    code = "import sys; from pytest_cdcompat.cli import main; sys.exit(main())"
    done = subprocess.run(
        [sys.executable, "-c", code, "compare", "--examples", "0", str(bad), str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "has no meaning" in done.stderr


def _shared_component_contract(slots: int, depth: int, cycle: bool = False):
    """``slots`` slots reaching one shared chain of ``depth`` allOf/anyOf nodes (a cycle at its end if asked)."""
    from pytest_cdcompat.core.model import Channel, Contract, Flow, Party, Slot

    tail: dict = {"type": "string", "x-cdc-loc": f"/components/schemas/C{depth}"}
    chain = [tail]
    for i in range(depth - 1, -1, -1):
        chain.append({"anyOf": [chain[-1], {"type": "integer"}], "x-cdc-loc": f"/components/schemas/C{i}"})
    head = chain[-1]
    if cycle:
        tail["not"] = head
    channels = {}
    for n in range(slots):
        schema = {"allOf": [head], "x-cdc-loc": f"/op{n}"}
        body = Slot(name="application/json", required=True, schema=schema, location=f"/op{n}")
        flow = Flow(name="request", written_by=Party.CONSUMER, location=f"/op{n}", bodies={"application/json": body})
        channels[f"OP {n}"] = Channel(key=f"OP {n}", title=f"OP {n}", location=f"/op{n}", flows={"request": flow})
    return Contract(kind="openapi", source="big.json", channels=channels, version="3.0.0")


def test_a_component_shared_by_many_slots_is_checked_once(monkeypatch):
    from pytest_cdcompat.kinds.schema import recursion

    calls = 0
    edges = recursion._same_value_edges

    def counting(node):
        nonlocal calls
        calls += 1
        return edges(node)

    monkeypatch.setattr(recursion, "_same_value_edges", counting)
    recursion.check_contract(_shared_component_contract(slots=200, depth=50))
    # each node's edges are listed a bounded number of times, however many slots reach it (not 200 x 50)
    assert calls < 4 * (200 + 50)


def test_a_cycle_in_a_shared_component_is_refused_whichever_slot_reaches_it():
    from pytest_cdcompat.kinds.schema import recursion

    with pytest.raises(ContractLoadError) as info:
        recursion.check_contract(_shared_component_contract(slots=30, depth=5, cycle=True))
    assert "'not' of itself has no meaning" in str(info.value)
    assert "big.json" in str(info.value) and "/components/schemas/C0" in str(info.value)
