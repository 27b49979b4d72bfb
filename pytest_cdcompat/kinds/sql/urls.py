"""Database URLs: which engine and dialect a ``--cd-compat-db`` URL names, and its parts.

Accepted: ``postgresql://user[:pw]@host[:port][/maintenance_db]``, ``mysql://`` or ``mariadb://`` likewise, and
``sqlite`` / ``sqlite://`` (or no URL) for a file in a temporary folder. The path part only ever names the database
used to *connect* in order to run CREATE/DROP DATABASE; the tool never runs anything else there.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from pytest_cdcompat.core.errors import UsageError

_SCHEMES = {"postgresql": "postgres", "postgres": "postgres", "mysql": "mysql", "mariadb": "mysql", "sqlite": "sqlite"}


@dataclass(frozen=True)
class DbUrl:
    dialect: str  # sqlite | postgres | mysql
    host: str = ""
    port: int | None = None
    user: str = ""
    password: str = ""
    database: str = ""
    text: str = ""

    @property
    def safe(self) -> str:
        """The URL without its password, for messages."""
        if self.dialect == "sqlite":
            return "sqlite"
        auth = f"{self.user}@" if self.user else ""
        port = f":{self.port}" if self.port else ""
        return f"{self.dialect}://{auth}{self.host}{port}/{self.database}"


def parse_url(url: str | None) -> DbUrl:
    if not url or url.strip().lower() in ("sqlite", "sqlite://", "sqlite:///"):
        return DbUrl("sqlite", text=url or "")
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower().split("+")[0]
    if scheme not in _SCHEMES:
        raise UsageError(
            f"database URL {url.split('@')[-1]!r}: unknown scheme {parts.scheme!r} "
            "(use postgresql://, mysql://, mariadb:// or sqlite)"
        )
    dialect = _SCHEMES[scheme]
    if dialect == "sqlite":
        raise UsageError("a SQLite URL takes no path: cdcompat always uses its own file in a temporary folder")
    try:
        port = parts.port
    except ValueError:
        raise UsageError(f"database URL {url.split('@')[-1]!r}: bad port") from None
    return DbUrl(
        dialect,
        parts.hostname or "127.0.0.1",
        port,
        unquote(parts.username or ""),
        unquote(parts.password or ""),
        parts.path.lstrip("/"),
        url,
    )


def dialect_for(url: str | None) -> str:
    return parse_url(url).dialect
