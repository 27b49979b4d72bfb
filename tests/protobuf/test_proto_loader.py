"""Bad Protobuf input: a file that does not compile, a missing import, an import leaving the repository: one
ContractLoadError each naming the file and the line; the CLI exits 2 with one line. Imports inside it work."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pytest_cdcompat import compare
from pytest_cdcompat.core.errors import ContractLoadError

CLI = "import sys; from pytest_cdcompat.cli import main; sys.exit(main(sys.argv[1:]))"
GOOD = 'syntax = "proto3";\npackage p;\nmessage A { int32 x = 1; }\n'


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ('syntax = "proto3";\nmessage A {\n  int32 x = 1;\n  string y = 1;\n}\n', "bad.proto:4:"),
        ('syntax = "proto3";\nmessage A { int32 x = 1 }\n', "bad.proto:2:"),
        ('syntax = "proto3";\nimport "missing/common.proto";\nmessage A { int32 x = 1; }\n', "bad.proto:2: import"),
        ('syntax = "proto3";\nimport "../../etc/x.proto";\nmessage A { int32 x = 1; }\n', "climbs out with '..'"),
    ],
)
def test_bad_proto_is_one_clear_error(tmp_path, text, expect):
    (tmp_path / "bad.proto").write_text(text)
    (tmp_path / "good.proto").write_text(GOOD)
    with pytest.raises(ContractLoadError) as err:
        compare(tmp_path / "good.proto", tmp_path / "bad.proto", kind="protobuf")
    assert expect in str(err.value)


def test_imports_within_the_repository(tmp_path):
    (tmp_path / "common").mkdir()
    money = 'syntax = "proto3";\npackage c;\nmessage Money { int64 cents = 1; }\n'
    (tmp_path / "common" / "money.proto").write_text(money)
    for name, kind in (("old", "int64"), ("new", "string")):
        (tmp_path / f"{name}.proto").write_text(
            'syntax = "proto3";\npackage p;\nimport "common/money.proto";\nimport "google/protobuf/timestamp.proto";\n'
            f"message Order {{ c.Money total = 1; google.protobuf.Timestamp at = 2; {kind} n = 3; }}\n"
        )
    report = compare(tmp_path / "old.proto", tmp_path / "new.proto", kind="protobuf", seed=1, examples=20)
    assert {f.rule for r in report.directions.values() for f in r.findings} == {"proto-field-type-changed"}


def test_cli_exits_2_with_one_line(tmp_path):
    (tmp_path / "bad.proto").write_text('syntax = "proto3";\nmessage A { int32 x = 1; int32 y = 1; }\n')
    (tmp_path / "good.proto").write_text(GOOD)
    out = subprocess.run(
        [sys.executable, "-c", CLI, "compare", str(tmp_path / "good.proto"), str(tmp_path / "bad.proto")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 2, out
    assert "Traceback" not in out.stderr
    assert "bad.proto:2:" in out.stderr and out.stderr.strip().count("\n") == 0


def test_confluent_mode_comment_in_a_proto(tmp_path):
    old = 'syntax = "proto3";\npackage p;\nmessage A { int64 x = 1; }\n'
    new = '// cd-compat: mode=FORWARD\nsyntax = "proto3";\npackage p;\nmessage A { int32 x = 1; }\n'
    (tmp_path / "old.proto").write_text(old)
    (tmp_path / "new.proto").write_text(new)
    args = [sys.executable, "-c", CLI, "compare", str(tmp_path / "old.proto"), str(tmp_path / "new.proto")]
    out = subprocess.run(args, capture_output=True, text=True, check=False)
    # int64 -> int32 only breaks new readers of old data (BACKWARD), which FORWARD does not require
    assert out.returncode == 0, out.stdout + out.stderr
    assert "proto-field-integer-type-changed" in out.stdout
    (tmp_path / "new.proto").write_text(new.replace("FORWARD", "FULL"))
    assert subprocess.run(args, capture_output=True, text=True, check=False).returncode == 1
