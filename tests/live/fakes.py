"""A small configurable HTTP server for the live bad-input tests (standard library only, loopback only).

``python fakes.py MODE --port N``: ``ok`` answers ``{"id": ...}``; ``text`` answers a non-JSON body labelled JSON;
``big`` answers a 200 kB body; ``redirect`` redirects to another host; ``auth`` answers 401 unless the request
carries ``Authorization: Bearer s3cret``; ``slow`` waits before answering. ``SPEC`` is the OpenAPI document they
implement.
"""

from __future__ import annotations

import argparse
import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SPEC = """openapi: 3.1.0
info: {title: Things, version: 1.0.0}
paths:
  /things/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, minLength: 1, maxLength: 5}}
      responses:
        '200':
          description: a thing
          content:
            application/json:
              schema:
                type: object
                required: [id]
                properties:
                  id: {type: string}
"""


class Handler(BaseHTTPRequestHandler):
    mode = "ok"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def answer(self, status: int, body: bytes, ctype: str = "application/json", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        mode = self.mode
        ident = self.path.rstrip("/").rsplit("/", 1)[-1]
        if mode == "text":
            self.answer(200, b"<html>oops</html>")
        elif mode == "big":
            self.answer(200, json.dumps({"id": "x" * 200_000}).encode())
        elif mode == "redirect" and self.path.startswith("/things/"):
            self.answer(302, b"", Location="http://example.com/things/1")
        elif mode == "auth" and self.headers.get("Authorization") != "Bearer s3cret":
            self.answer(401, b'{"error": "unauthorised"}')
        else:
            if mode == "slow" and self.path.startswith("/things/"):
                time.sleep(0.2)
            self.answer(200, json.dumps({"id": ident}).encode())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    Handler.mode = args.mode
    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
