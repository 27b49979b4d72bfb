"""Waivers: parsing (and its errors, naming file and entry), waiving, expiry and unused entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from frontends.helpers import init_repo, sample_report
from pytest_cdcompat.core.errors import CdcompatError
from pytest_cdcompat.core.findings import Direction, DirectionResult, Finding, Severity
from pytest_cdcompat.run.waivers import (
    EXPIRED_ADVICE,
    WAIVER_EXPIRED,
    WaiverError,
    apply_waivers,
    load_waivers,
    parse_waivers,
)

TODAY = dt.date(2026, 6, 1)
ONP = Direction.OLD_CONSUMER_NEW_PRODUCER
NOP = Direction.NEW_CONSUMER_OLD_PRODUCER

GOOD = """\
- rule: response-enum-value-added
  location: /paths/~1orders~1{id}/get/*
  contract: contracts/orders*.yaml
  direction: old_consumer_new_producer
  reason: clients ignore unknown statuses since 4.0
  expires: 2026-12-31
- rule: operation-*
  location: /paths/~1legacy/*
  reason: never used
  expires: 2027-01-01
"""


def test_parse_good_file():
    ws = parse_waivers(GOOD, "contracts/cdcompat-waivers.yaml")
    assert [w.index for w in ws.entries] == [1, 2]
    first = ws.entries[0]
    assert first.direction is ONP
    assert first.expires == dt.date(2026, 12, 31)
    assert first.contract == "contracts/orders*.yaml"
    assert ws.entries[1].direction is None


def test_mapping_form_and_test_id_direction():
    ws = parse_waivers(
        "waivers:\n  - {rule: r-x, location: /a, reason: ok, expires: '2030-01-01',"
        " direction: new-consumer-vs-old-producer}\n",
        "w.yaml",
    )
    assert ws.entries[0].direction is NOP


def test_empty_file_is_no_waivers():
    assert parse_waivers("", "w.yaml").entries == ()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("- rule: r-x\n  location: /a\n  expires: 2030-01-01\n", "w.yaml entry 1: 'reason' is required"),
        ("- {rule: r-x, location: /a, reason: ok}\n", "w.yaml entry 1: 'expires' is required"),
        (
            "- {rule: r-x, location: /a, reason: ok, expires: 2030-01-01}\n"
            "- {rule: r-y, reason: x, expires: 2030-01-01}\n",
            "w.yaml entry 2: 'location' is required",
        ),
        ("- {rule: r-x, location: /a, reason: ok, expires: soon}\n", "entry 1: expires 'soon' is not a date"),
        ("- {rule: r-x, location: /a, reason: ok, expires: 2030-01-01, colour: red}\n", "unknown key(s) colour"),
        ("- {rule: r-x, location: /a, reason: ok, expires: 2030-01-01, direction: up}\n", "direction 'up'"),
        ("- just a string\n", "w.yaml entry 1: expected a mapping"),
        ("rule: r-x\n", "expected a list of waivers"),
        ("- [unclosed\n", "w.yaml:"),
    ],
)
def test_invalid_files(text, expected):
    with pytest.raises(WaiverError) as info:
        parse_waivers(text, "w.yaml")
    assert isinstance(info.value, CdcompatError)
    assert expected in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_file(tmp_path):
    assert load_waivers(tmp_path / "nope.yaml", required=False).entries == ()
    with pytest.raises(WaiverError, match="waiver file not found"):
        load_waivers(tmp_path / "nope.yaml", required=True)


def test_waived_finding_does_not_fail():
    report = sample_report()
    assert not report.directions[ONP].compatible
    ws = parse_waivers(GOOD, "w.yaml")
    out = apply_waivers(report, ws, contracts=("contracts/orders.yaml",), today=TODAY)
    finding = out.report.directions[ONP].findings[0]
    assert finding.rule == "response-enum-value-added"
    assert finding.waived == "clients ignore unknown statuses since 4.0"
    assert out.report.directions[ONP].compatible
    assert out.used == frozenset({1})
    assert [w.index for w in ws.unused(out.used)] == [2]


def test_contract_glob_and_direction_narrow_the_waiver():
    ws = parse_waivers(GOOD, "w.yaml")
    other = apply_waivers(sample_report(), ws, contracts=("contracts/payments.yaml",), today=TODAY)
    assert not other.report.directions[ONP].compatible and other.used == frozenset()
    wrong_dir = parse_waivers(GOOD.replace("old_consumer_new_producer", "new_consumer_old_producer"), "w.yaml")
    out = apply_waivers(sample_report(), wrong_dir, contracts=("contracts/orders.yaml",), today=TODAY)
    assert not out.report.directions[ONP].compatible


def test_expired_waiver_fails_with_a_named_finding():
    ws = parse_waivers(GOOD.replace("2026-12-31", "2026-05-31"), "contracts/cdcompat-waivers.yaml")
    out = apply_waivers(sample_report(), ws, contracts=("contracts/orders.yaml",), today=TODAY)
    result = out.report.directions[ONP]
    assert not result.compatible
    expired = [f for f in result.findings if f.rule == WAIVER_EXPIRED]
    assert len(expired) == 1
    assert "contracts/cdcompat-waivers.yaml entry 1" in expired[0].message
    assert "expired on 2026-05-31" in expired[0].message
    assert all(f.waived is None for f in result.findings if f.rule == "response-enum-value-added")
    assert [w.index for w in ws.expired(TODAY)] == [1]


def test_expiry_day_itself_is_still_valid():
    ws = parse_waivers(GOOD.replace("2026-12-31", "2026-06-01"), "w.yaml")
    out = apply_waivers(sample_report(), ws, contracts=("contracts/orders.yaml",), today=TODAY)
    assert out.report.directions[ONP].compatible


@pytest.mark.parametrize(
    "text, expected",
    [
        ("- {rule: 5, location: /a, reason: ok, expires: 2030-01-01}\n", "w.yaml entry 1: 'rule' must be a string"),
        ("- {rule: r, location: /a, reason: ok, expires: 2030-01-01, contract: [a]}\n", "'contract' must be a string"),
        ("- {rule: r, location: /a, reason: '', expires: 2030-01-01}\n", "w.yaml entry 1: 'reason' is required"),
        ("- {location: /a, reason: ok, expires: 2030-01-01}\n", "w.yaml entry 1: 'rule' is required"),
        (
            "- {rule: r, location: /a, reason: ok, expires: 2026-02-30}\n",
            "expires '2026-02-30' is not a date (YYYY-MM-DD)",
        ),
        (
            "- {rule: r, location: /a, reason: ok, expires: 2030-01-01, direction: sideways}\n",
            "w.yaml entry 1: direction 'sideways' is not one of old_consumer_new_producer, new_consumer_old_producer",
        ),
        (
            "- {rule: r, location: /a, reason: ok, expires: 2030-01-01, colour: red, size: 2}\n",
            "w.yaml entry 1: unknown key(s) colour, size (known: contract, direction, expires, location, reason, rule)",
        ),
        ("- 3\n", "w.yaml entry 1: expected a mapping with rule, location, reason and expires"),
        ("rule: r-x\n", "w.yaml: expected a list of waivers (or a mapping with one key, 'waivers')"),
        (
            "- {rule: r, location: /a, reason: ok, expires: 2030-01-01}\n- [unclosed\n",
            "w.yaml:3:1: invalid YAML: expected ',' or ']', but got '<stream end>'",
        ),
    ],
)
def test_bad_entries_are_named_with_file_entry_and_problem(text, expected):
    with pytest.raises(WaiverError) as info:
        parse_waivers(text, "w.yaml")
    assert str(info.value).startswith("w.yaml")
    assert expected in str(info.value)


def test_entry_values_are_normalised():
    ws = parse_waivers(
        "- {rule: r, location: /a, reason: '  reviewed by the API board  ', expires: 2030-01-01, contract: null,"
        " direction: ' OLD-CONSUMER-NEW-PRODUCER '}\n"
        "- {rule: r, location: /b, reason: ok, expires: !!timestamp 2030-02-01 10:00:00,"
        " direction: old_consumer_vs_new_producer}\n"
        "- {rule: r, location: /c, reason: ok, expires: !!timestamp 2030-03-01}\n",
        "w.yaml",
    )
    first, second, third = ws.entries
    assert first.reason == "reviewed by the API board" and first.contract is None
    assert first.direction is ONP and second.direction is ONP and third.direction is None
    assert (second.expires, third.expires) == (dt.date(2030, 2, 1), dt.date(2030, 3, 1))
    assert [w.source for w in ws.entries] == ["w.yaml"] * 3 and ws.path == "w.yaml"


@pytest.mark.parametrize("text", ["", "waivers:\n", "waivers: []\n"])
def test_empty_files_keep_their_path(text):
    ws = parse_waivers(text, "w.yaml")
    assert ws == parse_waivers("[]", "w.yaml") and ws.path == "w.yaml" and ws.entries == ()


def test_describe_names_the_file_and_the_entry():
    entry = parse_waivers(GOOD, "contracts/w.yaml").entries[1]
    assert entry.describe() == "contracts/w.yaml entry 2 (rule operation-* at /paths/~1legacy/*)"
    assert replace(entry, source="").describe() == "waiver entry 2 (rule operation-* at /paths/~1legacy/*)"


def test_expired_defaults_to_today():
    ws = parse_waivers(GOOD.replace("2026-12-31", "2001-01-01").replace("2027-01-01", "2999-01-01"), "w.yaml")
    assert [w.index for w in ws.expired()] == [1]
    assert [w.index for w in ws.expired(dt.date(2001, 1, 1))] == []


def test_missing_file_names_the_path_and_is_required_by_default(tmp_path):
    assert load_waivers(None).entries == () and load_waivers(None).path is None
    with pytest.raises(WaiverError) as info:
        load_waivers(tmp_path / "nope.yaml")
    assert str(info.value) == f"{tmp_path / 'nope.yaml'}: waiver file not found"


def test_loaded_file_is_named_relative_to_the_current_folder(tmp_path, monkeypatch):
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "w.yaml").write_text(GOOD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    ws = load_waivers(tmp_path / "contracts" / "w.yaml")
    assert ws.path == "contracts/w.yaml" and ws.entries[0].source == "contracts/w.yaml"
    (tmp_path / "contracts" / "bad.yaml").write_bytes(b"- \xff\n")
    with pytest.raises(WaiverError) as info:
        load_waivers(tmp_path / "contracts" / "bad.yaml")
    assert str(info.value) == "contracts/bad.yaml: cannot read: not UTF-8 text (invalid start byte at byte 2)"


def test_a_file_outside_the_current_folder_keeps_its_full_path(tmp_path, monkeypatch):
    (tmp_path / "w.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert load_waivers(tmp_path / "w.yaml").path == str(tmp_path / "w.yaml")


def test_a_dangling_link_is_refused_not_skipped(tmp_path, monkeypatch):
    (tmp_path / "w.yaml").symlink_to(tmp_path / "gone.yaml")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(WaiverError) as info:
        load_waivers(tmp_path / "w.yaml", required=False)
    assert "waiver file not found" not in str(info.value) and "not found" in str(info.value)


def test_expired_finding_names_waiver_rule_reason_and_advice():
    ws = parse_waivers(GOOD.replace("2026-12-31", "2026-05-31"), "w.yaml")
    out = apply_waivers(sample_report(), ws, contracts=("contracts/orders.yaml",), today=TODAY)
    covered, expired = (f for f in out.report.directions[ONP].findings if f.rule != "request-property-became-required")
    assert covered.rule == "response-enum-value-added" and expired.rule == WAIVER_EXPIRED
    assert expired.severity is Severity.ERROR and expired.location == covered.location
    assert expired.message == (
        "w.yaml entry 1 (rule response-enum-value-added at /paths/~1orders~1{id}/get/*) expired on 2026-05-31; "
        "it no longer waives response-enum-value-added: clients ignore unknown statuses since 4.0"
    )
    assert expired.advice == EXPIRED_ADVICE and expired.advice.startswith("Make the change safe")
    assert out.used == frozenset({1})


def test_one_expired_finding_per_entry_and_location():
    ws = parse_waivers("- {rule: '*', location: '*', reason: old, expires: 2020-01-01}\n", "w.yaml")
    base = sample_report().directions[ONP].findings[0]
    twin = replace(base, message="another message at the same place")
    elsewhere = replace(base, location="/paths/~1other")
    report = replace(
        sample_report(),
        directions={
            ONP: DirectionResult(ONP, (base, twin, elsewhere)),
            NOP: DirectionResult(NOP, ()),
        },
    )
    out = apply_waivers(report, ws, contracts=("c.yaml",), today=TODAY)
    findings = out.report.directions[ONP].findings
    assert sorted(f.location for f in findings if f.rule == WAIVER_EXPIRED) == sorted([base.location, "/paths/~1other"])
    assert list(findings) == sorted(findings, key=Finding.sort_key)
    live = parse_waivers("- {rule: '*', location: '*', reason: renewed, expires: 2999-01-01}\n", "w.yaml")
    again = apply_waivers(out.report, live, contracts=("c.yaml",), today=TODAY).report.directions[ONP].findings
    assert {(f.rule, f.waived) for f in again} == {("response-enum-value-added", "renewed"), (WAIVER_EXPIRED, None)}


def test_without_contract_paths_the_report_pair_is_matched():
    ws = parse_waivers(GOOD, "w.yaml")  # entry 1 is narrowed to contracts/orders*.yaml; the report is that pair
    assert apply_waivers(sample_report(), ws, today=TODAY).report.directions[ONP].compatible
    moved = sample_report(old="main:api/x.yaml", new="api/x.yaml")
    assert not apply_waivers(moved, ws, today=TODAY).report.directions[ONP].compatible


def test_live_waiver_uses_todays_date_by_default():
    live = parse_waivers(GOOD.replace("2026-12-31", "2999-01-01"), "w.yaml")
    gone = parse_waivers(GOOD.replace("2026-12-31", "2001-01-01"), "w.yaml")
    assert apply_waivers(sample_report(), live, contracts=("contracts/orders.yaml",)).report.directions[ONP].compatible
    out = apply_waivers(sample_report(), gone, contracts=("contracts/orders.yaml",))
    assert WAIVER_EXPIRED in {f.rule for f in out.report.directions[ONP].findings}


def test_no_entries_leaves_the_report_as_it_is():
    report = sample_report()
    out = apply_waivers(report, parse_waivers("", "w.yaml"), today=TODAY)
    assert out.report is report and out.used == frozenset()


@pytest.mark.parametrize("key", ["location", "reason"])
def test_text_fields_must_be_strings(key):
    entry = {"rule": "r", "location": "/a", "reason": "ok", "expires": "2030-01-01", key: 5}
    text = "- {" + ", ".join(f"{k}: {v}" for k, v in entry.items()) + "}\n"
    with pytest.raises(WaiverError) as info:
        parse_waivers(text, "w.yaml")
    assert str(info.value) == f"w.yaml entry 1: {key!r} must be a string"


def test_a_character_yaml_refuses_is_one_clear_line_with_its_line_and_column():
    with pytest.raises(WaiverError) as info:
        parse_waivers("- {rule: r\x00}\n", "w.yaml")
    assert (
        str(info.value)
        == "w.yaml:1:11: invalid YAML: character U+0000 is not allowed (special characters are not allowed)"
    )
    assert (info.value.line, info.value.column) == (1, 11)


def test_a_waiver_file_linking_out_of_the_repository_is_refused(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    repo.mkdir()
    init_repo(repo, {"README.md": "x\n"})
    (tmp_path / "outside.yaml").write_text(GOOD, encoding="utf-8")
    (repo / "w.yaml").symlink_to(tmp_path / "outside.yaml")
    monkeypatch.chdir(repo)
    with pytest.raises(WaiverError) as info:
        load_waivers(repo / "w.yaml")
    shown = str(repo / "w.yaml")  # the link as given, relative to the current folder, never its target
    assert str(info.value).startswith(f"w.yaml: waiver file {shown} (through a symlink, to ")
    assert "is outside the repository" in str(info.value)


def test_findings_after_an_unwaived_one_are_kept():
    ws = parse_waivers("- {rule: request-property-*, location: '*', reason: agreed, expires: 2999-01-01}\n", "w.yaml")
    before = sample_report().directions[ONP]
    after = apply_waivers(sample_report(), ws, today=TODAY).report.directions[ONP]
    assert after.direction is ONP
    assert [(f.rule, f.location) for f in after.findings] == [(f.rule, f.location) for f in before.findings]
    assert [f.waived for f in after.findings if f.rule == "request-property-became-required"] == ["agreed"]
