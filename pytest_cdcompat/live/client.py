"""Sending one generated request with ``requests``, within limits.

- no request leaves the allowed hosts: redirects are never followed automatically; a redirect to the same origin
  is followed by hand (at most ``MAX_REDIRECTS``), one to another host is refused with a clear error;
- a response body larger than ``max_bytes`` is refused (read in chunks, never loaded whole);
- requests per second are capped, and every request has a timeout.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from pytest_cdcompat.live import LiveError
from pytest_cdcompat.live.targets import Target, is_loopback

MAX_REDIRECTS = 5
DEFAULT_MAX_BYTES = 1_000_000
DEFAULT_TIMEOUT = 10.0
DEFAULT_RATE = 200.0


@dataclass(frozen=True)
class Sent:
    """A request as sent (the URL with its query) and the response as received."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None
    status: int
    response_headers: dict[str, str]
    response_body: bytes


class Client:
    def __init__(
        self,
        target: Target,
        *,
        allowed_hosts: frozenset[str] = frozenset(),
        max_bytes: int = DEFAULT_MAX_BYTES,
        timeout: float = DEFAULT_TIMEOUT,
        rate: float = DEFAULT_RATE,
    ) -> None:
        import requests

        self.target = target
        self.allowed_hosts = allowed_hosts
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.session = requests.Session()
        self.session.trust_env = False  # no proxies from the environment: the request goes where it says
        self.last = 0.0
        self.count = 0

    def close(self) -> None:
        self.session.close()

    def _pace(self) -> None:
        wait = self.last + self.interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self.last = time.monotonic()

    def send(self, method: str, url: str, headers: dict[str, str], body: bytes | None) -> Sent:
        import requests

        current = url
        for _ in range(MAX_REDIRECTS + 1):
            self._pace()
            self.count += 1
            try:
                response = self.session.request(
                    method, current, headers=headers, data=body, allow_redirects=False, stream=True,
                    timeout=self.timeout,
                )  # fmt: skip
            except requests.exceptions.ConnectionError as e:
                raise LiveError(f"cannot connect to the {self.target.name} server at {self.target.base_url}: "
                                f"{_reason(e)}") from None  # fmt: skip
            except requests.exceptions.Timeout:
                raise LiveError(f"the {self.target.name} server at {self.target.base_url} did not answer "
                                f"{method} {current} within {self.timeout:g} s") from None  # fmt: skip
            except requests.exceptions.RequestException as e:
                raise LiveError(f"{method} {current}: {e}") from None
            try:
                if response.is_redirect and "location" in response.headers:
                    nxt = urljoin(current, response.headers["location"])
                    self._check_redirect(current, nxt)
                    current = nxt
                    if response.status_code in (301, 302, 303) and method not in ("GET", "HEAD"):
                        method, body = "GET", None
                    continue
                data = self._read(response, method, current)
                return Sent(method, current, dict(headers), body, response.status_code, dict(response.headers), data)
            finally:
                response.close()
        raise LiveError(f"{method} {url}: more than {MAX_REDIRECTS} redirects")

    def _check_redirect(self, current: str, nxt: str) -> None:
        a, b = urlsplit(current), urlsplit(nxt)
        same = (a.scheme, (a.hostname or "").lower(), a.port) == (b.scheme, (b.hostname or "").lower(), b.port)
        if not same:
            host = (b.hostname or "").lower()
            where = "loopback" if is_loopback(host) or host in self.allowed_hosts else "another host"
            raise LiveError(
                f"the {self.target.name} server redirected {current} to {nxt} ({where}): redirects to another "
                f"origin are not followed"
            )

    def _read(self, response: Any, method: str, url: str) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise LiveError(f"{method} {url}: the {self.target.name} server's response of {declared} bytes is larger "
                            f"than the limit of {self.max_bytes} bytes (--live-max-bytes)")  # fmt: skip
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(65536):
            size += len(chunk)
            if size > self.max_bytes:
                raise LiveError(f"{method} {url}: the {self.target.name} server's response is larger than the "
                                f"limit of {self.max_bytes} bytes (--live-max-bytes)")  # fmt: skip
            chunks.append(chunk)
        return b"".join(chunks)


def _reason(error: Exception) -> str:
    text = str(error)
    for marker in ("Connection refused", "Name or service not known", "timed out", "No route to host"):
        if marker in text:
            return marker.lower()
    return text.splitlines()[0][:200] if text else type(error).__name__
