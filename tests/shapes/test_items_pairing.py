"""A reader's ``items`` is judged only against a writer that itself sends arrays.

When the writer is a union (its branches are paired with the reader one by one) or not an array at all, there are
no writer items for the reader's ``items`` to reject; pairing them with an implicit "any item" reported false
``max-length-increased`` / ``type-widened`` errors on ``.../items`` without a counterexample.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_cdcompat import Direction, compare

HERE = Path(__file__).parent / "items-pairing"
OCNP, NCOP = Direction.OLD_CONSUMER_NEW_PRODUCER, Direction.NEW_CONSUMER_OLD_PRODUCER


def _findings(case: str, examples: int) -> dict[Direction, list[tuple[str, str, str, str]]]:
    report = compare(str(HERE / case / "old.json"), str(HERE / case / "new.json"), examples=examples, seed=0)
    return {
        d: [(f.rule, f.severity.value, f.location, f.message) for f in r.findings] for d, r in report.directions.items()
    }


@pytest.mark.parametrize("examples", [0, 30])
def test_union_writer_with_a_scalar_branch_breaks_only_at_the_branch(examples: int) -> None:
    found = _findings("breaking", examples)
    # new producer may send "" where old consumers expect an array: the one real break
    assert [(rid, sev, loc) for rid, sev, loc, _ in found[OCNP]] == [
        ("type-changed", "error", "/properties/aliases/type")
    ]
    assert "from array to string" in found[OCNP][0][3]
    assert found[NCOP] == []


@pytest.mark.parametrize("examples", [0, 30])
def test_union_of_arrays_the_reader_accepts_is_harmless(examples: int) -> None:
    found = _findings("harmless", examples)
    assert found[OCNP] == []
    assert found[NCOP] == []


def test_array_writer_still_pairs_its_items_with_the_readers() -> None:
    # the reverse direction of the harmless pair: an old producer of short-item arrays, new consumers who accept
    # the union; and, swapped, a writer whose items are wider than the reader's is still caught at .../items
    report = compare(str(HERE / "harmless" / "new.json"), str(HERE / "harmless" / "old.json"), examples=0, seed=0)
    hits = [(f.rule, f.location) for f in report.directions[NCOP].findings]
    assert hits == [], hits
    report = compare(str(HERE / "breaking" / "old.json"), str(HERE / "wider-items.json"), examples=0, seed=0)
    hits = [(f.rule, f.severity.value, f.location) for f in report.directions[OCNP].findings]
    assert hits == [("max-length-increased", "error", "/properties/aliases/items/maxLength")]
