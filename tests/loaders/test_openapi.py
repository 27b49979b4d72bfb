from __future__ import annotations

from pathlib import Path

import pytest

from pytest_cdcompat.core.errors import ContractLoadError
from pytest_cdcompat.core.model import Party
from pytest_cdcompat.core.settings import Settings
from pytest_cdcompat.kinds import load, open_source
from pytest_cdcompat.kinds.schema import Hasher, structural_hash

FIXTURES = Path(__file__).parent.parent / "fixtures" / "loaders"
HEAD = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\n'


def summary(contract):
    """Everything that matters about a contract, with schemas as structural hashes."""

    def slots(mapping):
        return {k: (s.required, s.deprecated, structural_hash(s.schema)) for k, s in mapping.items()}

    return {
        (key, name): (ch.deprecated, f.written_by, f.body_required, slots(f.params), slots(f.bodies))
        for key, ch in contract.channels.items()
        for name, f in ch.flows.items()
    }


def load_version(version):
    settings = Settings()
    return load(open_source(FIXTURES / "versions" / f"orders-{version}.yaml", settings), "openapi", settings)


def test_swagger_2_openapi_3_0_and_3_1_load_into_the_same_model():
    v2, v30, v31 = (load_version(v) for v in ("2.0", "3.0", "3.1"))
    assert (v2.version, v30.version, v31.version) == ("2.0", "3.0.3", "3.1.0")
    assert summary(v2) == summary(v30) == summary(v31)
    assert set(v30.channels) == {"GET /orders/{}", "POST /orders"}


def test_operation_shape():
    contract = load_version("3.0")
    get = contract.channels["GET /orders/{}"]
    assert get.title == "GET /orders/{orderId}"
    assert get.location == "/paths/~1orders~1{orderId}/get"
    assert list(get.flows) == ["request", "response:200", "response:404"]
    request = get.flows["request"]
    assert request.written_by is Party.CONSUMER and request.location == get.location
    assert set(request.params) == {"path:0", "query:expand", "header:x-request-id"}  # Accept is ignored
    assert request.params["path:0"].required and request.params["path:0"].name == "orderId"
    assert request.params["header:x-request-id"].name == "X-Request-Id"
    assert request.params["query:expand"].schema["enum"] == ["customer", "items"]
    assert request.bodies == {} and not request.body_required
    ok = get.flows["response:200"]
    assert ok.written_by is Party.PRODUCER and ok.location == get.location + "/responses/200"
    assert set(ok.params) == {"header:x-rate-limit"} and not ok.params["header:x-rate-limit"].required
    order = ok.bodies["application/json"].schema
    assert order["x-cdc-ref"] == "Order" and order["properties"]["parent"] is order
    assert order["properties"]["note"]["type"] == ["null", "string"]
    assert get.flows["response:404"].bodies == {}
    post = contract.channels["POST /orders"]
    assert post.deprecated and post.flows["request"].body_required
    assert post.flows["request"].bodies["application/json"].schema is order


def test_renamed_path_variables_give_equal_channel_keys(write, load_file):
    spec = (
        HEAD
        + """paths:
  /shops/{NAME}/orders/{ID}:
    get:
      parameters:
        - {name: ID, in: path, required: true, schema: {type: integer}}
        - {name: NAME, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: ok}}
"""
    )
    old = load_file(write({"old.yaml": spec.replace("NAME", "shop").replace("ID", "id")}))
    new = load_file(write({"new.yaml": spec.replace("NAME", "shopId").replace("ID", "orderId")}))
    assert list(old.channels) == list(new.channels) == ["GET /shops/{}/orders/{}"]
    assert summary(old) == summary(new)
    params = new.channels["GET /shops/{}/orders/{}"].flows["request"].params
    assert params["path:0"].name == "shopId" and params["path:0"].schema["type"] == ["string"]
    assert params["path:1"].name == "orderId" and params["path:1"].schema["type"] == ["integer"]


def test_parameters_merge_operation_wins_and_content_parameters(write, load_file):
    contract = load_file(
        write(
            {
                "api.yaml": HEAD
                + """paths:
  /a:
    parameters:
      - {name: limit, in: query, schema: {type: integer}}
      - {name: sid, in: cookie, required: true, schema: {type: string}}
    post:
      parameters:
        - {name: limit, in: query, required: true, deprecated: true, schema: {type: string}}
        - name: filter
          in: query
          content: {application/json: {schema: {type: object, properties: {q: {type: string}}}}}
        - {name: Content-Type, in: header, schema: {type: string}}
        - {name: Authorization, in: header, schema: {type: string}}
      requestBody:
        content:
          application/json: {}
          text/plain: {schema: {type: string}}
      responses:
        2XX: {description: ok, headers: {X-Id: {required: true, schema: {type: string}}}}
        default: {description: error}
"""
            }
        )
    )
    channel = contract.channels["POST /a"]
    request = channel.flows["request"]
    assert set(request.params) == {"query:limit", "query:filter", "cookie:sid"}
    limit = request.params["query:limit"]
    assert limit.required and limit.deprecated and limit.schema["type"] == ["string"]
    assert request.params["query:filter"].schema["properties"]["q"]["type"] == ["string"]
    assert request.bodies["application/json"].schema is True
    assert request.bodies["text/plain"].schema["type"] == ["string"]
    assert not request.body_required
    assert list(channel.flows) == ["request", "response:2XX", "response:default"]
    assert channel.flows["response:2XX"].params["header:x-id"].required


def test_unquoted_status_codes(write, load_file):
    contract = load_file(write({"api.yaml": HEAD + "paths:\n  /a:\n    get:\n      responses:\n"
                                "        200: {description: ok}\n"}))  # fmt: skip
    assert list(contract.channels["GET /a"].flows) == ["request", "response:200"]


def test_swagger_form_data(write, load_file):
    contract = load_file(
        write(
            {
                "api.yaml": """swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /upload:
    post:
      consumes: [multipart/form-data]
      parameters:
        - {name: file, in: formData, type: file, required: true}
        - {name: note, in: formData, type: string, maxLength: 10}
      responses: {'204': {description: done}}
  /form:
    post:
      parameters:
        - {name: q, in: formData, type: integer}
      responses: {'204': {description: done}}
"""
            }
        )
    )
    upload = contract.channels["POST /upload"].flows["request"]
    body = upload.bodies["multipart/form-data"]
    assert upload.body_required and body.required
    assert body.schema["required"] == ["file"]
    assert body.schema["properties"]["note"]["maxLength"] == 10
    form = contract.channels["POST /form"].flows["request"]
    assert set(form.bodies) == {"application/x-www-form-urlencoded"} and not form.body_required


def test_webhooks_and_callbacks_reverse_the_parties(write, load_file):
    contract = load_file(
        write(
            {
                "api.yaml": """openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /subscribe:
    post:
      responses: {'201': {description: ok}}
      callbacks:
        onEvent:
          '{$request.body#/url}':
            post:
              requestBody: {content: {application/json: {schema: {type: string}}}}
              responses: {'200': {description: ok}}
webhooks:
  orderPaid:
    post:
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses: {'200': {description: ok}}
"""
            }
        )
    )
    hook = contract.channels["WEBHOOK orderPaid POST"]
    assert hook.location == "/webhooks/orderPaid/post"
    assert hook.flows["request"].written_by is Party.PRODUCER
    assert hook.flows["response:200"].written_by is Party.CONSUMER
    callback = contract.channels["CALLBACK POST /subscribe onEvent {$request.body#/url} POST"]
    assert callback.flows["request"].written_by is Party.PRODUCER
    assert callback.location == "/paths/~1subscribe/post/callbacks/onEvent/{$request.body#~1url}/post"


@pytest.mark.parametrize(
    ("spec", "pointer", "message"),
    [
        ("openapi: 3.0.3\npaths: {}\n", "at /:", "'info' is a required property"),
        (
            HEAD + "paths:\n  /a:\n    get:\n      responses: {'200': {}}\n",
            "at /paths/~1a/get/responses/200",
            "description",
        ),
        (
            HEAD + "paths:\n  /a:\n    get:\n      parameters: [{name: x, in: body, schema: {}}]\n"
            "      responses: {'200': {description: ok}}\n",
            "at /paths/~1a/get/parameters/0",
            "'body'",
        ),
        ("openapi: 4.0.0\ninfo: {title: t, version: '1'}\n", "at /openapi", "unsupported OpenAPI version"),
        ("swagger: '1.2'\n", "at /swagger", "unsupported Swagger version"),
    ],
)
def test_invalid_openapi_is_one_error_with_a_pointer(write, load_file, spec, pointer, message):
    with pytest.raises(ContractLoadError) as info:
        load_file(write({"api.yaml": spec}))
    text = str(info.value)
    assert "api.yaml" in text and pointer in text and message in text


def test_top_level_must_be_a_mapping(write, load_file):
    with pytest.raises(ContractLoadError, match="the top level is a list, expected a mapping"):
        load_file(write({"api.yaml": "- openapi\n- 3.0.0\n"}))


def test_empty_file(write, load_file):
    with pytest.raises(ContractLoadError, match="the file is empty"):
        load_file(write({"api.yaml": ""}))


def test_large_cyclic_spec_loads(write, load_file):
    """Hundreds of schemas referencing each other in cycles (Stripe-like) load, each shared component hashed once (time: benchmarks/)."""

    n = 400
    lines = [HEAD, "paths:\n"]
    for i in range(0, n, 4):
        lines.append(
            f"  /r{i}/{{id}}:\n    get:\n      parameters: [{{name: id, in: path, required: true, "
            f"schema: {{type: string}}}}]\n      responses:\n        '200':\n          description: ok\n"
            f"          content: {{application/json: {{schema: {{$ref: '#/components/schemas/S{i}'}}}}}}\n"
        )
    lines.append("components:\n  schemas:\n")
    for i in range(n):
        lines.append(
            f"    S{i}:\n      type: object\n      properties:\n"
            f"        next: {{$ref: '#/components/schemas/S{(i + 1) % n}'}}\n"
            f"        back: {{nullable: true, allOf: [{{$ref: '#/components/schemas/S{(i * 7) % n}'}}]}}\n"
            f"        list: {{type: array, items: {{$ref: '#/components/schemas/S{(i * 13) % n}'}}}}\n"
        )
    path = write({"big.yaml": "".join(lines)})
    contract = load_file(path)
    flows = [f for ch in contract.channels.values() for f in ch.flows.values()]
    hasher = Hasher()  # one per contract: the shared component is hashed once
    hashes = {hasher.hash(s.schema) for f in flows for s in f.bodies.values()}
    assert len(contract.channels) == n // 4 and len(hashes) >= 1
    s0 = contract.channels["GET /r0/{}"].flows["response:200"].bodies["application/json"].schema
    assert s0["properties"]["next"]["properties"]["next"]["x-cdc-ref"] == "S2"
    assert s0["properties"]["back"]["type"] == ["null", "object"]


def test_swagger_x_nullable_next_to_a_ref(write, load_file):
    contract = load_file(
        write(
            {
                "api.yaml": """swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          schema:
            type: object
            properties:
              maybe: {$ref: '#/definitions/S', x-nullable: true}
              sure: {$ref: '#/definitions/S'}
definitions:
  S: {type: string}
"""
            }
        )
    )
    props = contract.channels["GET /a"].flows["response:200"].bodies["application/json"].schema["properties"]
    assert props["maybe"]["type"] == ["null", "string"] and props["maybe"]["x-cdc-ref"] == "S"
    assert props["sure"]["type"] == ["string"]
