"""Parameter and form field serialisation across OpenAPI 2.0 -> 3.0 -> 3.1: six Swagger 2.0 documents (formData with
every collectionFormat in urlencoded and multipart bodies, shared and path-level parameters, produces/consumes, file
uploads and downloads), their 3.0 conversions by swagger2openapi's rules (with the form fields' collectionFormat kept
as ``encoding``, which swagger2openapi drops) and 3.1 versions compare with no finding in either order; a conversion
that changes the wire form is found, in the directions it breaks, with the wire text the writer sends and what the
reader reads from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_cdcompat import Direction, compare
from pytest_cdcompat.kinds.schema.serialisation import (
    Serialisation,
    form_from_v2,
    form_from_v3,
    from_v2,
    from_v3,
    read,
    reads_same,
    write,
)

OLD = Direction.OLD_CONSUMER_NEW_PRODUCER
NEW = Direction.NEW_CONSUMER_OLD_PRODUCER
HERE = Path(__file__).parent / "openapi" / "serialisation"
VERSIONS = ("2.0", "3.0", "3.1")


def findings(report):
    return {d: [(f.rule, f.severity.value, f.location) for f in r.findings] for d, r in report.directions.items()}


@pytest.mark.parametrize("api", ["inventory", "media", "search", "signup", "uploads", "billing"])
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


# --- form fields: Swagger 2.0 formData collectionFormat against OpenAPI 3.x encoding ------------------------------

SIGNUP = "/paths/~1accounts/post/requestBody/content/application~1x-www-form-urlencoded"
UPLOAD = "/paths/~1documents/post/requestBody/content/multipart~1form-data"


def _without_encoding(text):
    """What swagger2openapi writes: the form fields' ``encoding`` dropped (Mermade/oas-kit#198), tsv kept."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        if line.strip() == "encoding:":
            skipping, indent = True, len(line) - len(line.lstrip())
            continue
        if skipping and line.strip() and len(line) - len(line.lstrip()) > indent:
            continue
        skipping = False
        out.append(line)
    return "".join(out)


def test_swagger2openapi_dropping_form_collection_formats_is_found_field_by_field(tmp_path):
    """swagger2openapi converts formData without its collectionFormat: every form array that was not ``multi`` is
    then read one item per field by the 3.0 server (old clients send ``roles=buyer,seller``) and sent one field per
    item by new clients (``roles=buyer&roles=seller``, which the old server reads as ``["buyer"]``)."""
    literal = tmp_path / "signup-s2o.yaml"
    literal.write_text(_without_encoding((HERE / "signup-3.0.yaml").read_text()))
    assert "encoding:" not in literal.read_text() and "x-collectionFormat: tsv" in literal.read_text()
    report = compare(HERE / "signup-2.0.yaml", literal, seed=8, examples=30)
    changed = {
        "roles": "explode",
        "phones": "explode",
        "langs": "style",
        "keywords": "style",
    }
    for direction in (OLD, NEW):
        got = {(f.rule, f.severity.value, f.location) for f in report.directions[direction].findings}
        want = {(f"request-form-field-{what}-changed", "error", f"{SIGNUP}/schema/properties/{name}")
                for name, what in changed.items()}  # fmt: skip
        want.add(("request-form-field-explode-changed", "error",
                  "/paths/~1accounts~1{id}~1tags/put/requestBody/content/application~1x-www-form-urlencoded/schema/"
                  "properties/tags"))  # fmt: skip
        assert got == want
    (roles,) = [f for f in report.directions[OLD].findings if f.location.endswith("/roles")]
    assert "form field 'roles' of application/x-www-form-urlencoded changed from style form, explode false to style " \
           "form, explode true: array values are read differently" in roles.message  # fmt: skip
    assert roles.counterexample["content_type"] == "application/x-www-form-urlencoded"
    assert roles.counterexample["body"]["roles"] == ["buyer", "seller"]
    assert (roles.counterexample["wire"], roles.counterexample["reader_reads"]) == ("roles=buyer,seller",
                                                                                    ["buyer,seller"])  # fmt: skip
    (roles,) = [f for f in report.directions[NEW].findings if f.location.endswith("/roles")]
    assert (roles.counterexample["wire"], roles.counterexample["reader_reads"]) == ("roles=buyer&roles=seller",
                                                                                    ["buyer"])  # fmt: skip
    assert report.deploy_order == "no safe order: expand and contract"


def test_csv_form_field_given_explode_true_in_3_0_breaks_old_clients_and_new_ones(tmp_path):
    """The client writes the form: old clients (2.0, csv) send ``phones=a,b`` to the new server, which reads one
    item per field; new clients send ``phones=a&phones=b`` to the old server, which reads the first field only."""
    v3 = (HERE / "signup-3.0.yaml").read_text()
    exploded = _variant(tmp_path, "new.yaml", v3, "phones: {style: form, explode: false}",
                        "phones: {style: form, explode: true}")  # fmt: skip
    report = compare(HERE / "signup-2.0.yaml", exploded, seed=9, examples=30)
    for direction, wire, reads in ((OLD, "phones=a,b", ["a,b"]), (NEW, "phones=a&phones=b", ["a"])):
        (f,) = report.directions[direction].findings
        assert (f.rule, f.severity.value, f.location) == (
            "request-form-field-explode-changed",
            "error",
            f"{SIGNUP}/encoding/phones",
        )
        assert "form field 'phones' of application/x-www-form-urlencoded changed from style form, explode false " \
               "to style form, explode true" in f.message  # fmt: skip
        assert (f.counterexample["wire"], f.counterexample["reader_reads"]) == (wire, reads)
        assert f.counterexample["body"]["email"] and f.counterexample["method"] == "POST"
    assert not report.compatible


def test_multi_form_field_turned_csv_in_a_multipart_body_is_found_with_its_parts(tmp_path):
    v3 = (HERE / "uploads-3.0.yaml").read_text()
    joined = _variant(
        tmp_path,
        "new.yaml",
        v3,
        "              pages: {style: pipeDelimited}\n",
        "              pages: {style: pipeDelimited}\n              reviewers: {explode: false}\n",
    )
    report = compare(HERE / "uploads-2.0.yaml", joined, seed=10, examples=30)
    parts = {
        OLD: ('--cdc\r\nContent-Disposition: form-data; name="reviewers"\r\n\r\na\r\n'
              '--cdc\r\nContent-Disposition: form-data; name="reviewers"\r\n\r\nb\r\n--cdc--\r\n', ["a"]),
        NEW: ('--cdc\r\nContent-Disposition: form-data; name="reviewers"\r\n\r\na,b\r\n--cdc--\r\n', ["a,b"]),
    }  # fmt: skip
    for direction in (OLD, NEW):
        (f,) = report.directions[direction].findings
        assert (f.rule, f.location) == ("request-form-field-explode-changed", f"{UPLOAD}/encoding/reviewers")
        assert "form field 'reviewers' of multipart/form-data changed from style form, explode true to style form, " \
               "explode false" in f.message  # fmt: skip
        assert (f.counterexample["wire"], f.counterexample["reader_reads"]) == parts[direction]
        assert f.counterexample["content_type"] == "multipart/form-data"


def test_a_form_change_breaks_only_the_direction_whose_client_sends_a_value_read_differently(tmp_path):
    """Old clients send at most one item, which reads the same either way; new clients may send two, exploded,
    which the old server (csv) reads as the first only."""
    head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /f:\n    post:\n      responses: {'204': " \
           "{description: ok}}\n      requestBody:\n        content:\n          application/x-www-form-urlencoded:\n" \
           "            schema: {type: object, properties: {ids: {type: array, items: {type: string}%s}}}\n"  # fmt: skip
    (tmp_path / "old.yaml").write_text(head % ", maxItems: 1" + "            encoding: {ids: {explode: false}}\n")
    (tmp_path / "new.yaml").write_text(head % "")
    report = compare(tmp_path / "old.yaml", tmp_path / "new.yaml", seed=11, examples=30,
                     only=frozenset({"request-form-field-explode-changed"}))  # fmt: skip
    assert not report.directions[OLD].findings
    (f,) = report.directions[NEW].findings
    assert f.location == "/paths/~1f/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/ids"
    assert (f.counterexample["wire"], f.counterexample["reader_reads"]) == ("ids=a&ids=b", ["a"])


def test_form_fields_of_2_0_and_3_x_meet_in_one_form():
    csv, multi = {"type": "array"}, {"type": "array", "collectionFormat": "multi"}
    for multipart in (False, True):
        assert form_from_v2(multipart, csv) == form_from_v3(multipart, {"explode": False}, {}, {"array"})
        assert form_from_v2(multipart, multi) == form_from_v3(multipart, None, {}, {"array"})
        assert form_from_v2(multipart, multi) == form_from_v3(multipart, {"style": "form"}, {}, {"array"})
        assert form_from_v2(multipart, {**csv, "collectionFormat": "pipes"}) == form_from_v3(
            multipart, {"style": "pipeDelimited"}, {}, {"array"}
        )
        assert form_from_v2(multipart, {**csv, "collectionFormat": "tsv"}) == form_from_v3(
            multipart, None, {"x-collectionFormat": "tsv"}, {"array"}
        )
        assert form_from_v2(multipart, {"type": "file"}) == form_from_v3(multipart, None, {}, {"scalar"})
    assert form_from_v2(True, csv).where == "multipart" and form_from_v2(False, csv).where == "form"
    # contentType: JSON when no style is given; an object part is JSON by default, an object field is exploded
    assert form_from_v3(False, {"contentType": "application/json"}, {}, {"array"}).media == "application/json"
    assert form_from_v3(False, {"contentType": "application/json", "explode": False}, {}, {"array"}).media is None
    assert form_from_v3(True, {"contentType": "text/plain"}, {}, {"scalar"}) == form_from_v3(True, None, {}, {"scalar"})
    assert form_from_v3(True, None, {}, {"object"}).media == "application/json"
    assert form_from_v3(False, None, {}, {"object"}).media is None
    assert form_from_v3(False, {"allowReserved": True}, {}, {"scalar"}).allow_reserved
    assert not form_from_v3(True, {"allowReserved": True}, {}, {"scalar"}).allow_reserved  # parts are not encoded


def test_multipart_parts_are_written_and_read_back():
    exploded, joined = Serialisation("multipart", "form", True), Serialisation("multipart", "form", False)
    assert write("t", ["a b", "c&d"], exploded) == (
        '--cdc\r\nContent-Disposition: form-data; name="t"\r\n\r\na b\r\n'
        '--cdc\r\nContent-Disposition: form-data; name="t"\r\n\r\nc&d\r\n--cdc--\r\n'
    )
    assert reads_same("t", ["a b", "c&d"], exploded, exploded)[0]
    assert reads_same("t", ["a", "b"], joined, joined)[0]
    assert read("t", write("t", ["a", "b"], joined), exploded, "array") == ["a,b"]
    as_json = Serialisation("multipart", "content", False, media="application/json")
    assert "Content-Type: application/json\r\n\r\n" + '{"a":"1"}' in write("o", {"a": "1"}, as_json)
    assert reads_same("o", {"a": "1"}, as_json, as_json)[0]
    assert not reads_same(
        "s", "a", Serialisation("form", "form", True), Serialisation("form", "content", False, media="application/json")
    )[0]


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
