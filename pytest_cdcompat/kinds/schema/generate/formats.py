"""String and number formats: a strategy and a small fixed example for each format the validator asserts.

Why: ``format`` is where random text is almost never valid (a random string is not a date-time), so each asserted
format gets a dedicated strategy, and ``minimal.py`` a fixed, readable example. Formats we do not know are not
asserted by the validator either, so plain text is fine for them.
"""

from __future__ import annotations

import base64
from datetime import timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from pytest_cdcompat.kinds.schema.generate.values import INT_FORMATS

_ZONES = st.sampled_from([timezone.utc, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5, minutes=-30))])


def _regex(pattern: str) -> st.SearchStrategy[str]:
    return st.from_regex(pattern, fullmatch=True)


# Composed from small pieces rather than st.from_regex: a regex strategy costs several times more per draw, and
# formats appear on most properties of real APIs.
_WORD = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
_HOST = st.builds(
    lambda a, tld: f"{a}.{tld}",
    st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8),
    st.sampled_from(["com", "org", "net", "io"]),
)
_PATH = st.lists(_WORD, max_size=3).map(lambda parts: "".join("/" + p for p in parts))


def _date_time() -> st.SearchStrategy[str]:
    return st.datetimes(timezones=_ZONES).map(lambda d: d.isoformat())


def _time() -> st.SearchStrategy[str]:
    return st.times().map(lambda t: t.isoformat() + "Z")


def _byte() -> st.SearchStrategy[str]:
    return st.binary(max_size=24).map(lambda b: base64.b64encode(b).decode("ascii"))


def _uri() -> st.SearchStrategy[str]:
    return st.builds(
        lambda scheme, host, path: f"{scheme}://{host}{path}", st.sampled_from(["https", "http"]), _HOST, _PATH
    )


def _email() -> st.SearchStrategy[str]:
    return st.builds(lambda user, host: f"{user}@{host}", _WORD, _HOST)


def _hostname() -> st.SearchStrategy[str]:
    return st.builds(lambda sub, host: f"{sub}.{host}" if sub else host, st.sampled_from(["", "api", "www"]), _HOST)


STRING_FORMATS: dict[str, Any] = {
    "date-time": _date_time,
    "date": lambda: st.dates().map(lambda d: d.isoformat()),
    "time": _time,
    "email": _email,
    "idn-email": _email,
    "uuid": lambda: st.uuids().map(str),
    "uri": _uri,
    "uri-reference": lambda: st.one_of(_PATH, _uri()),
    "iri": _uri,
    "url": _uri,
    "ipv4": lambda: st.ip_addresses(v=4).map(str),
    "ipv6": lambda: st.ip_addresses(v=6).map(str),
    "hostname": _hostname,
    "idn-hostname": _hostname,
    "byte": _byte,
    "json-pointer": lambda: _regex(r"(?:/[a-z0-9]{0,5}){0,3}"),
    "relative-json-pointer": lambda: _regex(r"[0-9](?:/[a-z0-9]{1,5}){0,2}"),
    "regex": lambda: st.sampled_from(["^[a-z]+$", "[0-9]{2,4}", ".*", "^a|b$"]),
    "duration": lambda: st.sampled_from(["P1D", "PT1H", "P1Y2M3DT4H5M6S", "PT0S", "P2W"]),
    "int32": lambda: st.integers(*INT_FORMATS["int32"]).map(str),
    "int64": lambda: st.integers(*INT_FORMATS["int64"]).map(str),
}


def string_format(name: str) -> st.SearchStrategy[str] | None:
    factory = STRING_FORMATS.get(name)
    return factory() if factory is not None else None
