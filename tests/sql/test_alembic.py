"""Alembic script folders go through Alembic's own offline mode, then the same rules and checks as SQL files."""

import pytest

from pytest_cdcompat.api import compare
from pytest_cdcompat.core.errors import ContractLoadError

INIT = '''"""init"""
import sqlalchemy as sa
from alembic import op

revision = "a1"
down_revision = None


def upgrade():
    op.create_table("users", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("email", sa.String(100), nullable=False))
'''
DROP = '''"""drop email, add phone"""
import sqlalchemy as sa
from alembic import op

revision = "b2"
down_revision = "a1"


def upgrade():
    op.add_column("users", sa.Column("phone", sa.String(20)))
    op.drop_column("users", "email")
'''


def scripts(path, files):
    (path / "versions").mkdir(parents=True)
    for name, text in files.items():
        (path / "versions" / name).write_text(text)
    return path


def test_alembic_revisions_are_checked(tmp_path):
    old = scripts(tmp_path / "v1", {"a1_init.py": INIT})
    new = scripts(tmp_path / "v2", {"a1_init.py": INIT, "b2_drop.py": DROP})
    report = compare(old, new, kind="sql", examples=10)
    found = {(d.value[:3], f.rule, f.location) for d, r in report.directions.items() for f in r.findings}
    assert ("old", "column-dropped", "v2/versions/b2_drop.py:3") in found
    assert ("old", "insert-rejected", "users.email") in found
    assert ("new", "column-added", "v2/versions/b2_drop.py:1") in found
    assert report.deploy_order == "no safe order: expand and contract"


def test_broken_revision_graph_is_one_error(tmp_path):
    old = scripts(tmp_path / "v1", {"b2_drop.py": DROP})  # down_revision a1 does not exist
    with pytest.raises(ContractLoadError, match="Alembic cannot read the revisions"):
        compare(old, old, kind="sql", examples=0)
