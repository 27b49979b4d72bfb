"""Version 1 of the example orders service: a tiny real HTTP server (standard library only).

Implements ``contracts/orders-api/v1.yaml``: ``GET /orders/{orderId}`` returns the order, ``POST /orders`` creates
one. Orders are kept in memory; an unknown id is answered with a made-up order so that any id a client sends has a
well-formed answer (the live check sends generated ids).

    python examples/orders-service/server_v1.py --port 8001
"""

from __future__ import annotations

import argparse
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

ORDERS: dict[str, dict[str, Any]] = {}


def order(order_id: str, customer: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": order_id,
        "customer": customer,
        "items": [{"sku": str(i["sku"]), "quantity": int(i["quantity"])} for i in items],
        "status": "pending",
    }


class Handler(BaseHTTPRequestHandler):
    server_version = "orders/1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the check sends many requests
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
            found = ORDERS.get(order_id) or order(order_id, "someone@example.com", [{"sku": "A-1", "quantity": 2}])
            self.send_json(200, found)
            return
        self.send_json(404, {"error": "not found"})

    def do_POST(self) -> None:
        if self.path.split("?", 1)[0] != "/orders":
            self.send_json(404, {"error": "not found"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"null")
            created = order(f"o-{len(ORDERS) + 1}", str(body["customer"]), list(body["items"]))
        except (ValueError, KeyError, TypeError):
            self.send_json(400, {"error": "bad order"})
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
