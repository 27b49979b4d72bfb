"""Which hosts a live check may call, the headers it adds, and how requests appear in reports.

Targets are restricted to loopback (``127.0.0.0/8``, ``::1``, ``localhost``) and the hosts the user names
(``--live-host``), so a generated request never leaves the machine by accident. Header values may name environment
variables (``Authorization: Bearer $TOKEN``); credentials are never printed: every header the user supplied and the
usual credential headers are shown as ``<redacted>`` in findings and ``curl`` lines.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pytest_cdcompat.live import LiveError

REDACTED = "<redacted>"
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key", "api-key", "x-auth-token"})
_VAR = re.compile(r"\$(?:\{(\w+)\}|(\w+))")


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Target:
    """One running version: its base URL (scheme, host, port, optional path prefix)."""

    name: str  # "old" or "new"
    base_url: str

    @property
    def host(self) -> str:
        return (urlsplit(self.base_url).hostname or "").lower()

    @property
    def origin(self) -> tuple[str, str, int | None]:
        parts = urlsplit(self.base_url)
        return parts.scheme, (parts.hostname or "").lower(), parts.port


def check_url(url: str, option: str, allowed_hosts: Iterable[str] = ()) -> str:
    """``url`` normalised (no trailing slash), or a ``LiveError`` naming the option and what is wrong."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LiveError(f"{option}: {url!r} is not an http(s) URL with a host")
    if parts.query or parts.fragment:
        raise LiveError(f"{option}: {url!r} must not carry a query or fragment")
    host = parts.hostname.lower()
    allowed = {h.lower() for h in allowed_hosts}
    if not is_loopback(host) and host not in allowed:
        raise LiveError(
            f"{option}: host {host!r} is neither loopback nor named with --live-host; live checks only call "
            f"loopback and the hosts you name"
        )
    try:
        parts.port  # noqa: B018  (raises on a port out of range)
    except ValueError:
        raise LiveError(f"{option}: {url!r} has an invalid port") from None
    return url.rstrip("/")


def parse_headers(lines: Iterable[str], env: Mapping[str, str] | None = None) -> dict[str, str]:
    """``Name: value`` lines with ``$VAR`` / ``${VAR}`` taken from the environment."""
    env = os.environ if env is None else env
    out: dict[str, str] = {}
    for line in lines:
        name, sep, value = str(line).partition(":")
        name = name.strip()
        if not sep or not name or not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", name):
            raise LiveError(f"--header: expected 'Name: value', got {_shown(line)!r}")

        missing = [m.group(1) or m.group(2) for m in _VAR.finditer(value) if (m.group(1) or m.group(2)) not in env]
        if missing:
            raise LiveError(f"--header {name}: environment variable ${missing[0]} is not set")
        out[name] = _VAR.sub(lambda m: env[m.group(1) or m.group(2)], value.strip())
    return out


def _shown(line: str) -> str:
    """A header line as it may appear in an error message: the value withheld."""
    name, sep, _ = str(line).partition(":")
    return f"{name}: {REDACTED}" if sep else (name[:40] + ("..." if len(name) > 40 else ""))


def redact(headers: Mapping[str, Any], secret: Iterable[str] = ()) -> dict[str, Any]:
    hidden = SECRET_HEADERS | {s.lower() for s in secret}
    return {k: (REDACTED if k.lower() in hidden else v) for k, v in headers.items()}


def curl(method: str, url: str, headers: Mapping[str, str], body: bytes | None) -> str:
    """A ``curl`` command line replaying the request (headers already redacted by the caller)."""
    words = ["curl", "-sS", "-i", "-X", method, url]
    for k, v in headers.items():
        words += ["-H", f"{k}: {v}"]
    if body is not None:
        words += ["--data-binary", body.decode("utf-8", "replace")]
    return " ".join(shlex.quote(w) for w in words)
