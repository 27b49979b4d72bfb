"""SQL rules: one module per rule, each a small pure check over a ``SqlChange`` (``kinds/sql/change.py``).

Every rule knows which application version it breaks: the OLD application against the migrated schema
(``old_consumer_new_producer``: drops, renames, tightened constraints) or the NEW application against the old schema
(``new_consumer_old_producer``: additions the new code needs). Its advice is the expand/contract recipe.
The ``dynamic`` module only declares the ids the database checks report (no static check).
"""

from __future__ import annotations

from pytest_cdcompat.kinds.sql.rules import (
    check_constraint_added,
    column_added,
    column_default_changed,
    column_dropped,
    column_made_nullable,
    column_renamed,
    column_set_not_null,
    column_type_changed,
    dynamic,
    foreign_key_added,
    migration_edited,
    not_null_column_added_without_default,
    rows_deleted_without_where,
    rows_updated_without_where,
    table_added,
    table_dropped,
    table_renamed,
    unique_constraint_added,
    unique_index_dropped,
)
