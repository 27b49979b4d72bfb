"""OpenAPI validation off the critical path: jsonschema-rs answers "valid?", jsonschema words the error.

Invalid documents must get the same one-line error with and without the fast validator, a document the fast
validator cannot take (YAML dates) falls back to jsonschema, and the meta-schemas load without importing
openapi-spec-validator.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from pytest_cdcompat.core.errors import ContractLoadError
from pytest_cdcompat.core.settings import Settings
from pytest_cdcompat.kinds import load
from pytest_cdcompat.kinds.openapi import openapi_loader
from pytest_cdcompat.sources.source import file_source

HEAD = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\n'
HEAD31 = 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\n'
SWAGGER = 'swagger: "2.0"\ninfo: {title: t, version: "1"}\n'

INVALID = [
    ("openapi: 3.0.3\npaths: {}\n", "at /: invalid OpenAPI 3.0.3: 'info' is a required property"),
    (
        HEAD + "paths:\n  /a:\n    get:\n      responses: {'200': {}}\n",
        "at /paths/~1a/get/responses/200: invalid OpenAPI 3.0.3: 'description' is a required property",
    ),
    (
        HEAD + "paths:\n  /a:\n    get:\n      parameters: [{name: x, in: body, schema: {}}]\n"
        "      responses: {'200': {description: ok}}\n",
        "at /paths/~1a/get/parameters/0: invalid OpenAPI 3.0.3: {'name': 'x', 'in': 'body', 'schema': {}} is not valid",
    ),
    (
        HEAD31 + "paths:\n  /a:\n    get:\n      responses: {'200': {description: 5}}\n",
        "at /paths/~1a/get/responses/200/description: invalid OpenAPI 3.1.0: 5 is not of type 'string'",
    ),
    (
        SWAGGER + "paths:\n  /a:\n    get:\n      responses: {'200': {}}\n",
        "at /paths/~1a/get/responses/200: invalid OpenAPI 2.0: 'description' is a required property",
    ),
]


def _load(tmp_path, text: str, name: str = "api.yaml"):
    path = tmp_path / name
    path.write_text(text)
    settings = Settings(root=tmp_path)
    return load(file_source(path, root=tmp_path), "openapi", settings)


def _error(tmp_path, text: str) -> str:
    with pytest.raises(ContractLoadError) as info:
        _load(tmp_path, text)
    return str(info.value)


@pytest.fixture
def without_fast(monkeypatch):
    monkeypatch.setattr(openapi_loader, "_fast_validator", lambda family: None)


needs_fast = pytest.mark.skipif(openapi_loader._fast_validator("3.0") is None, reason="jsonschema-rs not installed")


@pytest.mark.parametrize(("spec", "expected"), INVALID)
def test_invalid_documents_get_the_jsonschema_message_without_the_fast_validator(
    tmp_path, without_fast, spec, expected
):
    text = _error(tmp_path, spec)
    assert text.startswith(str(tmp_path / "api.yaml"))
    assert expected in text


@needs_fast
@pytest.mark.parametrize(("spec", "expected"), INVALID)
def test_invalid_documents_get_the_same_message_with_the_fast_validator(tmp_path, monkeypatch, spec, expected):
    with_fast = _error(tmp_path, spec)
    assert expected in with_fast
    monkeypatch.setattr(openapi_loader, "_fast_validator", lambda family: None)
    assert _error(tmp_path, spec) == with_fast


@needs_fast
@pytest.mark.parametrize("head", [HEAD, HEAD31, SWAGGER])
def test_a_valid_document_is_not_checked_again_with_jsonschema(tmp_path, monkeypatch, head):
    def refuse(family):
        raise AssertionError("the slow validator ran on a valid document")

    monkeypatch.setattr(openapi_loader, "_meta_validator", refuse)
    spec = head + f"paths:\n  /only-{len(head)}:\n    get:\n      responses: {{'200': {{description: ok}}}}\n"
    contract = _load(tmp_path, spec)
    assert any(key.startswith("GET /only-") for key in contract.channels)


def test_the_fast_verdict_is_not_trusted_alone_when_it_says_invalid(tmp_path, monkeypatch):
    """The fast validator saying "invalid" only triggers jsonschema; jsonschema's verdict decides."""

    class Rejects:
        def is_valid(self, doc):
            return False

    monkeypatch.setattr(openapi_loader, "_fast_validator", lambda family: Rejects())
    spec = HEAD + "paths:\n  /judged:\n    get:\n      responses: {'200': {description: ok}}\n"
    assert "GET /judged" in _load(tmp_path, spec).channels


def test_values_the_fast_validator_cannot_take_fall_back_to_jsonschema(tmp_path, monkeypatch):
    class Raises:
        def is_valid(self, doc):
            raise ValueError("unsupported type: datetime.date")

    monkeypatch.setattr(openapi_loader, "_fast_validator", lambda family: Raises())
    spec = HEAD + "paths:\n  /a:\n    get:\n      responses: {'200': {}}\n"
    assert "at /paths/~1a/get/responses/200: invalid OpenAPI 3.0.3: 'description'" in _error(tmp_path, spec)


def test_meta_schemas_load_without_importing_openapi_spec_validator(tmp_path):
    path = tmp_path / "api.yaml"
    path.write_text(HEAD + "paths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n")
    code = (
        "import sys\n"
        "from pytest_cdcompat import compare\n"
        f"compare({str(path)!r}, {str(path)!r}, examples=0, seed=1)\n"
        "assert 'openapi_spec_validator' not in sys.modules, 'imported openapi_spec_validator'\n"
        "assert 'requests' not in sys.modules, 'imported requests'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


JSON_SCHEMA_INVALID = [
    ('{"type": "strnig"}', "at /type: invalid JSON Schema: 'strnig' is not valid under any of the given schemas"),
    ('{"properties": {"a": {"minLength": -1}}}', "at /properties/a/minLength: invalid JSON Schema: -1 is less than"),
    (
        '{"$schema": "http://json-schema.org/draft-04/schema#", "required": []}',
        "at /required: invalid JSON Schema: [] should be non-empty",
    ),
]


@pytest.mark.parametrize(("text", "expected"), JSON_SCHEMA_INVALID)
def test_invalid_json_schemas_get_the_same_message_with_and_without_the_fast_validator(
    tmp_path, monkeypatch, text, expected
):
    from pytest_cdcompat.kinds.schema import metavalid

    path = tmp_path / "s.json"
    path.write_text(text)

    def message():
        with pytest.raises(ContractLoadError) as info:
            load(file_source(path, root=tmp_path), "jsonschema", Settings(root=tmp_path))
        return str(info.value)

    first = message()
    assert expected in first
    monkeypatch.setattr(metavalid, "fast_validator", lambda key, meta: None)
    monkeypatch.setattr("pytest_cdcompat.kinds.jsonschema.jsonschema_loader.fast_validator", lambda key, meta: None)
    assert message() == first


def test_a_large_valid_json_schema_is_judged_by_the_fast_validator(tmp_path, monkeypatch):
    """20,000 properties: jsonschema's meta-validation alone took seconds; with the extra it is not run."""
    import json

    import jsonschema

    if openapi_loader._fast_validator("3.0") is None:
        pytest.skip("jsonschema-rs not installed")
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"type": "object", "properties": {f"p{i}": {"type": "string"} for i in range(20000)}}))

    def refuse(errors, *args, **kwargs):
        raise AssertionError("jsonschema validated a valid document")

    monkeypatch.setattr(jsonschema.exceptions, "best_match", refuse)
    contract = load(file_source(path, root=tmp_path), "jsonschema", Settings(root=tmp_path))
    assert len(contract.channels["message"].flows["message"].bodies["message"].schema["properties"]) == 20000
