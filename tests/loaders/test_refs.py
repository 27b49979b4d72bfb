from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from pytest_cdcompat.core.errors import ContractLoadError, RefError
from pytest_cdcompat.core.settings import Settings
from pytest_cdcompat.kinds import load, open_source
from pytest_cdcompat.sources.source import git_source

FIXTURES = Path(__file__).parent.parent / "fixtures" / "loaders"

API = """openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: SCHEMA
"""


def api(schema: str) -> str:
    return API.replace("SCHEMA", schema)


def body(contract, key="GET /a", flow="response:200"):
    return contract.channels[key].flows[flow].bodies["application/json"].schema


def test_multi_file_refs_resolve_with_locations():
    contract = load(open_source(FIXTURES / "multi" / "api.yaml", Settings()), "openapi", Settings())
    flows = contract.channels["GET /orders"].flows
    limit = flows["request"].params["query:limit"]
    assert limit.location == "common.yaml#/components/parameters/Limit"
    assert limit.schema == {
        "type": ["integer"], "minimum": 1, "maximum": 100,
        "x-cdc-loc": "common.yaml#/components/schemas/Count", "x-cdc-ref": "Count",
    }  # fmt: skip
    order = body(contract, "GET /orders")["items"]
    assert order["x-cdc-loc"] == "schemas/order.json#"
    assert order["x-cdc-ref"] == "order"
    money = order["properties"]["total"]
    assert money["x-cdc-loc"] == "common.yaml#/components/schemas/Money" and money["x-cdc-ref"] == "Money"
    assert money["properties"]["currency"]["enum"] == ["eur", "usd"]
    line = order["properties"]["lines"]["items"]
    assert line["x-cdc-loc"] == "schemas/order.json#/$defs/line"
    assert line["properties"]["parent"] is order  # "#" inside order.json is order.json itself


def test_recursive_schema_becomes_a_cycle(write, load_file):
    path = write(
        {
            "api.yaml": api("{$ref: '#/components/schemas/Node'}")
            + """components:
  schemas:
    Node:
      type: object
      properties:
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
        next: {$ref: '#/components/schemas/Node'}
"""
        }
    )
    node = body(load_file(path))
    assert node["properties"]["children"]["items"] is node
    assert node["properties"]["next"] is node
    assert node["x-cdc-ref"] == "Node" and node["x-cdc-loc"] == "/components/schemas/Node"


def test_shared_target_is_one_object(write, load_file):
    path = write(
        {
            "api.yaml": api(
                "{type: object, properties: {a: {$ref: '#/components/schemas/S'}, b: {$ref: '#/components/schemas/S'}}}"
            )
            + """components:
  schemas:
    S: {type: string}
"""
        }
    )
    schema = body(load_file(path))
    assert schema["properties"]["a"] is schema["properties"]["b"]


def test_id_and_anchor_refs(write, load_file):
    path = write(
        {
            "s.json": """{
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "$id": "https://example.com/root.json",
      "type": "object",
      "properties": {
        "a": {"$ref": "item.json"},
        "b": {"$ref": "#thing"},
        "c": {"$ref": "https://example.com/root.json#/$defs/plain"}
      },
      "$defs": {
        "item": {"$id": "item.json", "type": "integer"},
        "thing": {"$anchor": "thing", "type": "boolean"},
        "plain": {"type": "null"}
      }
    }"""
        }
    )
    schema = load_file(path, "jsonschema").channels["message"].flows["message"].bodies["message"].schema
    props = schema["properties"]
    assert props["a"]["type"] == ["integer"] and props["a"]["x-cdc-loc"] == "/$defs/item"
    assert props["b"]["type"] == ["boolean"] and props["b"]["x-cdc-loc"] == "/$defs/thing"
    assert props["b"]["x-cdc-ref"] == "thing"
    assert props["c"]["type"] == ["null"] and props["c"]["x-cdc-ref"] == "plain"


def test_ref_siblings_apply_from_2019_09(write, load_file):
    path = write(
        {
            "s.json": """{
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "properties": {"a": {"$ref": "#/$defs/s", "maxLength": 3, "description": "ignored"}},
      "$defs": {"s": {"type": "string"}}
    }"""
        }
    )
    schema = load_file(path, "jsonschema").channels["message"].flows["message"].bodies["message"].schema
    a = schema["properties"]["a"]
    assert a["maxLength"] == 3 and a["allOf"][0]["type"] == ["string"]
    assert "description" not in a


def test_unresolvable_ref_names_file_pointer_and_target(write, load_file):
    path = write({"api.yaml": api("{$ref: '#/components/schemas/Missing'}") + "components: {schemas: {}}\n"})
    with pytest.raises(RefError) as info:
        load_file(path)
    message = str(info.value)
    assert "api.yaml" in message
    assert "/paths/~1a/get/responses/200/content/application~1json/schema/$ref" in message
    assert "#/components/schemas/Missing" in message


def test_missing_referenced_file(write, load_file):
    path = write({"api.yaml": api("{$ref: 'nope.yaml#/X'}")})
    with pytest.raises(RefError, match=re.escape("nope.yaml: file not found")) as info:
        load_file(path)
    assert "api.yaml" in str(info.value)


def test_error_inside_a_referenced_file_names_that_file(write, load_file):
    path = write({"api.yaml": api("{$ref: 'other.yaml#/X'}"), "other.yaml": "X: {a: [1, 2\n"})
    with pytest.raises(ContractLoadError, match=re.escape("other.yaml:2")) as info:
        load_file(path)
    assert "invalid YAML" in str(info.value)


def test_remote_ref_is_refused_without_opt_in(write, load_file, monkeypatch):
    import requests

    def no_network(*args, **kwargs):
        raise AssertionError("network access")

    monkeypatch.setattr(requests, "get", no_network)
    path = write({"api.yaml": api("{$ref: 'https://example.com/schemas.yaml#/Order'}")})
    refused = re.escape("remote $ref 'https://example.com/schemas.yaml#/Order' refused")
    with pytest.raises(RefError, match=refused) as info:
        load_file(path)
    assert "api.yaml" in str(info.value) and "/schema/$ref" in str(info.value)


def test_remote_ref_is_fetched_with_opt_in(write, load_file, monkeypatch):
    import requests

    class Response:
        content = b"Order: {type: string, maxLength: 4}\n"

        def raise_for_status(self):
            pass

    calls = []

    def fake_get(url, timeout):
        calls.append((url, timeout))
        return Response()

    monkeypatch.setattr(requests, "get", fake_get)
    path = write({"api.yaml": api("{$ref: 'https://example.com/schemas.yaml#/Order'}")})
    schema = body(load_file(path, allow_remote_refs=True))
    assert schema["maxLength"] == 4
    assert calls == [("https://example.com/schemas.yaml", 10)]


def test_ref_leaving_the_repository_is_refused(write, tmp_path):
    path = write({"repo/api.yaml": api("{$ref: '../../secrets.yaml#/X'}")})
    settings = Settings(root=tmp_path / "repo")
    with pytest.raises(RefError, match="leaves the repository") as info:
        load(open_source(path, settings), "openapi", settings)
    assert "api.yaml" in str(info.value) and "/schema/$ref" in str(info.value)


def test_absolute_file_ref_is_refused(write, load_file):
    path = write({"api.yaml": api("{$ref: '/etc/passwd'}")})
    with pytest.raises(RefError, match="outside the repository"):
        load_file(path)


def test_circular_pure_ref_chain(write, load_file):
    path = write(
        {
            "api.yaml": api("{$ref: '#/components/schemas/A'}")
            + """components:
  schemas:
    A: {$ref: '#/components/schemas/B'}
    B: {$ref: '#/components/schemas/A'}
"""
        }
    )
    with pytest.raises(RefError, match="circular"):
        load_file(path)


def test_discriminator_mapping_resolved(write, load_file):
    path = write(
        {
            "api.yaml": api("{$ref: '#/components/schemas/Pet'}")
            + """components:
  schemas:
    Pet:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator:
        propertyName: kind
        mapping: {cat: Cat, dog: '#/components/schemas/Dog'}
    Cat: {type: object, properties: {kind: {type: string}}}
    Dog: {type: object, properties: {kind: {type: string}, bark: {type: boolean}}}
"""
        }
    )
    pet = body(load_file(path))
    mapping = pet["discriminator"]["mapping"]
    assert mapping["cat"] is pet["oneOf"][0] and mapping["dog"] is pet["oneOf"][1]
    assert pet["discriminator"]["propertyName"] == "kind"


def git(repo, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_git_source_reads_file_and_its_ref_from_the_commit(tmp_path):
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "t@example.com")
    git(repo, "config", "user.name", "t")
    (repo / "specs" / "api.yaml").write_text(api("{$ref: 'common.yaml#/Order'}"))
    (repo / "specs" / "common.yaml").write_text("Order: {type: string, maxLength: 5}\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "v1")
    (repo / "specs" / "common.yaml").write_text("Order: {type: integer}\n")  # the work tree moved on
    (repo / "specs" / "api.yaml").unlink()
    source = git_source("HEAD", "specs/api.yaml", cwd=repo)
    assert source.label == "HEAD:specs/api.yaml"
    contract = load(source, "openapi", Settings())
    schema = body(contract)
    assert schema["type"] == ["string"] and schema["maxLength"] == 5
    assert schema["x-cdc-loc"] == "common.yaml#/Order"
    assert contract.source == "HEAD:specs/api.yaml"


def test_git_source_missing_ref_target(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "t@example.com")
    git(repo, "config", "user.name", "t")
    (repo / "api.yaml").write_text(api("{$ref: 'common.yaml#/Order'}"))
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "v1")
    (repo / "common.yaml").write_text("Order: {type: integer}\n")  # only in the work tree, not in HEAD
    with pytest.raises(RefError, match=re.escape("HEAD:common.yaml: file not found")):
        load(git_source("HEAD", "api.yaml", cwd=repo), "openapi", Settings())


def test_id_and_anchor_inside_openapi_3_1_components(write, load_file):
    path = write(
        {
            "api.yaml": """openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  money: {$ref: 'https://example.com/schemas/money'}
                  code: {$ref: '#currency'}
                  amount: {$ref: 'https://example.com/schemas/money#/properties/amount'}
components:
  schemas:
    Money:
      $id: https://example.com/schemas/money
      type: object
      properties:
        amount: {type: integer}
    Currency:
      $anchor: currency
      type: string
      enum: [eur]
"""
        }
    )
    props = body(load_file(path))["properties"]
    assert props["money"]["x-cdc-loc"] == "/components/schemas/Money"
    assert props["code"]["enum"] == ["eur"] and props["code"]["x-cdc-loc"] == "/components/schemas/Currency"
    assert props["amount"] is props["money"]["properties"]["amount"]
