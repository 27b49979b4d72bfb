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


def hostile(body, at_import=""):
    return f'''"""hostile"""
import os, sys, time
from alembic import op
{at_import}
revision = "b2"
down_revision = "a1"


def upgrade():
    {body}
'''


@pytest.mark.parametrize(
    ("script", "fragment"),
    [
        (hostile("while True: pass"), "did not finish within 2 s (script_timeout"),
        (hostile("time.sleep(1000)", at_import="time.sleep(1000)"), "did not finish within 2 s"),
        (hostile("sys.exit(3)"), "revision b2: upgrade() failed: SystemExit(3)"),
        (hostile("os._exit(5)"), "ended the process (exit status 5) before it finished"),
        (hostile("pass", at_import="os._exit(7)"), "ended the process (exit status 7) before it finished"),
        (hostile("import ctypes; ctypes.string_at(0)"), "crashed (signal 11) before it finished"),
    ],
    ids=["loop", "hang-at-import", "sys-exit", "os-exit", "os-exit-at-import", "segfault"],
)
def test_a_hostile_alembic_script_is_one_error_naming_it(tmp_path, script, fragment):
    new = scripts(tmp_path / "v2", {"a1_init.py": INIT, "b2_evil.py": script})
    old = scripts(tmp_path / "v1", {"a1_init.py": INIT})
    with pytest.raises(ContractLoadError) as e:
        compare(old, new, kind="sql", examples=0, sql_settings=("script_timeout = 2",))
    assert str(e.value).startswith("v2/versions/b2_evil.py: "), str(e.value)
    assert fragment in str(e.value)


def test_what_a_script_prints_does_not_disturb_the_check(tmp_path):
    noisy = DROP.replace("def upgrade():\n", 'def upgrade():\n    print(\'{"event": "done"}\' * 1000)\n')
    old = scripts(tmp_path / "v1", {"a1_init.py": INIT})
    new = scripts(tmp_path / "v2", {"a1_init.py": INIT, "b2_drop.py": noisy})
    report = compare(old, new, kind="sql", examples=0)
    found = {(d.value[:3], f.rule) for d, r in report.directions.items() for f in r.findings}
    assert ("old", "column-dropped") in found
