"""OpenAPI 2.0 -> 3.0 -> 3.1 upgrades: formData and ``type: file`` as requestBody content, collectionFormat as
style/explode, consumes/produces as content, x-nullable -> nullable -> type lists, boolean exclusiveMinimum -> a
number. An upgrade that changes nothing on the wire is no finding, in either order; a change made during the upgrade
is still found."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_cdcompat import Direction, compare

OLD = Direction.OLD_CONSUMER_NEW_PRODUCER
NEW = Direction.NEW_CONSUMER_OLD_PRODUCER
HERE = Path(__file__).parent / "openapi"
VERSIONS = ("2.0", "3.0", "3.1")


def findings(report):
    return {d: [(f.rule, f.location) for f in r.findings] for d, r in report.directions.items()}


@pytest.mark.parametrize("old", VERSIONS)
@pytest.mark.parametrize("new", VERSIONS)
def test_an_upgrade_that_changes_nothing_on_the_wire_is_no_finding(old, new):
    report = compare(HERE / f"pets-{old}.yaml", HERE / f"pets-{new}.yaml", seed=1, examples=30)
    assert findings(report) == {OLD: [], NEW: []}
    assert report.compatible


def test_a_converted_form_body_stays_required_when_its_fields_are(tmp_path):
    """swagger2openapi leaves requestBody optional for formData: an absent form is an empty one, which misses the
    required field either way. A form without required fields is optional in both versions."""
    v3 = (HERE / "pets-3.0.yaml").read_text()
    loose = v3.replace("              required: [name]\n              properties:\n                name:",
                       "              properties:\n                name:")  # fmt: skip
    assert loose != v3
    (tmp_path / "new.yaml").write_text(loose)
    report = compare(HERE / "pets-2.0.yaml", tmp_path / "new.yaml", seed=2, examples=30)
    # new clients may leave out `name` (and so the whole form), which the old server requires
    assert sorted((f.rule, f.location) for f in report.directions[NEW].findings) == [
        ("body-became-optional", "/paths/~1pets~1{petId}~1rename/post"),
        ("property-became-optional", "/paths/~1pets~1{petId}~1rename/post/requestBody/content/"
         "application~1x-www-form-urlencoded/schema/properties/name"),
    ]  # fmt: skip
    assert findings(report)[OLD] == []


def test_a_change_made_during_the_upgrade_is_found(tmp_path):
    v31 = (HERE / "pets-3.1.yaml").read_text()
    narrowed = v31.replace("caption: {type: string, maxLength: 200}", "caption: {type: string, maxLength: 100}")
    assert narrowed != v31
    (tmp_path / "new.yaml").write_text(narrowed)
    report = compare(HERE / "pets-2.0.yaml", tmp_path / "new.yaml", seed=3, examples=30)
    (f,) = report.directions[OLD].findings  # the new server rejects the long captions old clients send
    assert f.rule == "max-length-decreased"
    assert f.location == (
        "/paths/~1pets~1{petId}~1photo/post/requestBody/content/multipart~1form-data/schema/properties/caption/maxLength"
    )
    assert f.message == "maxLength changed from 200 to 100"
    assert len(f.counterexample["body"]["caption"]) > 100
    assert findings(report)[NEW] == []


def _download(schema_2_0: str, content_3: str) -> tuple[str, str]:
    v2 = (
        "swagger: '2.0'\ninfo: {title: f, version: '1'}\nproduces: [application/pdf]\npaths:\n"
        "  /files/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true, type: string}]\n"
        f"      responses:\n        '200': {{description: ok, schema: {schema_2_0}}}\n"
    )
    v3 = (
        "openapi: 3.0.3\ninfo: {title: f, version: '1'}\npaths:\n  /files/{id}:\n    get:\n"
        "      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n"
        f"      responses:\n        '200':\n          description: ok\n          content:\n            {content_3}\n"
    )
    return v2, v3


@pytest.mark.parametrize(
    "content",
    [
        "application/pdf: {schema: {type: string, format: binary}}",  # swagger2openapi's 3.0 output
        "application/pdf: {schema: {type: string, contentMediaType: application/pdf}}",  # 3.1's spelling
        "application/pdf: {}",  # 3.x content without a schema
    ],
)
def test_a_file_response_is_bytes_in_every_spelling(tmp_path, content):
    v2, v3 = _download("{type: file}", content)
    (tmp_path / "v2.yaml").write_text(v2)
    (tmp_path / "v3.yaml").write_text(v3.replace("3.0.3", "3.1.0") if "contentMediaType" in content else v3)
    for old, new in (("v2", "v3"), ("v3", "v2")):
        report = compare(tmp_path / f"{old}.yaml", tmp_path / f"{new}.yaml", seed=4, examples=30)
        assert findings(report) == {OLD: [], NEW: []}, (old, new)


def test_a_json_string_body_is_not_read_as_bytes(tmp_path):
    # in a JSON body, ``format: binary`` says nothing about bytes: the value is a JSON string, and an object is not
    _, v3 = _download("{type: file}", "application/json: {schema: {type: string, format: binary}}")
    (tmp_path / "old.yaml").write_text(v3)
    (tmp_path / "new.yaml").write_text(v3.replace("{type: string, format: binary}", "{type: object}"))
    report = compare(tmp_path / "old.yaml", tmp_path / "new.yaml", seed=4, examples=30)
    assert ("type-changed", "/paths/~1files~1{id}/get/responses/200/content/application~1json/schema/type") in (
        findings(report)[OLD]
    )


@pytest.mark.parametrize("old", VERSIONS)
@pytest.mark.parametrize("new", VERSIONS)
def test_the_changelog_of_an_upgrade_lists_nothing(old, new):
    """Elements are matched by what they are in the model (operation, response, media type, path in the schema),
    not by their pointer: a 2.0 response schema is its 3.0 content entries, one per produced media type."""
    from pytest_cdcompat.report.changelog import changelog

    log = changelog(HERE / f"pets-{old}.yaml", HERE / f"pets-{new}.yaml", examples=0)
    assert [(e.rule, e.location) for e in log.entries] == []


def test_the_changelog_of_an_upgrade_still_lists_a_real_change(tmp_path):
    from pytest_cdcompat.report.changelog import changelog

    v30 = (HERE / "pets-3.0.yaml").read_text()
    (tmp_path / "new.yaml").write_text(
        v30.replace("        '404':\n", "        '410':\n          description: gone\n        '404':\n", 1)
    )
    log = changelog(HERE / "pets-2.0.yaml", tmp_path / "new.yaml", examples=0)
    assert [(e.rule, e.message) for e in log.entries] == [
        ("response-status-added", "GET /pets/{petId}: response status 410 was added")
    ]
