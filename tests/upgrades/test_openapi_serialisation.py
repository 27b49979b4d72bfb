"""Parameter serialisation across OpenAPI 2.0 -> 3.0 -> 3.1: three Swagger 2.0 documents (formData, collectionFormat,
produces/consumes, shared parameters, file uploads and downloads), their 3.0 conversions by swagger2openapi's rules and
3.1 versions compare with no finding in either order; a conversion that changes the wire form is found, in both
directions, with the wire text the writer sends and what the reader reads from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_cdcompat import Direction, compare
from pytest_cdcompat.kinds.schema.serialisation import Serialisation, from_v2, from_v3, read, reads_same, write

OLD = Direction.OLD_CONSUMER_NEW_PRODUCER
NEW = Direction.NEW_CONSUMER_OLD_PRODUCER
HERE = Path(__file__).parent / "openapi" / "serialisation"
VERSIONS = ("2.0", "3.0", "3.1")


def findings(report):
    return {d: [(f.rule, f.severity.value, f.location) for f in r.findings] for d, r in report.directions.items()}


@pytest.mark.parametrize("api", ["inventory", "media", "search"])
@pytest.mark.parametrize("old", VERSIONS)
@pytest.mark.parametrize("new", VERSIONS)
def test_converted_documents_change_nothing_on_the_wire(api, old, new):
    report = compare(HERE / f"{api}-{old}.yaml", HERE / f"{api}-{new}.yaml", seed=4, examples=30)
    assert findings(report) == {OLD: [], NEW: []}
    assert report.compatible


def _variant(tmp_path, name, text, old, new):
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new))
    return path


def test_csv_converted_without_explode_false_is_a_break_both_ways(tmp_path):
    """Early swagger2openapi versions wrote csv in a query as ``style: form`` alone, which explodes in 3.x: old
    clients send ``ids=1,2`` and the new server reads one value ``1,2``; new clients send ``ids=1&ids=2``."""
    v3 = (HERE / "inventory-3.0.yaml").read_text()
    naive = _variant(tmp_path, "naive.yaml", v3, "{name: ids, in: query, style: form, explode: false,",
                     "{name: ids, in: query, style: form,")  # fmt: skip
    report = compare(HERE / "inventory-2.0.yaml", naive, seed=5, examples=30)
    where = "/paths/~1items/get/parameters/0"
    for direction in (OLD, NEW):
        (f,) = report.directions[direction].findings
        assert (f.rule, f.severity.value, f.location) == ("request-parameter-explode-changed", "error", where)
        assert "query parameter 'ids' changed from style form, explode false to style form, explode true" in f.message
        assert f.counterexample["query"] == {"ids": [0, 1]}
    assert report.directions[OLD].findings[0].counterexample["wire"] == "ids=0,1"
    assert report.directions[OLD].findings[0].counterexample["reader_reads"] == ["0,1"]
    assert report.directions[NEW].findings[0].counterexample["wire"] == "ids=0&ids=1"
    assert report.directions[NEW].findings[0].counterexample["reader_reads"] == ["0"]
    assert not report.compatible


def test_a_lossy_conversion_of_a_header_is_found(tmp_path):
    """swagger2openapi warns that ``ssv`` is no longer supported for headers and leaves the default (simple,
    comma-separated): the wire form changed, and the server reads ``a b`` as one value."""
    v2 = (HERE / "inventory-2.0.yaml").read_text()
    spaced = _variant(tmp_path, "old.yaml", v2, "X-Fields, in: header, type: array, items: {type: string}, "
                      "collectionFormat: csv", "X-Fields, in: header, type: array, items: {type: string}, "
                      "collectionFormat: ssv")  # fmt: skip
    report = compare(spaced, HERE / "inventory-3.0.yaml", seed=6, examples=30)
    for direction in (OLD, NEW):
        (f,) = report.directions[direction].findings
        assert (f.rule, f.severity.value) == ("request-parameter-style-changed", "error")
        assert f.location == "/paths/~1items/get/parameters/5"
        assert "header parameter 'X-Fields' changed from style spaceDelimited" in f.message
    shown = report.directions[OLD].findings[0].counterexample
    assert (shown["wire"], shown["reader_reads"]) == ("a b", ["a b"])  # a header value is not percent-encoded


def test_tsv_kept_as_x_collection_format_is_the_same_and_dropping_it_is_not(tmp_path):
    v3 = (HERE / "media-3.0.yaml").read_text()
    dropped = _variant(tmp_path, "new.yaml", v3, "x-collectionFormat: tsv, ", "")
    report = compare(HERE / "media-2.0.yaml", dropped, seed=7, examples=30)
    (f,) = report.directions[OLD].findings
    assert (f.rule, f.location) == (
        "request-parameter-style-changed",
        "/paths/~1albums~1{albumId}~1photos/get/parameters/0",
    )
    assert "from style tabDelimited, explode false to style form, explode true" in f.message
    assert f.counterexample["wire"] == "sizes=l%09m"
    assert f.counterexample["reader_reads"] == ["l\tm"]


# --- the serialiser itself, against the style examples of the OpenAPI specification -----------------------------

ARRAY, OBJECT = ["blue", "black", "brown"], {"R": 100, "G": 200, "B": 150}


@pytest.mark.parametrize(
    ("where", "style", "explode", "value", "text"),
    [
        ("path", "matrix", False, ARRAY, ";color=blue,black,brown"),
        ("path", "matrix", True, ARRAY, ";color=blue;color=black;color=brown"),
        ("path", "matrix", True, OBJECT, ";R=100;G=200;B=150"),
        ("path", "label", True, ARRAY, ".blue.black.brown"),
        ("path", "label", True, OBJECT, ".R=100.G=200.B=150"),
        ("query", "form", False, ARRAY, "color=blue,black,brown"),
        ("query", "form", True, ARRAY, "color=blue&color=black&color=brown"),
        ("query", "form", False, OBJECT, "color=R,100,G,200,B,150"),
        ("query", "form", True, OBJECT, "R=100&G=200&B=150"),
        ("header", "simple", False, OBJECT, "R,100,G,200,B,150"),
        ("header", "simple", True, OBJECT, "R=100,G=200,B=150"),
        ("query", "spaceDelimited", False, ARRAY, "color=blue%20black%20brown"),
        ("query", "pipeDelimited", False, ARRAY, "color=blue%7Cblack%7Cbrown"),
        ("query", "deepObject", True, OBJECT, "color[R]=100&color[G]=200&color[B]=150"),
        ("path", "simple", False, "blue", "blue"),
        ("path", "label", False, "blue", ".blue"),
    ],
)
def test_write_follows_the_style_examples_and_read_inverts_it(where, style, explode, value, text):
    ser = Serialisation(where, style, explode)
    assert write("color", value, ser) == text
    same, _, got = reads_same("color", value, ser, ser)
    assert same, got


def test_2_0_and_3_x_spellings_meet_in_one_form():
    assert from_v2("query", {"type": "array"}) == from_v3("query", {"style": "form", "explode": False})
    assert from_v2("query", {"type": "array", "collectionFormat": "multi"}) == from_v3("query", {})
    assert from_v2("path", {"type": "array", "collectionFormat": "csv"}) == from_v3("path", {})
    assert from_v2("query", {"type": "array", "collectionFormat": "ssv"}) == from_v3(
        "query", {"style": "spaceDelimited"}
    )
    assert from_v2("query", {"type": "array", "collectionFormat": "tsv"}) == from_v3(
        "query", {"x-collectionFormat": "tsv"}
    )
    assert from_v3("query", {"style": "pipeDelimited", "explode": True}) == from_v3("query", {})
    assert from_v3("query", {}) != from_v3("query", {"explode": False})
    assert from_v3("query", {"content": {"application/json": {}}}).media == "application/json"


def test_a_scalar_reads_the_same_in_every_query_style_but_not_as_a_label():
    plain = Serialisation("query", "form", True)
    for style in ("spaceDelimited", "pipeDelimited", "deepObject"):
        assert reads_same("q", "a b", plain, Serialisation("query", style, False))[0]
    assert not reads_same("id", "7", Serialisation("path", "simple", False), Serialisation("path", "label", False))[0]
    assert read("q", "q=%22a%22", Serialisation("query", "content", False, media="application/json"), "scalar") == "a"
