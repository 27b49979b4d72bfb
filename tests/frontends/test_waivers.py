"""Waivers: parsing (and its errors, naming file and entry), waiving, expiry and unused entries."""

from __future__ import annotations

import datetime as dt

import pytest

from frontends.helpers import sample_report
from pytest_cdcompat.core.errors import CdcompatError
from pytest_cdcompat.core.findings import Direction
from pytest_cdcompat.run.waivers import WAIVER_EXPIRED, WaiverError, apply_waivers, load_waivers, parse_waivers

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
