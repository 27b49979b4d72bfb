"""Rules are imported per kind (start-up cost), and a kind's rules are the same as with the whole catalogue."""

from __future__ import annotations

import subprocess
import sys

from pytest_cdcompat import catalogue
from pytest_cdcompat.core.kinds import KIND_NAMES

SCOPES = ("channel", "flow", "schema", "contract", "message", "table")


def test_a_kinds_rules_are_those_of_the_whole_catalogue():
    code = (
        "import json\n"
        "from pytest_cdcompat import catalogue\n"
        f"kinds, scopes = {list(KIND_NAMES)!r}, {list(SCOPES)!r}\n"
        "lazy = {f'{k}/{s}': sorted(r.name for r in catalogue.rules_for(s, k)) for k in kinds for s in scopes}\n"
        "print(json.dumps(lazy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    import json

    lazy = json.loads(done.stdout)
    catalogue.load_all()
    for key, names in lazy.items():
        kind, scope = key.split("/")
        assert names == sorted(r.name for r in catalogue.rules_for(scope, kind)), key
    assert any(lazy.values())


def test_a_json_schema_comparison_does_not_import_the_sql_rules(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text('{"type": "object", "properties": {"x": {"type": "string"}}}')
    b.write_text('{"type": "object", "properties": {"x": {"type": "integer"}}}')
    code = (
        "import sys\n"
        "from pytest_cdcompat import compare\n"
        f"r = compare({str(a)!r}, {str(b)!r}, examples=0, seed=1)\n"
        "assert any(f.rule == 'type-changed' for d in r.directions.values() for f in d.findings), r\n"
        "assert 'sqlglot' not in sys.modules, 'sqlglot imported'\n"
        "assert 'pytest_cdcompat.kinds.sql.rules' not in sys.modules, 'SQL rules imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
