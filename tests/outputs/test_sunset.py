"""Deprecation and sunset dates: a deprecated operation removed before its ``x-sunset`` is an error, after it a
warning; stability levels relax breaks; bad annotations are one clear error."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pytest_cdcompat.api import compare
from pytest_cdcompat.cli import main
from pytest_cdcompat.core.errors import ContractLoadError
from pytest_cdcompat.core.findings import Direction, Severity

ONP = Direction.OLD_CONSUMER_NEW_PRODUCER

API = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /orders:
    get:
      responses:
        "200": {description: ok}
  {legacy}
"""
LEGACY = """/legacy:
    get:
      {marks}
      responses:
        "200": {description: ok}"""


def pair(root: Path, marks: str) -> None:
    legacy = LEGACY.replace("{marks}", marks)
    (root / "old.yaml").write_text(textwrap.dedent(API).replace("{legacy}", legacy))
    (root / "new.yaml").write_text(textwrap.dedent(API).replace("{legacy}", ""))


@pytest.fixture(autouse=True)
def _here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def removal(report):
    (f,) = [f for f in report.directions[ONP].findings if f.location == "/paths/~1legacy/get"]
    return f


def test_never_deprecated_removal_is_as_before(tmp_path):
    pair(tmp_path, "")
    f = removal(compare("old.yaml", "new.yaml", examples=0))
    assert (f.rule, f.severity) == ("operation-removed", Severity.ERROR)


def test_removed_before_its_sunset_is_an_error(tmp_path):
    pair(tmp_path, "deprecated: true\n      x-sunset: '2999-12-31'")
    report = compare("old.yaml", "new.yaml", examples=0)
    f = removal(report)
    assert (f.rule, f.severity) == ("removed-before-sunset", Severity.ERROR)
    assert "sunset 2999-12-31 and removed before that date" in f.message
    assert f.file == "old.yaml" and f.in_old  # the removal points at the old version
    assert not report.directions[ONP].compatible


def test_removed_after_its_sunset_is_a_warning(tmp_path):
    pair(tmp_path, "deprecated: true\n      x-sunset: 2001-01-31")
    report = compare("old.yaml", "new.yaml", examples=0)
    f = removal(report)
    assert (f.rule, f.severity) == ("removed-after-sunset", Severity.WARNING)
    assert "which has passed: consumers were given notice" in f.message
    assert report.compatible


def test_deprecated_without_a_sunset_keeps_its_rule(tmp_path):
    pair(tmp_path, "deprecated: true")
    assert removal(compare("old.yaml", "new.yaml", examples=0)).rule == "operation-removed"


def test_a_sunset_that_is_not_a_date_is_one_clear_error(tmp_path, capsys):
    pair(tmp_path, "deprecated: true\n      x-sunset: next spring")
    with pytest.raises(ContractLoadError) as e:
        compare("old.yaml", "new.yaml", examples=0)
    assert str(e.value) == "old.yaml:12:17: x-sunset 'next spring' is not a date (YYYY-MM-DD)"
    assert main(["compare", "old.yaml", "new.yaml"]) == 2
    assert (
        capsys.readouterr().err
        == "cdcompat: error: old.yaml:12:17: x-sunset 'next spring' is not a date (YYYY-MM-DD)\n"
    )


def test_alpha_operations_break_with_warnings_only(tmp_path):
    pair(tmp_path, "x-stability-level: alpha")
    report = compare("old.yaml", "new.yaml", examples=0)
    f = removal(report)
    assert f.severity is Severity.WARNING and "(x-stability-level alpha: breaking changes are allowed)" in f.message
    assert report.compatible


def test_stable_operations_break_as_usual(tmp_path):
    pair(tmp_path, "x-stability-level: stable")
    assert removal(compare("old.yaml", "new.yaml", examples=0)).severity is Severity.ERROR


def test_an_unknown_stability_level_is_an_error(tmp_path):
    pair(tmp_path, "x-stability-level: experimental")
    with pytest.raises(ContractLoadError, match="x-stability-level 'experimental' is not one of draft, alpha, beta"):
        compare("old.yaml", "new.yaml", examples=0)


def test_protobuf_deprecation_is_in_the_changelog(tmp_path):
    from pytest_cdcompat.report.changelog import changelog

    proto = 'syntax = "proto3";\npackage p;\nmessage M {\n  string id = 1{opt};\n}\n'
    (tmp_path / "old.proto").write_text(proto.replace("{opt}", ""))
    (tmp_path / "new.proto").write_text(proto.replace("{opt}", " [deprecated = true]"))
    log = changelog("old.proto", "new.proto", examples=0)
    assert [(e.rule, e.message) for e in log.entries] == [("element-deprecated", "field 'id' was deprecated")]


def test_openapi_deprecation_with_sunset_is_in_the_changelog(tmp_path):
    from pytest_cdcompat.report.changelog import changelog

    pair(tmp_path, "")
    legacy = LEGACY.replace("{marks}", "deprecated: true\n      x-sunset: '2027-03-01'")
    (tmp_path / "new.yaml").write_text(textwrap.dedent(API).replace("{legacy}", legacy))
    log = changelog("old.yaml", "new.yaml", examples=0)
    assert [(e.rule, e.message) for e in log.entries] == [
        ("element-deprecated", "operation 'GET /legacy' was deprecated (sunset 2027-03-01)")
    ]
