"""A comparison pauses the cyclic garbage collector while it loads and hands everything back at the end."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from pytest_cdcompat.api import compare
from pytest_cdcompat.core.errors import CdcompatError

ROOT = Path(__file__).resolve().parent
BREAKING = ROOT / "rules" / "schema" / "additional-properties-allowed" / "breaking"


@pytest.fixture
def collector_state() -> Iterator[None]:
    was = gc.isenabled()
    yield
    gc.unfreeze()
    (gc.enable if was else gc.disable)()


@pytest.mark.parametrize("enabled", [True, False])
def test_collector_state_is_restored_and_nothing_stays_frozen(collector_state: None, enabled: bool) -> None:
    (gc.enable if enabled else gc.disable)()
    report = compare(BREAKING / "old.json", BREAKING / "new.json", examples=0, seed=1)
    assert any(f.rule == "additional-properties-allowed" for d in report.directions.values() for f in d.findings)
    assert gc.isenabled() is enabled
    assert gc.get_freeze_count() == 0  # a long pytest session can still reclaim the comparison's garbage


def test_collector_restored_after_bad_input(collector_state: None, tmp_path: Path) -> None:
    gc.enable()
    bad = tmp_path / "bad.json"
    bad.write_text('{"type": ', encoding="utf-8")
    with pytest.raises(CdcompatError):
        compare(BREAKING / "old.json", bad, examples=0)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_collector_runs_during_the_comparison(collector_state: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # the collector is off only while the versions load: the rules and the search run with it on again
    import pytest_cdcompat.kinds.schema.schema_engine as engine

    seen: list[bool] = []
    real = engine.run

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "run", spy)
    gc.enable()
    compare(BREAKING / "old.json", BREAKING / "new.json", examples=0, seed=1)
    assert seen == [True]
