"""The two engines agree: what the generator finds and no rule explains is reported, never hidden."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from pytest_cdcompat import Direction, compare


def _write(tmp_path: Path, name: str, schema: dict) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}))
    return path


def test_generator_reports_a_break_no_rule_explains(tmp_path: Path) -> None:
    # the new reader's anyOf leaves a gap (1..999) in the integers old writers send; no catalogue rule pairs a
    # plain writer with a union of two same-typed branches, the generator finds the gap
    old_schema = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    new_schema = {
        "type": "object",
        "properties": {"n": {"anyOf": [{"type": "integer", "maximum": 0}, {"type": "integer", "minimum": 1000}]}},
        "required": ["n"],
    }
    old, new = _write(tmp_path, "old.json", old_schema), _write(tmp_path, "new.json", new_schema)
    report = compare(old, new, examples=50, seed=3)
    found = [
        f for f in report.directions[Direction.NEW_CONSUMER_OLD_PRODUCER].findings if f.rule == "uncatalogued-break"
    ]
    assert found, report.directions[Direction.NEW_CONSUMER_OLD_PRODUCER].findings
    value = found[0].counterexample
    assert jsonschema.Draft202012Validator(old_schema).is_valid(value)
    assert not jsonschema.Draft202012Validator(new_schema).is_valid(value)
    assert 0 < value["n"] < 1000
    assert found[0].location.startswith("/properties/n")
    # the other way nothing breaks: every integer new writers send is one old readers take
    assert report.directions[Direction.OLD_CONSUMER_NEW_PRODUCER].findings == ()


def test_static_mode_runs_no_generator(tmp_path: Path) -> None:
    old = _write(tmp_path, "old.json", {"type": "integer"})
    new = _write(
        tmp_path, "new.json", {"anyOf": [{"type": "integer", "maximum": 0}, {"type": "integer", "minimum": 1000}]}
    )
    report = compare(old, new, examples=0)
    assert all(f.engine == "rules" for r in report.directions.values() for f in r.findings)
    assert report.directions[Direction.NEW_CONSUMER_OLD_PRODUCER].compatible  # only the generator sees that break
    ocnp = report.directions[Direction.OLD_CONSUMER_NEW_PRODUCER].findings
    assert len({f.location for f in ocnp}) == len(ocnp), "one finding per place and counterexample"


def test_same_inputs_and_seed_give_the_same_report_byte_for_byte(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1] / "contracts" / "orders-api"
    doc = json.loads(compare(root / "v2.yaml", root / "v3.yaml", seed=7).dumps())
    assert doc.pop("old").endswith("v2.yaml") and doc.pop("new").endswith("v3.yaml")
    for result in doc["directions"].values():  # file paths depend on the checkout; line and column do not
        for f in result["findings"]:
            assert f.pop("file").endswith(("orders-api/v2.yaml", "orders-api/v3.yaml")), f
    # the stored golden (regenerate it only for an intended change of the report)
    golden = Path(__file__).parent / "goldens" / "orders-api-v2-v3.seed7.json"
    assert doc == json.loads(golden.read_text())
    assert doc["deploy_order"] == "no safe order: expand and contract"
