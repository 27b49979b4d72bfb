"""Generated histories that look like real ones (tests/sql/history.py), checked step by step as a user would: no
exception escapes, every report renders in every format, and no finding comes back on every later step because of
one statement the model did not follow."""

import pytest
from history import step_pair

from pytest_cdcompat.api import compare
from pytest_cdcompat.report import FORMATS, render

OC, NC = "old_consumer_new_producer", "new_consumer_old_producer"
MIGRATIONS = 16


def dialect(url):
    return "sqlite" if url is None else ("postgres" if url.startswith("postgres") else "mysql")


def test_generated_history_checks_step_by_step_without_an_exception(tmp_path, db_url):
    engine = dialect(db_url)
    seen_locations: dict[str, int] = {}
    for step in (3, 6, 9, 12, MIGRATIONS - 1):
        old, new = step_pair(tmp_path, engine, step, migrations=MIGRATIONS, tables=8, seed=5)
        report = compare(old, new, kind="sql", examples=10, db_url=db_url, seed=1)
        for fmt in FORMATS:
            assert render(report, fmt)
        errors = [
            (d.value, f) for d, res in report.directions.items() for f in res.findings if f.severity.value == "error"
        ]
        # the generator's changes are additive, or re-create a table or column under its own name (a rebuild, a
        # type swap done as add/copy/drop/rename): never a drop for the old application to trip on
        assert {f.rule for d, f in errors if d == OC} <= {"column-type-changed"}, (
            step,
            [(f.rule, f.location) for d, f in errors],
        )
        # what the new application needs comes from the step's own migration, never from an earlier one
        for _, f in errors:
            if ".sql:" in f.location:
                assert f.location.startswith(f"new{step}/{step + 1:04d}_"), (step, f.rule, f.location)
            seen_locations[f.location] = seen_locations.get(f.location, 0) + 1
    repeated = {loc: n for loc, n in seen_locations.items() if n > 2}
    assert repeated == {}, f"findings repeated on later steps: {repeated}"


@pytest.mark.parametrize("engine", ["sqlite", "postgres", "mysql"])
def test_generated_histories_hold_the_real_world_patterns(tmp_path, engine):
    from history import write_history

    files = write_history(tmp_path / "h", engine, tables=10, migrations=40, seed=2)
    text = "".join(f.read_text() for f in files)
    assert len(files) == 40
    for pattern in ("CREATE TRIGGER", "INSERT INTO", "RENAME TO", "CREATE INDEX", "UNIQUE", "REFERENCES"):
        assert pattern in text, pattern
    if engine == "postgres":
        for pattern in ("DO $$", "AS ENUM", "ALTER TYPE", "COMMENT ON", "LANGUAGE plpgsql", "jsonb"):
            assert pattern in text, pattern
