"""Version 2 of the example orders service: what ``contracts/orders-api/v2.yaml`` describes, with two behaviour
changes that the specification does not show.

- ``GET /orders/{id}`` now returns each item's ``quantity`` as a string (``"2"``): the spec still says integer,
  so old clients that read a number break, although v1 -> v2 is a safe step on paper.
- ``POST /orders`` answers 500 for an order of more than three items (a new, buggy validation path).

    python examples/orders-service/server_v2.py --port 8002
"""

from __future__ import annotations

import argparse
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

ORDERS: dict[str, dict[str, Any]] = {}
MAX_ITEMS = 3


def order(order_id: str, customer: str, items: list[dict[str, Any]], customer_id: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": order_id,
        "customer": customer,
        "items": [{"sku": str(i["sku"]), "quantity": str(i["quantity"])} for i in items],  # the behaviour change
        "status": "pending",
    }
    if customer_id is not None:
        out["customer_id"] = customer_id
    return out


class Handler(BaseHTTPRequestHandler):
    server_version = "orders/2"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_json(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        parts = self.path.split("?", 1)[0].split("/")
        if len(parts) == 3 and parts[1] == "orders" and parts[2]:
            order_id = unquote(parts[2])
            default = order(order_id, "someone@example.com", [{"sku": "A-1", "quantity": 2}], "c-1")
            self.send_json(200, ORDERS.get(order_id) or default)
            return
        self.send_json(404, {"error": "not found"})

    def do_POST(self) -> None:
        if self.path.split("?", 1)[0] != "/orders":
            self.send_json(404, {"error": "not found"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"null")
            items = list(body["items"])
            if len(items) > MAX_ITEMS:
                raise RuntimeError("too many items")  # the bug: a 500 instead of a 201
            created = order(f"o-{len(ORDERS) + 1}", str(body["customer"]), items, body.get("customer_id"))
        except (ValueError, KeyError, TypeError):
            self.send_json(400, {"error": "bad order"})
            return
        except RuntimeError:
            self.send_json(500, {"error": "internal error"})
            return
        ORDERS[created["id"]] = created
        self.send_json(201, created)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
