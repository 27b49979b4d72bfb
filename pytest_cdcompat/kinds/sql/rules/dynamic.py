"""Ids reported by the checks that run on real databases (``kinds/sql/dynamic_check.py``); declared here with their advice so
the catalogue, waivers and severity overrides treat them like every other rule. Their check finds nothing statically.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity
from pytest_cdcompat.kinds.sql.change import SqlChange
from pytest_cdcompat.kinds.sql.rules.table_dropped import SQL


@rule(
    scope="sql-dynamic",
    category="data",
    kinds=SQL,
    ids=[
        (
            "insert-rejected",
            Severity.ERROR,
            "The database rejected a row one application version writes.",
            "Make the schema accept every row that version writes until it is gone (nullable or defaulted columns, "
            "constraints added after the writers changed), or deploy in the order the report names.",
        ),
        (
            "select-failed",
            Severity.ERROR,
            "A SELECT of the columns one application version reads failed.",
            "Keep every column a running version reads until it no longer runs (deploy the application first, then drop).",
        ),
        (
            "query-failed",
            Severity.ERROR,
            "One of the application's declared statements failed against the other schema.",
            "Change the statement so that it works on both schemas, or deploy in the order the report names.",
        ),
        (
            "migration-failed-on-existing-rows",
            Severity.ERROR,
            "The migration fails on a database holding rows the old application wrote.",
            "Clean up or backfill the rows first (a separate, earlier migration), then tighten.",
        ),
        (
            "write-lost-during-transition",
            Severity.ERROR,
            "A write of the old application after the migration is missing "
            "from the new column the new application reads.",
            "Keep both columns in sync while both versions run: a trigger in the migration that copies the old column into "
            "the new one on INSERT and UPDATE, or a preemptive double write (release an application that writes both "
            "columns, tolerating the new one's absence, before the migration), then backfill.",
        ),
        (
            "existing-row-changed",
            Severity.ERROR,
            "A row that existed before the migration reads differently after it.",
            "Make the migration keep every existing value (copy data before dropping or converting a column).",
        ),
        (
            "migration-statement-refused",
            Severity.ERROR,
            "A migration statement reaches outside its throwaway database (another database, server files, programs, "
            "roles, ATTACH) and was refused.",
            "A migration changes its own database only: move server administration (other databases, roles, "
            "extensions that need a superuser, file export) out of the migrations into the deployment's own set-up.",
        ),
    ],
)
def dynamic(change: SqlChange) -> Iterator[Hit]:
    return iter(())
