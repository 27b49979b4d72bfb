"""Precision benchmark: every step of a hand-written migration history compared with the step before.

    python benchmarks/bench_sql_precision.py benchmarks/sql_precision/sqlite_shop [database URL]

Prints each error finding (step, direction, rule, location, message) to be judged real or false by reading the SQL;
the judgements and the resulting precision are in docs/sql.md. Not a test: the history is not a fixture the engine
was tuned on.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from pytest_cdcompat.api import compare
from pytest_cdcompat.core.findings import Severity


def main(history: Path, url: str | None) -> None:
    files = sorted(history.glob("*.sql"))
    errors = 0
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(1, len(files)):
            old, new = Path(tmp, f"{k}", "old"), Path(tmp, f"{k}", "new")
            old.mkdir(parents=True)
            new.mkdir()
            for f in files[:k]:
                shutil.copy(f, old / f.name)
            for f in files[: k + 1]:
                shutil.copy(f, new / f.name)
            report = compare(old, new, kind="sql", examples=10, db_url=url, seed=1)
            for d, r in report.directions.items():
                for f in r.findings:
                    if f.severity == Severity.ERROR:
                        errors += 1
                        print(f"{files[k].name}\t{d.value}\t{f.rule}\t{f.location}\t{f.message[:160]}")
    print(f"# {len(files) - 1} steps, {errors} error findings")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else None)
